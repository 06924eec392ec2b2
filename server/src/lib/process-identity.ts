import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This process's name in records other processes read (`host:pid:run`). The run part tells a
 * restarted process from its killed predecessor even when the pid is the same (pid 1 in a container).
 */
export const PROCESS_TAG = `${hostname()}:${process.pid}:${randomUUID()}`;

/** True when the process that wrote `tag` is known to have ended (same host, pid gone or reused by us). */
export function processHasEnded(tag: string): boolean {
  if (tag === PROCESS_TAG) return false;
  const parts = tag.split(':');
  parts.pop();
  const pid = Number.parseInt(parts.pop() ?? '', 10);
  if (parts.join(':') !== hostname()) return false;
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
