import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServerProcess } from '../support/server-process.js';

const ROOT = join(import.meta.dirname, '../../..');
const run = promisify(execFile);

/** Runs `dailies <args>`; resolves with its exit code and output, whatever the code. */
async function dailies(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(ROOT, 'bin/dailies.js'), ...args], {
      cwd: ROOT,
      env: { ...process.env, DAILIES_LOG_LEVEL: 'warn', ...env },
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? -1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

// Real: `dailies` processes on one SQLite data dir. Two would keep their own queue, events and
// settings and run silently split, so the second refuses, and a SIGKILLed first leaves no stale lock.
describe('one process per SQLite data dir', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  afterAll(async () => {
    await server?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('refuses a second serve, worker, reconcile or import while a server runs, starts again after kill -9, and clears staging debris', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-lock-'));
    const env = { DAILIES_DATA_DIR: dataDir, DAILIES_SECRET: 'lock-test', DAILIES_WATCH_LAKE: 'false' };
    // A write cut short by an earlier crash left its temporary in the lake's staging.
    await mkdir(join(dataDir, 'lake', '.dailies-staging'), { recursive: true });
    await writeFile(join(dataDir, 'lake', '.dailies-staging', 'cut-short'), 'half a file');
    server = await startServerProcess(env);
    // This process owns the data dir, so every staging temporary is debris and is gone at start.
    expect(await readdir(join(dataDir, 'lake', '.dailies-staging'))).toEqual([]);

    const second = await startServerProcess(env).then(
      () => 'started',
      (error: Error) => error.message,
    );
    expect(second).toMatch(/server exited \(1\)/);
    expect(second).toMatch(/Another Dailies process .* is using the data dir/);
    expect(second).toMatch(/use PostgreSQL \(DATABASE_URL\) to run several servers/);
    for (const args of [['worker'], ['reconcile'], ['import', dataDir, '--to', '/x']]) {
      const refused = await dailies(env, ...args);
      expect(refused.code, args[0]).toBe(1);
      expect(refused.output, args[0]).toMatch(/Another Dailies process .* is using the data dir/);
    }
    // Commands that only read or change accounts may run beside the server.
    expect((await dailies(env, 'user', 'list')).code).toBe(0);

    await server.kill('SIGKILL');
    server = await startServerProcess(env);
    expect((await fetch(`${server.url}/healthz`)).ok).toBe(true);
    await server.kill('SIGTERM');
    // A one-shot command runs once the server is gone.
    const reconciled = await dailies(env, 'reconcile');
    expect(reconciled.code).toBe(0);
    expect(JSON.parse(reconciled.output.trim().split('\n').pop()!)).toHaveProperty('scanned', 0);
  }, 180_000);
});
