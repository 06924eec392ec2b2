import { until } from './poll.js';
/** A minimal server-sent-events reader over fetch, for tests: collects messages and comments. */
export interface SseClient {
  status: number;
  contentType: string | null;
  messages: unknown[];
  comments: string[];
  /** Resolves with the first message (from the start) that matches, or rejects after the timeout. */
  next(match: (message: any) => boolean, timeoutMs?: number): Promise<any>;
  close(): void;
}

export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: controller.signal,
  });
  const client: SseClient = {
    status: response.status,
    contentType: response.headers.get('content-type'),
    messages: [],
    comments: [],
    next: (match, timeoutMs = 10_000) =>
      until(() => client.messages.find(match), { timeout: timeoutMs, what: 'a matching event' }),
    close: () => controller.abort(),
  };
  if (!response.body) return client;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end = buffer.indexOf('\n\n');
        while (end >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data: string[] = [];
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line.slice(1).trim());
            else if (line.startsWith('data:')) data.push(line.slice(5).trimStart());
          }
          if (data.length > 0) client.messages.push(JSON.parse(data.join('\n')));
          end = buffer.indexOf('\n\n');
        }
      }
    } catch {
      // Closed by the test or the server.
    }
  })();
  return client;
}
