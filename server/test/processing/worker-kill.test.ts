import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { Argon2PasswordHasher } from '../../src/adapters/crypto/argon2-password-hasher.js';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { createDailies, type Dailies } from '../../src/wiring.js';
import { isEmpty, readUntil, until, untilSettled } from '../support/poll.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');

// Real: `dailies worker` processes (from source) sharing a SQLite catalog and fs stores with
// this test, which plays the server (no workers of its own); ffmpeg; SIGKILL.
describe('a worker killed with SIGKILL in the middle of a proxy', () => {
  let dataDir = '';
  let dailies: Dailies | null = null;
  let app: FastifyInstance | null = null;
  let session = '';
  const workers: ChildProcess[] = [];
  afterAll(async () => {
    for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
    await app?.close();
    await dailies?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  function startWorker(env: Record<string, string>): ChildProcess & { log: () => string } {
    const child = spawn(process.execPath, [join(ROOT, 'bin/dailies.js'), 'worker'], {
      cwd: ROOT,
      env: {
        ...process.env,
        DAILIES_FROM_SOURCE: '1',
        DAILIES_DATA_DIR: dataDir,
        DAILIES_JOB_LEASE_SECONDS: '3',
        DAILIES_LOG_LEVEL: 'warn',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout?.on('data', (d) => (log += d));
    child.stderr?.on('data', (d) => (log += d));
    workers.push(child);
    return Object.assign(child, { log: () => log });
  }

  /** Processes other than this one whose command line names a file under `dir` (Linux /proc). */
  async function toolsReading(dir: string): Promise<string[]> {
    const found: string[] = [];
    for (const pid of await readdir('/proc')) {
      if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
      const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
      if (cmdline.includes(`${dir}/lake/`))
        found.push(`${pid}: ${cmdline.replaceAll('\0', ' ').slice(0, 80)}`);
    }
    return found;
  }

  async function proxyJob() {
    return dailies!.connection.db
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'asset.proxy')
      .executeTakeFirst();
  }

  /** What a browser would get for the proxy right now: nothing yet, or a whole, playable MP4. */
  async function proxyAsServed(id: string): Promise<'missing' | 'complete'> {
    const response = await app!.inject({ url: `/api/assets/${id}/proxy`, headers: { cookie: session } });
    if (response.statusCode === 404) return 'missing';
    expect(response.statusCode).toBe(200);
    const file = join(dataDir, `served-${Date.now()}.mp4`);
    await writeFile(file, response.rawPayload);
    const { stdout } = await run('ffprobe', ['-v', 'error', '-show_format', '-of', 'json', file]);
    expect(Number(JSON.parse(stdout).format.duration)).toBeCloseTo(10, 0);
    await rm(file);
    return 'complete';
  }

  it('runs the job again after a restart, and never serves a half-written proxy', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-worker-kill-'));
    const clip = join(dataDir, 'clip.mp4');
    await run('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=10'],
      ...[
        '-f',
        'lavfi',
        '-i',
        'sine=duration=10',
        '-c:v',
        'libx264',
        '-preset',
        'ultrafast',
        '-c:a',
        'aac',
        clip,
      ],
    ]);
    dailies = await createDailies(
      loadConfig(
        {},
        {
          dataDir,
          inProcessWorkers: false,
          watchLake: false,
          reconcileInterval: 0,
          adminPassword: 'kill-test-admin',
        },
      ),
      { passwordHasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }) },
    );
    app = await buildApp(dailies);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'kill-test-admin' },
    });
    session = `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`;

    // A slow preset makes the first proxy take long enough to be caught in the middle.
    const first = startWorker({ DAILIES_PROXY_PRESET: 'veryslow' });
    const asset = await dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01',
      'A001.mp4',
      createReadStream(clip),
    );
    // Until the proxy is under way, a reader never finds one.
    const servedMeanwhile = new Set<string>();
    await until(
      async () => {
        const job = await proxyJob();
        if (job?.state === 'running' && Number(job.progressDone) > 0) return true;
        servedMeanwhile.add(await proxyAsServed(asset.id).catch((error: Error) => error.message));
        return false;
      },
      { timeout: 120_000, interval: 100, what: 'the proxy to get going' },
    ).catch((error: Error) => {
      throw new Error(`${error.message}. Worker said: ${first.log()}`);
    });
    expect([...servedMeanwhile].filter((s) => s !== 'missing')).toEqual([]);
    const workDirs = await readdir(join(dataDir, 'work'));
    expect(workDirs.some((d) => d.startsWith(`${first.pid}-`))).toBe(true);
    expect((await dailies.catalog.assets.get(asset.id))?.state).toBe('processing');
    expect(await dailies.catalog.processing.tasks(asset.id)).toContainEqual(
      expect.objectContaining({ job: 'asset.proxy', state: 'running' }),
    );
    expect(await toolsReading(dataDir)).not.toEqual([]);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    // Its ffmpeg died with it rather than running on, unseen.
    expect(await readUntil(() => toolsReading(dataDir), isEmpty, { timeout: 5000 })).toEqual([]);

    // Whatever the killed ffmpeg left is nowhere a reader looks.
    expect(await proxyAsServed(asset.id)).toBe('missing');
    // (Derivatives sit under a generation folder: `<id>/<generation>/proxy.mp4`.)
    const stored = await readdir(join(dataDir, 'derived', asset.id), { recursive: true }).catch(
      () => [] as string[],
    );
    expect(stored.filter((path) => basename(path).startsWith('proxy'))).toEqual([]);

    const second = startWorker({ DAILIES_PROXY_PRESET: 'ultrafast' });
    const { catalog, connection } = dailies;
    const settled = await untilSettled(() => catalog.assets.get(asset.id), 300_000).catch(
      async (error: Error) => {
        const jobs = await connection.db.selectFrom('jobs').selectAll().execute();
        const tasks = await catalog.processing.tasks(asset.id);
        throw new Error(
          `Not ready after the restart (${error.message}): ${JSON.stringify({ tasks, jobs })}. Worker said: ${second.log()}`,
        );
      },
    );
    expect(settled.state).toBe('ready');
    expect(await proxyAsServed(asset.id)).toBe('complete');
    const job = await proxyJob();
    expect(job).toMatchObject({ state: 'done', attempts: 2 });
    // The dead worker's temporary files were cleared when the new one started.
    expect((await readdir(join(dataDir, 'work'))).some((d) => d.startsWith(`${first.pid}-`))).toBe(false);
    second.kill('SIGTERM');
    await new Promise((resolve) => second.once('exit', resolve));
    expect(second.exitCode).toBe(0);
  }, 300_000);
});
