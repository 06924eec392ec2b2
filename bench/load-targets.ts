/**
 * What bench/load.ts runs against: one `dailies serve` on the embedded default (SQLite, fs
 * lake), or scripts/topology.sh's 2 serve + 2 worker + nginx over PostgreSQL and the S3 lake.
 * Each starts, seeds a folder of small files in the lake (indexed by a re-index), and names
 * its processes for the RSS figures.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { makeMedia } from '../server/test/support/media-fixtures.js';
import { freePort } from '../server/test/support/server-process.js';
import { adminToken, benchServerEnv, createTusUpload, serverNodeArgs, waitForHealth } from './support.js';

const ROOT = join(import.meta.dirname, '..');
const ADMIN_PASSWORD = 'load-bench-admin-password';
export const SEED_FOLDER = '/Load';

export interface Running {
  base: string;
  token: string;
  /** name → pid of each process whose RSS is reported. */
  processes(): Map<string, number>;
  stop(): Promise<void>;
}

/** One server on SQLite with its fs lake in a new data dir; BENCH_SERVER_NODE_ARGS adds node flags (--cpu-prof). */
export async function startSqlite(assets: number, nice: number): Promise<Running> {
  const dataDir = await mkdtemp(join(process.env.BENCH_DIR ?? tmpdir(), 'dailies-load-'));
  // Files in the lake before the start: the start's re-index makes them assets.
  await mkdir(join(dataDir, 'lake', SEED_FOLDER.slice(1)), { recursive: true });
  for (let i = 0; i < assets; i++)
    await writeFile(join(dataDir, 'lake', SEED_FOLDER.slice(1), seedName(i)), seedBytes(i));
  const port = await freePort();
  // Under `nice`, so every thread of the server (readers, hashing, libuv's pool) runs at that priority.
  const server: ChildProcess = spawn(
    'nice',
    ['-n', String(nice), process.execPath, ...serverNodeArgs(), join(ROOT, 'bin/dailies.js'), 'serve'],
    {
      cwd: ROOT,
      env: benchServerEnv(dataDir, port, ADMIN_PASSWORD),
      stdio: ['ignore', 'inherit', 'inherit'],
    },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, () => server.exitCode !== null);
  const token = await adminToken(base, ADMIN_PASSWORD);
  await waitForAssets(base, token, assets);
  return {
    base,
    token,
    processes: () => new Map([['serve', server.pid!]]),
    async stop() {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** scripts/topology.sh on the test services; the seeded objects are put into the bucket, then re-indexed. */
export async function startTopology(assets: number, nice: number): Promise<Running> {
  for (const name of ['DAILIES_TEST_DATABASE_URL', 'DAILIES_TEST_S3_ENDPOINT'])
    if (!process.env[name]) throw new Error(`${name} is not set: source .test-services/env first`);
  const dir = await mkdtemp(join(tmpdir(), 'dailies-load-topology-'));
  const proxyPort = await freePortRun(3);
  execFileSync('nice', ['-n', String(nice), join(ROOT, 'scripts/topology.sh'), 'start', dir], {
    env: {
      ...process.env,
      DAILIES_TOPOLOGY_PORT: String(proxyPort),
      DAILIES_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DAILIES_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const env = Object.fromEntries(
    readFileSync(join(dir, 'env'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const stop = async () => {
    execFileSync(join(ROOT, 'scripts/topology.sh'), ['stop', dir], { stdio: 'inherit' });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const base = env.PROXY_URL;
    const token = await adminToken(base, ADMIN_PASSWORD);
    const { bucket, prefix } = /^s3:\/\/(?<bucket>[^/]+)\/?(?<prefix>.*)$/.exec(env.DAILIES_LAKE)!.groups!;
    const s3 = new S3Client({
      endpoint: process.env.DAILIES_TEST_S3_ENDPOINT,
      region: process.env.DAILIES_TEST_S3_REGION ?? 'us-east-1',
      forcePathStyle: true,
      credentials: {
        accessKeyId: process.env.DAILIES_TEST_S3_ACCESS_KEY!,
        secretAccessKey: process.env.DAILIES_TEST_S3_SECRET_KEY!,
      },
    });
    const keyPrefix = `${prefix ? `${prefix.replace(/\/$/, '')}/` : ''}${SEED_FOLDER.slice(1)}/`;
    for (let i = 0; i < assets; i += 20)
      await Promise.all(
        Array.from({ length: Math.min(20, assets - i) }, (_, j) =>
          s3.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: keyPrefix + seedName(i + j),
              Body: seedBytes(i + j),
            }),
          ),
        ),
      );
    s3.destroy();
    const reindexed = await fetch(`${base}/api/reconcile`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    if (!reindexed.ok) throw new Error(`re-index failed: ${reindexed.status} ${await reindexed.text()}`);
    await waitForAssets(base, token, assets);
    // The workers probe every new asset: measured while they still did (a bwrap'd ffprobe
    // each), the browsing shared the two cores with 1,000 probes. A team browses a processed day.
    await waitForProcessing(base, token);
    return {
      base,
      token,
      processes: () => {
        const named = new Map<string, number>();
        for (const line of readFileSync(join(dir, 'pids'), 'utf8').split('\n').filter(Boolean)) {
          const [name, pid] = line.split(' ');
          named.set(name, Number(pid));
          if (name === 'nginx')
            for (const child of childPids(Number(pid))) named.set(`nginx worker ${child}`, child);
        }
        return named;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A short real video uploaded through the target; resolves to its id once a worker made its thumbnail. */
export async function thumbnailedAsset(base: string, token: string): Promise<string | null> {
  const file = await makeMedia({
    file: 'thumbnail-source.mp4',
    args: ['-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=25:duration=2', '-pix_fmt', 'yuv420p'],
  });
  const bytes = await readFile(file);
  const created = await createTusUpload(base, token, {
    length: bytes.length,
    filename: 'thumbnail-source.mp4',
    folder: SEED_FOLDER,
    body: bytes,
  });
  const id = created.headers.get('dailies-asset-id');
  if (created.status !== 201 || !id)
    throw new Error(`thumbnail source upload: ${created.status} ${await created.text()}`);
  for (let i = 0; i < 120; i++) {
    const thumbnail = await fetch(`${base}/api/assets/${id}/thumbnail`, {
      headers: { authorization: `Bearer ${token}` },
    });
    await thumbnail.arrayBuffer();
    if (thumbnail.ok) return id;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return null;
}

function seedName(i: number): string {
  return `A${String(i % 1000).padStart(3, '0')}C${String(i % 97).padStart(3, '0')}_clip_${i}.bin`;
}

function seedBytes(i: number): Buffer {
  return Buffer.from(`load bench seed ${i}\n`.repeat(8));
}

async function waitForAssets(base: string, token: string, assets: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const page = await fetch(`${base}/api/assets?folder=${encodeURIComponent(SEED_FOLDER)}&limit=1`, {
      headers: { authorization: `Bearer ${token}` },
    });
    if (page.ok && ((await page.json()) as { total: number }).total >= assets) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the ${assets} seeded assets were not indexed`);
}

/** Until no asset of the seeded folder is waiting for or in processing (at most 15 minutes). */
async function waitForProcessing(base: string, token: string): Promise<void> {
  const started = performance.now();
  let reported = 0;
  while (performance.now() - started < 15 * 60_000) {
    let unsettled = 0;
    let cursor: string | null = null;
    do {
      const page = await fetch(
        `${base}/api/assets?folder=${encodeURIComponent(SEED_FOLDER)}&limit=1000${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { headers: { authorization: `Bearer ${token}` } },
      );
      if (!page.ok) throw new Error(`listing the seeded folder: ${page.status} ${await page.text()}`);
      const body = (await page.json()) as { items: Array<{ state: string }>; nextCursor: string | null };
      unsettled += body.items.filter((a) => a.state === 'pending' || a.state === 'processing').length;
      cursor = body.nextCursor;
    } while (cursor);
    if (unsettled === 0) return;
    if (performance.now() - reported > 15_000) {
      console.log(`waiting for the workers: ${unsettled} seeded assets not yet processed`);
      reported = performance.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error('the seeded assets were not processed within 15 minutes');
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** A first port of `count` consecutive free ones (the proxy and the two servers). */
async function freePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20000 + Math.floor(Math.random() * 20000);
    const free = await Promise.all(
      Array.from(
        { length: count },
        (_, i) =>
          new Promise<boolean>((resolve) => {
            const s = createServer();
            s.once('error', () => resolve(false));
            s.listen(first + i, '127.0.0.1', () => s.close(() => resolve(true)));
          }),
      ),
    );
    if (free.every(Boolean)) return first;
  }
  throw new Error('no run of free ports');
}
