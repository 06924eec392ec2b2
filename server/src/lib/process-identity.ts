import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * When a process started, as Linux counts it (clock ticks since boot, `/proc/<pid>/stat` field
 * 22); null where there is no such process or no /proc. A pid and this together name one process:
 * pids are reused (pid_max is often 32768), start times of one pid are not.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/**
 * This process's name in records other processes read (`host:pid:start:run`). The start time
 * tells a killed process from a later one given its pid; the run part tells a restarted process
 * from its predecessor even where there is no /proc (pid 1 in a container, restarted).
 */
export const PROCESS_TAG = `${hostname()}:${process.pid}:${processStartTime(process.pid) ?? '-'}:${randomUUID()}`;

/** True when the process that wrote `tag` is known to have ended (same host; pid gone, or reused). */
export function processHasEnded(tag: string): boolean {
  if (tag === PROCESS_TAG) return false;
  const parts = tag.split(':');
  parts.pop();
  const start = parts.pop() ?? '-';
  const pid = Number.parseInt(parts.pop() ?? '', 10);
  if (parts.join(':') !== hostname()) return false;
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  const now = processStartTime(pid);
  if (start !== '-' && processStartTime(process.pid) !== null) return now !== start;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** Whether a process of this host still runs (one owned by another user counts as running). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
