import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');

// Real: `dailies storage` as a user runs it, on SQLite and an fs lake in a temp data dir.
describe('dailies storage', () => {
  let dataDir: string;
  const dailies = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'bin/dailies.js'), ...args], {
      env: { ...process.env, DAILIES_DATA_DIR: dataDir, DAILIES_LOG_LEVEL: 'warn' },
      cwd: ROOT,
    });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-storage-cli-'));
    await mkdir(join(dataDir, 'lake', 'Day 01', 'Cam A'), { recursive: true });
    await writeFile(join(dataDir, 'lake', 'Day 01', 'Cam A', 'A001.mov'), 'x'.repeat(1500));
    await writeFile(join(dataDir, 'lake', 'Day 01', 'notes.txt'), 'y'.repeat(20));
    await writeFile(join(dataDir, 'lake', 'root.wav'), 'z'.repeat(3));
    await dailies('reconcile');
  }, 120_000);
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints a table of the folder and its sub-folders', async () => {
    const { stdout } = await dailies('storage');
    expect(stdout).toMatch(/^folder\s+assets\s+size$/m);
    expect(stdout).toMatch(/^\/\s+3\s+1\.52 kB$/m);
    expect(stdout).toMatch(/^ {2}Day 01\s+2\s+1\.52 kB$/m);
    expect(stdout).toMatch(/^trash\s+0\s+0 B$/m);
  }, 60_000);

  it('--json gives the API figures of a folder, --check recounts them', async () => {
    const { stdout } = await dailies('storage', '--folder', '/Day 01', '--json', '--check');
    const figures = JSON.parse(stdout);
    expect(figures.folder).toMatchObject({ path: '/Day 01', assets: 2, bytes: 1520 });
    expect(figures.children).toMatchObject([{ name: 'Cam A', assets: 1, bytes: 1500 }]);
    expect(figures.check).toEqual({ differ: 0 });
  }, 60_000);

  it('a missing folder is an error, exit 1', async () => {
    const failure = await dailies('storage', '--folder', '/Nope').catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/not found/);
  }, 60_000);
});
