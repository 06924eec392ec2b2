/**
 * (b) 100 ten-second clips with 2 workers (`dailies worker` processes beside a server that runs
 * none): clips per minute to `ready`, and the folder-list p95 (GET /api/assets of the folder
 * being filled) while they process against idle. Goal: p95 within 2× of idle.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/processing-batch.ts [clips=100] [workers=2]
 *
 * Worker processes beside a server need PostgreSQL: one process serves a SQLite data dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../server/test/support/server-process.js';
import { benchClip, load } from './processing-support.js';
import { adminToken, print, round, summary } from './support.js';

const ADMIN_PASSWORD = 'bench-admin-password';
const clips = Number(process.argv[2] ?? 100);
const workerCount = Number(process.argv[3] ?? 2);
const ROOT = join(import.meta.dirname, '..');
if (!process.env.DATABASE_URL) {
  console.error('Set DATABASE_URL: `dailies worker` processes beside a server need PostgreSQL.');
  process.exit(2);
}
const clip = await benchClip(10, '1920x1080');
const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-batch-'));
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const env = {
  ...process.env,
  DAILIES_DATA_DIR: dataDir,
  DAILIES_PORT: String(port),
  DAILIES_LOG_LEVEL: 'warn',
  DAILIES_WATCH_LAKE: 'false',
  DAILIES_RECONCILE_INTERVAL: '0',
  DAILIES_SECRET: 'bench',
  DAILIES_ADMIN_PASSWORD: ADMIN_PASSWORD,
};
const children: ChildProcess[] = [];
const start = (command: string, extra: Record<string, string> = {}) => {
  const child = spawn(process.execPath, [join(ROOT, 'bin/dailies.js'), command], {
    env: { ...env, ...extra },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  return child;
};

try {
  start('serve', { DAILIES_IN_PROCESS_WORKERS: 'false' });
  for (let i = 0; i < 100; i++) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 200));
  }
  // The folder the UI would show: the clips land in it.
  const folder = '/Day 01/Cam A';
  const lakeFolder = join(dataDir, 'lake', 'Day 01', 'Cam A');
  await mkdir(lakeFolder, { recursive: true });
  for (let i = 0; i < clips; i++)
    await copyFile(clip, join(lakeFolder, `A001C${String(i).padStart(3, '0')}.mp4`));

  const listUrl = `${base}/api/assets?folder=${encodeURIComponent(folder)}&limit=100`;
  const auth = { authorization: `Bearer ${await adminToken(base, ADMIN_PASSWORD)}` };
  let finished = false;
  const sample = async (durationMs: number, untilFinished = false) => {
    const times: number[] = [];
    const deadline = Date.now() + durationMs;
    while (Date.now() < deadline || (untilFinished && !finished)) {
      const t0 = performance.now();
      const response = await fetch(listUrl, { headers: auth });
      if (!response.ok) throw new Error(`folder list: ${response.status} ${await response.text()}`);
      await response.arrayBuffer();
      times.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    return times;
  };
  // Index them with no worker running, then measure the idle list.
  const reconciled = await fetch(`${base}/api/reconcile`, {
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: '{}',
  });
  if (!reconciled.ok) throw new Error(`reconcile: ${reconciled.status} ${await reconciled.text()}`);
  const idle = await sample(10_000);

  const t0 = performance.now();
  for (let w = 0; w < workerCount; w++) start('worker');
  let ready = 0;
  let failed = 0;
  const done = async () => {
    const body = (await (await fetch(listUrl, { headers: auth })).json()) as {
      items: Array<{ state: string }>;
    };
    ready = body.items.filter((a) => a.state === 'ready').length;
    failed = body.items.filter((a) => a.state === 'failed').length;
    return ready + failed >= clips;
  };
  const watcher = setInterval(
    () =>
      void done().then(
        (all) => (finished = all),
        () => {},
      ),
    2000,
  );
  const busy = await sample(0, true);
  clearInterval(watcher);
  const minutes = (performance.now() - t0) / 60_000;
  const idleStats = summary(idle);
  const busyStats = summary(busy);
  print('processing-batch', {
    clips,
    workers: workerCount,
    clip: '10s 1920x1080p25 H.264',
    ready,
    failed,
    minutes: round(minutes),
    clipsPerMinute: round(clips / minutes),
    folderListIdleMs: idleStats,
    folderListBusyMs: busyStats,
    p95Ratio: round(busyStats.p95 / idleStats.p95),
    goal: 'p95 ratio <= 2',
    loadPerCoreAfter: await load(),
  });
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 2000));
  await rm(dataDir, { recursive: true, force: true });
}
