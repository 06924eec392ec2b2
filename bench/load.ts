/**
 * Load: browsing clients (a folder page, /api/me, a search, a thumbnail, in a loop) while tus
 * uploads run (5 MiB PATCHes), against one server on SQLite or the multi-server topology.
 * Two phases of the same length: the uploads alone (their unloaded speed), then browsers and
 * uploads together. Prints errors by kind, p50/p99 of each request kind, upload throughput
 * and its ratio to the unloaded speed, and the peak RSS of each process.
 *
 *   npx tsx bench/load.ts --target sqlite     [--seconds 60] [--browsers 50]  [--limit 1000] …
 *   npx tsx bench/load.ts --target topology   [--seconds 60] [--browsers 100] [--limit 100]  …
 *   other flags: --uploads 10 --upload-mib 25 --chunk-mib 5 --assets 1000 --think-ms 0 --no-build --nice 0
 *
 * `--think-ms` is each browser's pause after an answer (0: a closed loop, the next request at
 * once). With none, N browsers keep N requests waiting all the time, so a request's wait is N
 * divided by what the machine answers per second, whatever the server does.
 *
 * On a machine shared with other work, `--nice -10` (root) runs the servers and this client
 * ahead of it, for figures nearer an idle machine's; the CPU each process used is printed.
 *
 * sqlite: `dailies serve` from the build (workers off, fs lake in a new data dir); goals
 * /api/me p99 ≤ 200 ms and uploads at ≥ 50% of their unloaded speed. BENCH_SERVER_NODE_ARGS
 * adds node flags to the server (`--cpu-prof --cpu-prof-dir=/tmp/prof`).
 * topology: scripts/topology.sh (2 serve, 2 worker, nginx, PostgreSQL and the Swift S3 lake of
 * the test services: source .test-services/env); goals 0 errors and folder list p99 ≤ 100 ms.
 * The seeded folder holds `--assets` small files put into the lake and re-indexed.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, setPriority } from 'node:os';
import { join } from 'node:path';
import { browse, Tally, type Target, upload } from './load-clients.js';
import { type Running, SEED_FOLDER, startSqlite, startTopology, thumbnailedAsset } from './load-targets.js';
import { percentile, round } from './support.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i++) {
  const name = process.argv[i].replace(/^--/, '');
  const next = process.argv[i + 1];
  if (next === undefined || next.startsWith('--')) args.set(name, 'true');
  else args.set(name, process.argv[++i]);
}
const TARGET = args.get('target') ?? 'sqlite';
if (TARGET !== 'sqlite' && TARGET !== 'topology') throw new Error('--target is sqlite or topology');
const topology = TARGET === 'topology';
const number = (name: string, fallback: number) => {
  const value = Number(args.get(name) ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} takes a number ≥ 0`);
  return value;
};
const SECONDS = number('seconds', 60);
const BROWSERS = number('browsers', topology ? 100 : 50);
const UPLOADERS = number('uploads', 10);
const LIMIT = number('limit', topology ? 100 : 1000);
const ASSETS = number('assets', 1000);
const THINK_MS = number('think-ms', 0);
const MiB = 1024 * 1024;
const PLAN = {
  folder: '/Load uploads',
  sizeBytes: number('upload-mib', 25) * MiB,
  chunkBytes: number('chunk-mib', 5) * MiB,
};
const ROOT = join(import.meta.dirname, '..');
const NICE = Number(args.get('nice') ?? 0);
if (!Number.isInteger(NICE) || NICE < -20 || NICE > 19)
  throw new Error('--nice is a whole number from -20 to 19');

async function main(): Promise<void> {
  if (args.get('no-build') !== 'true')
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT, stdio: 'inherit' });
  if (NICE !== 0) setPriority(NICE);
  const running: Running = topology ? await startTopology(ASSETS, NICE) : await startSqlite(ASSETS, NICE);
  try {
    const thumbnails = topology ? await thumbnailedAsset(running.base, running.token) : null;
    if (topology && !thumbnails) console.log('no thumbnail was made within 60 s: thumbnails not requested');
    const target: Target = {
      base: running.base,
      token: running.token,
      folder: SEED_FOLDER,
      limit: LIMIT,
      thumbnails: thumbnails ? [thumbnails] : [],
      thinkMs: THINK_MS,
    };
    console.log(
      `target ${TARGET} at ${running.base}${NICE ? ` (nice ${NICE})` : ''}: ${BROWSERS} browsers (folder of ${ASSETS} assets, limit ${LIMIT}${THINK_MS ? `, ${THINK_MS} ms pauses` : ''}), ` +
        `${UPLOADERS} uploads of ${PLAN.sizeBytes / MiB} MiB in ${PLAN.chunkBytes / MiB} MiB PATCHes, ${SECONDS} s per phase`,
    );
    const alone = await phase(running, target, 0, `${TARGET}-alone`);
    report('uploads alone', alone);
    const loaded = await phase(running, target, BROWSERS, `${TARGET}-loaded`);
    report('browsers + uploads', loaded);
    const ratio = loaded.tally.uploadedBytes / Math.max(1, alone.tally.uploadedBytes);
    const p99 = (kind: string) => percentile(loaded.tally.latencies.get(kind) ?? [Number.NaN], 99);
    console.log('goals:');
    if (topology) {
      goal('errors', loaded.tally.errorCount() + alone.tally.errorCount(), '= 0', (v) => v === 0);
      goal('folder list p99 ms', round(p99('list')), '≤ 100', (v) => v <= 100);
    } else {
      goal('upload speed under load / alone', round(ratio), '≥ 0.5', (v) => v >= 0.5);
      goal('/api/me p99 ms', round(p99('me')), '≤ 200', (v) => v <= 200);
    }
    console.log(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores (a shared machine: compare figures of one run)`,
    );
  } finally {
    await running.stop();
  }
}

interface PhaseResult {
  tally: Tally;
  seconds: number;
  peakRss: Map<string, number>;
  /** CPU seconds each process (and this client) used during the phase. */
  cpu: Map<string, number>;
}

