/**
 * Fault injection for the crash tests: a process started with `DAILIES_TEST_CRASH_AT=<name>`
 * kills itself (SIGKILL, nothing flushed, no handler run) when it reaches the point of that
 * name, so the window between a lake change and its catalog write is hit every time rather
 * than hoped for. Unset, as in every real deployment, a point does nothing.
 */
const armed = process.env.DAILIES_TEST_CRASH_AT ?? '';

export type CrashPoint =
  | 'trash.afterLakeMove'
  | 'restore.afterLakeMove'
  | 'rename.afterLakeMove'
  | 'move.afterLakeMove'
  | 'folder.move.afterLakeMove'
  | 'upload.afterPublish'
  | 'volume.afterCommit';

export function crashPoint(name: CrashPoint): void {
  if (armed === name) process.kill(process.pid, 'SIGKILL');
}
