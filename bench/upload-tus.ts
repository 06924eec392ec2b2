/**
 * tus upload of a 1 GiB file into the fs lake over loopback, against `cp` of the same file on
 * the same disk. Prints the throughput of both, their ratio (goal ≥ 0.7) and the server
 * process's peak RSS (goal ≤ 200 MB).
 *
 *   npx tsx bench/upload-tus.ts [--size-mib 1024] [--chunk-mib 0] [--runs 2]
 *
 * The server is `dailies serve` as a child process (its own data dir, SQLite, fs lake, no
 * workers, no watcher), so its VmHWM is the server's alone. An upload is done when the server
 * has answered the last PATCH: the bytes are checksummed (xxHash64 + MD5), fsynced, published
 * under their final key and indexed. `cp` is timed twice: alone (the copy lands in the page
 * cache) and followed by an fsync of the copy, which is what the upload guarantees.
 *
 * First a bare Node HTTP server (in this process: no tus, checksums or catalog) receives the file
 * from curl, the floor of any Node server here. Then two clients upload in turn: curl (a PATCH of the whole file, as lean as a client gets, so
 * the figure is the server's) and tus-js-client in Node (as the web app's uploader, which in
 * use runs in a browser on another machine; here it takes a share of the same 2 cores).
 *
 * The server is the compiled build (`npm run build:server`, run here first) with the node flags
 * of bin/dailies.js's shebang (--max-semi-space-size=4), as scripts/up.sh and `npm start` give it. On a shared machine, `nice -n -15` gives both sides
 * the CPU an idle machine would; the load average is printed with the figures.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Upload } from 'tus-js-client';
import { freePort } from '../server/test/support/server-process.js';
import { adminToken, benchServerEnv, createTusUpload, serverNodeArgs, waitForHealth } from './support.js';

const args = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2)
  args.set(process.argv[i].replace(/^--/, ''), process.argv[i + 1]);
const MiB = 1024 * 1024;
const SIZE = Number(args.get('size-mib') ?? 1024) * MiB;
const CHUNK = Number(args.get('chunk-mib') ?? 0) * MiB;
const RUNS = Number(args.get('runs') ?? 2);
const ROOT = join(import.meta.dirname, '..');
// Source, copy and lake share this directory's disk; BENCH_DIR picks another.
const WORK_PARENT = process.env.BENCH_DIR ?? tmpdir();

const execFileAsync = promisify(execFile);
const ADMIN_PASSWORD = 'bench-admin-password';
const mbps = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);

async function main(): Promise<void> {
  const work = await mkdtemp(join(WORK_PARENT, 'upload-tus-'));
  const source = join(work, 'source.bin');
  let server: ChildProcess | null = null;
  try {
    await writeRandomFile(source, SIZE);
    execFileSync('cat', [source], { stdio: ['ignore', 'ignore', 'inherit'] }); // warm the page cache
    const disk = execFileSync('df', ['--output=source,fstype', work], { encoding: 'utf8' }).split('\n')[1];
    console.log(`file: ${(SIZE / MiB).toFixed(0)} MiB in ${work} (${disk.trim()}); ${RUNS} runs each`);

    const cp: number[] = [];
    const cpSync: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const target = join(work, `copy-${run}.bin`);
      cp.push(timed(() => execFileSync('cp', [source, target])));
      execFileSync('sync');
      await rm(target);
      cpSync.push(timed(() => execFileSync('sh', ['-c', `cp "$1" "$2" && sync "$2"`, 'cp', source, target])));
      await rm(target);
      execFileSync('sync');
    }

    execFileSync(process.execPath, [join(ROOT, 'scripts/build-server.mjs')], { cwd: ROOT, stdio: 'inherit' });
    const dataDir = join(work, 'data');
    const port = await freePort();
    server = spawn(process.execPath, [...serverNodeArgs(), join(ROOT, 'bin/dailies.js'), 'serve'], {
      cwd: ROOT,
      env: benchServerEnv(dataDir, port, ADMIN_PASSWORD, { DAILIES_RECONCILE_INTERVAL: '0' }),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const base = `http://127.0.0.1:${port}`;
    await waitForHealth(base, () => server!.exitCode !== null);
    const token = await adminToken(base, ADMIN_PASSWORD);
    const rssAtStart = vm(server.pid!, 'VmRSS');

    const plain: number[] = [];
    const plainCpu: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const before = process.cpuUsage();
      plain.push(await plainNodeUpload(work, source));
      const used = process.cpuUsage(before);
      plainCpu.push((used.user + used.system) / 1e6);
      execFileSync('sync');
    }

    const clients = { curl: uploadWithCurl, 'tus-js-client': uploadWithTusJs };
    const timings = Object.fromEntries(
      Object.keys(clients).map((name) => [
        name,
        { wall: [] as number[], server: [] as number[], client: [] as number[] },
      ]),
    );
    for (let run = 0; run < RUNS; run++) {
      for (const [name, upload] of Object.entries(clients)) {
        const started = performance.now();
        const serverBefore = cpuSeconds(server.pid!);
        const clientBefore = ownCpuSeconds();
        const fileName = `bench-${name}-${run}.bin`;
        await upload(base, token, source, fileName);
        timings[name].wall.push(performance.now() - started);
        timings[name].server.push(cpuSeconds(server.pid!) - serverBefore);
        timings[name].client.push(ownCpuSeconds() - clientBefore);
        const stored = await stat(join(dataDir, 'lake', 'Bench', fileName));
        if (stored.size !== SIZE) throw new Error(`stored ${stored.size} bytes, expected ${SIZE}`);
        await rm(join(dataDir, 'lake', 'Bench', fileName));
        execFileSync('sync');
      }
    }
    const peak = vm(server.pid!, 'VmHWM');

    const best = (xs: number[]) => Math.min(...xs);
    const row = (name: string, ms: number[]) =>
      console.log(
        `${name.padEnd(34)} ${ms
          .map((m) => `${(m / 1000).toFixed(2)} s`)
          .join(', ')
          .padEnd(20)} best ${mbps(SIZE, best(ms)).toFixed(0)} MB/s`,
      );
    row('cp (page cache)', cp);
    row('cp + fsync of the copy', cpSync);
    const perGiB = (xs: number[]) => ((Math.min(...xs) * 1024 * MiB) / SIZE).toFixed(2);
    row('bare Node HTTP → file + fsync, curl', plain);
    console.log(
      `  ratio / (cp + fsync): ${(mbps(SIZE, best(plain)) / mbps(SIZE, best(cpSync))).toFixed(2)}; CPU per GiB: server ${perGiB(plainCpu)} s (no tus, checksums or catalog: the floor of any Node server here)`,
    );
    for (const [name, t] of Object.entries(timings)) {
      row(`tus upload, ${name}${CHUNK && name !== 'curl' ? ` (${CHUNK / MiB} MiB PATCHes)` : ''}`, t.wall);
      const ratio = mbps(SIZE, best(t.wall)) / mbps(SIZE, best(cpSync));
      console.log(
        `  ratio / (cp + fsync): ${ratio.toFixed(2)} (goal >= 0.7: ${ratio >= 0.7 ? 'met' : 'NOT met'}); CPU per GiB: server ${perGiB(t.server)} s, client ${perGiB(t.client)} s`,
      );
    }
    // MD5 cannot be split: one core's MD5 speed bounds any upload that hashes as bytes pass.
    const md5Rate = md5Speed();
    console.log(
      `MD5 on one core now: ${md5Rate.toFixed(0)} MB/s, so at most ${(md5Rate / mbps(SIZE, best(cpSync))).toFixed(2)} of cp + fsync`,
    );
    console.log(
      `load average during the run: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    );
    console.log(
      `server RSS: ${(rssAtStart / 1024).toFixed(0)} MB after start, peak (VmHWM) ${(peak / 1024).toFixed(0)} MB  (goal <= 200 MB: ${peak / 1024 <= 200 ? 'met' : 'NOT met'})`,
    );
  } finally {
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
    await rm(work, { recursive: true, force: true });
  }
}

function md5Speed(): number {
  const block = randomBytes(MiB);
  const hash = createHash('md5');
  const started = performance.now();
  for (let i = 0; i < 256; i++) hash.update(block);
  hash.digest();
  return mbps(256 * MiB, performance.now() - started);
}

function timed(work: () => unknown): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

async function writeRandomFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  // Random, so nothing along the way can cheat by compressing; one block repeated keeps it quick.
  const block = randomBytes(16 * MiB);
  for (let written = 0; written < size; written += block.length) {
    const part = block.subarray(0, Math.min(block.length, size - written));
    if (!out.write(part)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

function uploadWithTusJs(base: string, token: string, path: string, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(createReadStream(path), {
      endpoint: `${base}/api/uploads`,
      metadata: { filename: name, folder: '/Bench' },
      headers: { authorization: `Bearer ${token}` },
      ...(CHUNK ? { chunkSize: CHUNK } : {}),
      retryDelays: [],
      storeFingerprintForResuming: false,
      onSuccess: () => resolve(),
      onError: reject,
    });
    upload.start();
  });
}

/** The tus protocol by hand: a creation POST, then curl PATCHes the whole file. */
async function uploadWithCurl(base: string, token: string, path: string, name: string): Promise<void> {
  const created = await createTusUpload(base, token, { length: SIZE, filename: name, folder: '/Bench' });
  if (created.status !== 201) throw new Error(`creation failed: ${created.status} ${await created.text()}`);
  await curlPatch(new URL(created.headers.get('location')!, base).href, path, [
    `authorization: Bearer ${token}`,
    'tus-resumable: 1.0.0',
    'upload-offset: 0',
    'content-type: application/offset+octet-stream',
  ]);
}