async function phase(
  running: Running,
  target: Target,
  browsers: number,
  label: string,
): Promise<PhaseResult> {
  const tally = new Tally();
  const peakRss = new Map<string, number>();
  const sampleRss = () => {
    for (const [name, pid] of running.processes()) {
      const kb = rssKb(pid);
      if (kb !== null) peakRss.set(name, Math.max(peakRss.get(name) ?? 0, kb));
    }
  };
  const timer = setInterval(sampleRss, 500);
  const processes = new Map([...running.processes(), ['bench client', process.pid]]);
  const cpuBefore = new Map([...processes].map(([name, pid]) => [name, cpuSeconds(pid)]));
  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  await Promise.all([
    ...Array.from({ length: browsers }, (_, i) => browse(target, tally, deadline, i)),
    ...Array.from({ length: UPLOADERS }, (_, i) => upload(target, PLAN, tally, deadline, `${label}-${i}`)),
  ]);
  clearInterval(timer);
  sampleRss();
  const cpu = new Map([...processes].map(([name, pid]) => [name, cpuSeconds(pid) - cpuBefore.get(name)!]));
  return { tally, seconds: (performance.now() - started) / 1000, peakRss, cpu };
}

function report(title: string, { tally, seconds, peakRss, cpu }: PhaseResult): void {
  console.log(`${title} (${round(seconds, 1)} s):`);
  for (const [kind, samples] of tally.latencies) {
    const perSecond = samples.length / seconds;
    console.log(
      `  ${kind.padEnd(14)} n=${String(samples.length).padEnd(6)} ${round(perSecond, 1)}/s  p50 ${round(percentile(samples, 50))} ms  p99 ${round(percentile(samples, 99))} ms  max ${round(Math.max(...samples))} ms`,
    );
  }
  const mbps = tally.uploadedBytes / 1e6 / seconds;
  console.log(
    `  uploads: ${tally.uploadsDone} completed, ${round(tally.uploadedBytes / MiB, 0)} MiB acknowledged, ${round(mbps, 1)} MB/s` +
      (tally.uploadMs.length ? `, one upload p50 ${round(percentile(tally.uploadMs, 50) / 1000, 1)} s` : ''),
  );
  console.log(`  errors: ${tally.errorCount()}`);
  for (const [kind, { count, first }] of tally.errors) console.log(`    ${kind}: ${count} (first: ${first})`);
  console.log(
    `  CPU (cores busy): ${[...cpu].map(([name, s]) => `${name} ${round(s / seconds, 2)}`).join(', ')}`,
  );
  console.log(
    `  peak RSS: ${[...peakRss].map(([name, kb]) => `${name} ${round(kb / 1024, 0)} MB`).join(', ')}`,
  );
}

function goal(name: string, value: number, wanted: string, met: (v: number) => boolean): void {
  console.log(`  ${name}: ${value} (goal ${wanted}: ${met(value) ? 'met' : 'NOT met'})`);
}

/** User + system CPU seconds of a process, its threads included; NaN once it is gone. */
function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return Number.NaN;
  }
}

function rssKb(pid: number): number | null {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

await main();
