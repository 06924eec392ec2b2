import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Argon2PasswordHasher } from '../../src/adapters/crypto/argon2-password-hasher.js';
import { loadConfig } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { createDailies } from '../../src/wiring.js';

const ROOT = join(import.meta.dirname, '../../..');

// Real: a `dailies worker` process on a SQLite data dir, its log read from its standard output.
describe('dailies worker', () => {
  let dataDir: string;
  let worker: ChildProcess | null = null;
  afterAll(async () => {
    if (worker && worker.exitCode === null) {
      const exited = new Promise((resolve) => worker?.once('exit', resolve));
      worker.kill('SIGTERM');
      await exited;
    }
    await rm(dataDir, { recursive: true, force: true });
  });

  it('logs a failing job as serve does: one JSON line with the reason', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-worker-log-'));
    const dailies = await createDailies(
      loadConfig({}, { dataDir, watchLake: false, adminPassword: 'worker-log-admin' }),
      {
        passwordHasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
      },
    );
    const id = await dailies.jobs.enqueue(
      'assets.move',
      { actorId: SYSTEM_ACTOR.id, assetIds: [], toFolderPath: '/Gone' },
      { maxAttempts: 1 },
    );
    await dailies.close();

    let output = '';
    worker = spawn(process.execPath, [join(ROOT, 'bin/dailies.js'), 'worker'], {
      env: { ...process.env, DAILIES_DATA_DIR: dataDir, DAILIES_WATCH_LAKE: 'false', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    worker.stdout?.on('data', (chunk) => (output += chunk));
    worker.stderr?.on('data', (chunk) => (output += chunk));
    const line = await vi.waitFor(
      () => {
        const found = output
          .split('\n')
          .filter((l) => l.startsWith('{'))
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === 'job failed' && l.job === id);
        if (!found) throw new Error(`no line yet:\n${output}`);
        return found;
      },
      { timeout: 60_000, interval: 100 },
    );
    expect(line).toMatchObject({
      level: 50,
      role: 'worker',
      component: 'jobs',
      name: 'assets.move',
      attempt: 1,
      again: false,
      reason: 'The folder /Gone no longer exists.',
    });
    expect(line.durationMs).toBeGreaterThanOrEqual(0);
  });
});