async function curlPatch(url: string, path: string, headers: string[]): Promise<void> {
  const headerArgs = [...headers, 'expect:'].flatMap((header) => ['-H', header]);
  await execFileAsync('curl', [
    '-sS',
    '--fail-with-body',
    '-X',
    'PATCH',
    ...headerArgs,
    '-T',
    path,
    '-o',
    '/dev/null',
    url,
  ]);
}

/**
 * The floor of any Node server on this machine: a bare HTTP server in this process writing a
 * PATCH body to a file in 1 MiB writes and fsyncing it, fed by the same curl. Returns ms.
 */
async function plainNodeUpload(work: string, source: string): Promise<number> {
  const target = join(work, 'plain.bin');
  const server = createHttpServer(async (req, res) => {
    const handle = await open(target, 'w');
    let position = 0;
    let batch: Buffer[] = [];
    let batched = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      batch.push(chunk);
      batched += chunk.length;
      if (batched < MiB) continue;
      await handle.writev(batch, position);
      position += batched;
      batch = [];
      batched = 0;
    }
    await handle.writev(batch, position);
    await handle.sync();
    await handle.close();
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const started = performance.now();
  await curlPatch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, source, []);
  const ms = performance.now() - started;
  server.close();
  if ((await stat(target)).size !== SIZE) throw new Error('the bare server stored the wrong size');
  await rm(target);
  return ms;
}

/** This process's CPU seconds plus those of the children it has waited for (curl). */
function ownCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  return fields.slice(11, 15).reduce((sum, ticks) => sum + Number(ticks), 0) / 100;
}

/** User + system CPU time a process has used, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** A field of /proc/PID/status, in kB. */
function vm(pid: number, field: 'VmHWM' | 'VmRSS'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!match) throw new Error(`no ${field} for ${pid}`);
  return Number(match[1]);
}

await main();
