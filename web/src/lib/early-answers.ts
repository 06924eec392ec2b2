/**
 * Answers to the first screen's reads, which index.html's inline script (`early-requests.ts`)
 * started before the app's code had loaded. `api()` takes one in place of asking the server
 * when it would ask for exactly that URL; the start of the app takes them all, then drops the
 * rest, so any later read goes to the server.
 */
export interface EarlyAnswer {
  status: number;
  statusText: string;
  text: string;
}

declare global {
  interface Window {
    __dailiesEarly?: Record<string, Promise<EarlyAnswer | null>>;
  }
}

/** The early answer for this URL, once; undefined when none was started (or it was taken). */
export function takeEarlyAnswer(url: string): Promise<EarlyAnswer | null> | undefined {
  const answers = window.__dailiesEarly;
  const answer = answers?.[url];
  if (answer) delete answers[url];
  return answer;
}

/** Drops the answers nobody took: they were for a first screen that asked differently. */
export function dropEarlyAnswers(): void {
  window.__dailiesEarly = undefined;
}
