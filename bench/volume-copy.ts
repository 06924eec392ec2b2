/**
 * Copy of a 2 GiB asset from the fs lake to an edit volume with read-back verification,
 * against `cp` of the same file (goal: cp seconds / Dailies seconds ≥ 0.5), and peak RSS.
 * The lake and the volume are directories on the same disk; the source is in the page cache
 * for both, as it would be for either right after an upload. Dailies flushes the copy to
 * stable storage before it counts, so `cp` followed by `sync` is the like-for-like figure;
 * both ratios are printed. Peak RSS is that of this process (the whole server in-process)
 * during the copy; the CPU seconds are the copy's.
 *
 *   npx tsx bench/volume-copy.ts [sizeMiB=2048]
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { mkdir, mkdtemp, open, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { createDailies, startBackground } from '../server/src/wiring.js';
import { print, round } from './support.js';

const sizeMiB = Number(process.argv[2] ?? 2048);
const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-volume-'));
const vol = join(dataDir, 'edit');
const cpDir = join(dataDir, 'cp');
await mkdir(vol);
await mkdir(cpDir);
const source = join(dataDir, 'source.mov');
const block = randomBytes(64 * 1024 * 1024);
const handle = await open(source, 'w');
for (let written = 0; written < sizeMiB * 1024 * 1024; written += block.length)
  await handle.write(block, 0, Math.min(block.length, sizeMiB * 1024 * 1024 - written));
await handle.close();

const dailies = await createDailies(
  loadConfig(
    {},
    {
      dataDir,
      watchLake: false,
      reconcileInterval: 0,
      volumeScanInterval: 0,
      secret: 'bench',
      volumes: [{ id: 'edit', name: 'Edit', path: vol, displayPath: vol, groups: [] }],
    },
  ),
);
const asset = await dailies.imports.importStream(
  SYSTEM_ACTOR,
  '/Day 01',
  'big.mov',
  createReadStream(source),
);
await rm(source);
const lakeFile = join(dataDir, 'lake', 'Day 01', 'big.mov');
const rssBeforeCopy = Math.round(process.resourceUsage().maxRSS / 1024);
// The peak of the copy alone: the import before it hashed 2 GiB in this same process.
writeFileSync('/proc/self/clear_refs', '5');

const cp = (n: number) => {
  const t0 = performance.now();
  execFileSync('cp', [lakeFile, join(cpDir, `copy${n}.mov`)]);
  const cpSeconds = (performance.now() - t0) / 1000;
  execFileSync('sync', ['-f', join(cpDir, `copy${n}.mov`)]);
  const withSync = (performance.now() - t0) / 1000;
  execFileSync('rm', [join(cpDir, `copy${n}.mov`)]);
  return { cpSeconds, withSync };
};
const cp1 = cp(1);

const stop = await startBackground(dailies);
const t0 = performance.now();
const cpuBefore = process.cpuUsage();
const { jobs } = await dailies.volumes.requestCopy(SYSTEM_ACTOR, 'edit', [asset.id]);
for (;;) {
  const job = await dailies.jobs.get(jobs[0].jobId);
  if (job?.state === 'done') break;
  if (job?.state === 'failed') throw new Error(job.error ?? 'copy failed');
  await new Promise((r) => setTimeout(r, 20));
}
const dailiesSeconds = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const copyPeakMB = Math.round(
  Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024,
);
const cp2 = cp(2);
const cpSeconds = Math.min(cp1.cpSeconds, cp2.cpSeconds);
const cpSyncSeconds = Math.min(cp1.withSync, cp2.withSync);

print('volume copy (fs lake → directory volume, verified by read-back)', {
  sizeMiB,
  dailiesSeconds: round(dailiesSeconds),
  dailiesMiBps: round(sizeMiB / dailiesSeconds, 0),
  cpSeconds: round(cpSeconds),
  cpThenSyncSeconds: round(cpSyncSeconds),
  ratioVsCp: round(cpSeconds / dailiesSeconds),
  ratioVsCpThenSync: round(cpSyncSeconds / dailiesSeconds),
  goal: '≥ 0.5',
  dailiesCpuSeconds: round((cpu.user + cpu.system) / 1e6),
  peakRssDuringCopyMB: copyPeakMB,
  peakRssBeforeCopyMB: rssBeforeCopy,
  loadAverage: loadavg().map((l) => round(l, 1)),
});
await stop();
await dailies.close();
await rm(dataDir, { recursive: true, force: true });
