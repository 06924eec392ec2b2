/**
 * Fault injection for the crash tests, at the points where a step has changed the lake and not
 * yet the catalog. A process started with `DAILIES_TEST_CRASH_AT=<name>` kills itself there
 * (SIGKILL: nothing flushed, no handler run), so that window is hit every time rather than hoped
 * for; `DAILIES_TEST_PAUSE_AT=<name>` waits there instead (`DAILIES_TEST_PAUSE_MS`, default 3 s),
 * so a race with the watcher or another request is forced too. Unset, as in every real
 * deployment, a point does nothing.
 */
const crashAt = process.env.DAILIES_TEST_CRASH_AT ?? '';
const pauseAt = process.env.DAILIES_TEST_PAUSE_AT ?? '';
const pauseMs = Number(process.env.DAILIES_TEST_PAUSE_MS ?? 3000);

export type CrashPoint =
  | 'trash.afterLakeMove'
  | 'restore.afterLakeMove'
  | 'rename.afterLakeMove'
  | 'move.afterLakeMove'
  | 'folder.move.afterLakeMove'
  | 'upload.beforePublish'
  | 'upload.afterPublish'
  | 'volume.afterLink'
  | 'volume.afterCommit';

export async function crashPoint(name: CrashPoint): Promise<void> {
  if (crashAt === name) process.kill(process.pid, 'SIGKILL');
  if (pauseAt === name) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
