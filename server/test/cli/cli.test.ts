import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createDailies } from '../../src/wiring.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');

// Real: the `dailies` command as a user runs it, on SQLite and an fs lake in a temp data dir.
describe('the dailies CLI', () => {
  let dataDir: string;
  let card: string;
  const env = () => ({ ...process.env, DAILIES_DATA_DIR: dataDir, DAILIES_LOG_LEVEL: 'warn' });
  const dailies = (...args: string[]) =>
    run(process.execPath, [join(ROOT, 'bin/dailies.js'), ...args], { env: env(), cwd: ROOT });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-cli-'));
    card = await mkdtemp(join(tmpdir(), 'dailies-card-'));
    await mkdir(join(card, 'CLIP'), { recursive: true });
    await writeFile(join(card, 'CLIP', 'A001C001.mov'), 'take one');
    await writeFile(join(card, 'CLIP', 'A001C002.mov'), 'take two');
    await writeFile(join(card, 'INDEX.XML'), '<index/>');
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
    await rm(card, { recursive: true, force: true });
  });

  it('imports a camera card keeping its structure, with checksums', async () => {
    const { stdout } = await dailies('import', card, '--to', '/Day 01/Card A');
    expect(stdout).toContain('imported /Day 01/Card A/CLIP/A001C001.mov');
    expect(JSON.parse(stdout.trim().split('\n').pop()!)).toEqual({ imported: 3, failed: 0 });
    const d = await createDailies(loadConfig({ DAILIES_DATA_DIR: dataDir }, { watchLake: false }));
    try {
      const folder = (await d.catalog.folders.getByPath('/Day 01/Card A/CLIP'))!;
      const asset = (await d.catalog.assets.findLive(folder.id, 'A001C002.mov'))!;
      expect(asset.checksumMd5).toBe(createHash('md5').update('take two').digest('hex'));
    } finally {
      await d.close();
    }
  });

  it('refuses to import over existing assets and says why, exiting non-zero', async () => {
    const failure = await dailies('import', card, '--to', '/Day 01/Card A').catch((error) => error);
    expect(failure.code).toBe(1);
    expect(failure.stderr).toMatch(/"A001C001.mov" is taken in \/Day 01\/Card A\/CLIP/);
  });

  it('reconciles on demand and prints a report', async () => {
    await writeFile(join(dataDir, 'lake', 'dropped.wav'), 'riff');
    const { stdout } = await dailies('reconcile');
    expect(JSON.parse(stdout)).toMatchObject({ added: 1, removed: 0 });
  });

  it('doctor prints the effective config and checks every part', async () => {
    const { stdout } = await dailies('doctor');
    expect(stdout).toContain('Effective configuration');
    // Secrets are named as set, never printed.
    const withSecrets = await run(process.execPath, [join(ROOT, 'bin/dailies.js'), 'doctor'], {
      env: {
        ...env(),
        DAILIES_METRICS_TOKEN: 'metrics-token-not-for-print',
        DAILIES_OIDC_ISSUER: 'http://127.0.0.1:1/idp',
        DAILIES_OIDC_CLIENT_ID: 'dailies',
        DAILIES_OIDC_CLIENT_SECRET: 'oidc-secret-not-for-print',
      },
      cwd: ROOT,
    }).catch((error) => error);
    expect(withSecrets.stdout).toContain('Effective configuration');
    expect(withSecrets.stdout).not.toContain('metrics-token-not-for-print');
    expect(withSecrets.stdout).not.toContain('oidc-secret-not-for-print');
    expect(stdout).toMatch(/ok +ffmpeg/);
    expect(stdout).toMatch(/ok +catalog +sqlite/);
    expect(stdout).toMatch(/ok +lake/);
    // bubblewrap is installed by scripts/setup.sh and works for root: the tools are sandboxed.
    expect(stdout).toMatch(/ok +sandbox +bubblewrap sandbox \(the tool sees only its file\)/);
    expect(stdout).toMatch(
      /ok +limits +each tool ≤ 8192 MiB, ffmpeg ≤ 86400 CPU s; tools die with their server/,
    );
    const off = await run(process.execPath, [join(ROOT, 'bin/dailies.js'), 'doctor'], {
      env: { ...env(), DAILIES_TOOL_SANDBOX: 'off' },
      cwd: ROOT,
    });
    expect(off.stdout).toMatch(/ok +sandbox +off \(DAILIES_TOOL_SANDBOX=off\): media tools run unsandboxed/);
    const broken = await run(process.execPath, [join(ROOT, 'bin/dailies.js'), 'doctor'], {
      env: {
        ...env(),
        DAILIES_LAKE: 's3://no-such-bucket-here',
        S3_ENDPOINT: 'http://127.0.0.1:1',
        AWS_ACCESS_KEY_ID: 'x',
        AWS_SECRET_ACCESS_KEY: 'y',
      },
      cwd: ROOT,
    }).catch((error) => error);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/FAIL lake/);
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    const failure = await dailies('frobnicate').catch((error) => error);
    expect(failure.code).toBe(2);
    expect(failure.stderr).toContain('Usage');
  });
});
