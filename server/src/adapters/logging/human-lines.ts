import type { DestinationStream } from 'pino';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
/** Every line has these; on a terminal they are noise (the time is shortened instead). */
const HIDDEN = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v']);

/**
 * pino's JSON lines turned into one short line each for a person at a terminal:
 * `12:04:05 WARN  job failed name=asset.proxy reason="…"`, an error's stack below it.
 * (pino-pretty does more; it is not a dependency, and this is all a terminal needs.)
 */
export function humanLines(to: DestinationStream): DestinationStream {
  return {
    write(json: string) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(json);
      } catch {
        return to.write(json);
      }
      to.write(`${formatEntry(entry)}\n`);
    },
  };
}

export function formatEntry(entry: Record<string, unknown>): string {
  const time = new Date(Number(entry.time) || Date.now()).toTimeString().slice(0, 8);
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const parts = [time, level, String(entry.msg ?? '')];
  let stack = '';
  for (const [key, value] of Object.entries(entry)) {
    if (HIDDEN.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: string; stack?: string };
      parts.push(`err=${JSON.stringify(err.message ?? '')}`);
      stack = err.stack ? `\n    ${err.stack.split('\n').slice(1).join('\n    ').trim()}` : '';
      continue;
    }
    parts.push(
      `${key}=${typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)}`,
    );
  }
  return parts.join(' ') + stack;
}
