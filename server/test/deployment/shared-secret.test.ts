/**
 * Real: two servers as on two machines (each its own data dir) sharing one PostgreSQL catalog and
 * the Swift S3 endpoint. What one server signs or seals with the deployment's secret, the other
 * accepts; a rotation keeps what the previous secret made working.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import { type Config, loadConfig } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { SECRET_FINGERPRINT_KEY } from '../../src/features/settings/secret-fingerprint.js';
import { seal, unseal } from '../../src/lib/sealing.js';
import { derivedSecret } from '../../src/lib/server-secret.js';
import { signToken, verifyToken } from '../../src/lib/signing.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';
import { testS3Bucket } from '../support/services.js';

const SHARED = 'a-long-shared-secret-for-every-process-0123456789';
const NEWER = 'the-secret-after-rotation-0123456789abcdefghijklmnop';

const started: TestDailies[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const t of started.splice(0).reverse()) await t.close();
});

async function server(config: Partial<Config>, catalog?: 'postgres') {
  const t = await startDailies({ catalog, config, background: false });
  started.push(t);
  return t;
}

/** Saves the test bucket as the S3 lake through one server's settings API (its key sealed in the catalog). */
async function saveS3Lake(t: TestDailies) {
  const bucket = await testS3Bucket();
  const saved = await t.api('PUT', '/api/settings', {
    lake: {
      kind: 's3',
      bucket: bucket.bucket,
      prefix: '',
      endpoint: bucket.endpoint,
      region: bucket.region,
      forcePathStyle: true,
      accessKeyId: bucket.accessKeyId,
      secretAccessKey: bucket.secretAccessKey,
    },
  });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  return bucket;
}

async function downloadUrl(t: TestDailies, assetId: string): Promise<string> {
  const minted = await t.api('POST', '/api/assets/download', { ids: [assetId] });
  expect(minted.status, JSON.stringify(minted.body)).toBe(200);
  return minted.body.items[0].url as string;
}

describe('one server secret shared by every process', () => {
  it('an S3 lake saved on one server is used by the other, and a link signed on one is served by the other', async () => {
    const a = await server({ secret: SHARED }, 'postgres');
    // The fs lake as a shared mount (NFS) would be: one directory, two data dirs.
    const b = await server({ secret: SHARED, databaseUrl: a.config.databaseUrl, lake: a.config.lake });
    expect(a.dataDir).not.toBe(b.dataDir);
    expect([a.dailies.secretAgreement, b.dailies.secretAgreement]).toEqual(['recorded', 'same']);
    const onFs = await a.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Mounted',
      'plate.mov',
      Readable.from([Buffer.from('bytes on the mount')]),
    );
    const url = await downloadUrl(a, onFs.id);
    expect(url).toMatch(/^\/api\/downloads\//);
    const file = await b.app.inject({ method: 'GET', url });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('bytes on the mount');

    const bucket = await saveS3Lake(a);
    // The other server hears of the change, opens the sealed key with the shared secret, and
    // writes into the bucket with it.
    await until(
      async () => {
        const lake = (await b.api('GET', '/api/settings')).body.lake;
        return lake?.bucket === bucket.bucket && lake.secretSet === true;
      },
      { timeout: 15_000, interval: 50, what: 'the other server to take the saved lake' },
    );
    await b.dailies.lake.check();
    const asset = await b.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Shared',
      'plate.mov',
      Readable.from([Buffer.from('bytes written by server b')]),
    );
    expect((await a.dailies.lake.head('Shared/plate.mov'))?.size).toBe(25);
    // The other way too: server a reads what b wrote, and its presigned link serves it.
    const presigned = await fetch(await downloadUrl(a, asset.id));
    expect(await presigned.text()).toBe('bytes written by server b');
  });

  it('after a rotation, old links still verify and saved keys still open; new links use the new secret', async () => {
    const a = await server({ secret: SHARED }, 'postgres');
    const asset = await a.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Rotated',
      'clip.mov',
      Readable.from([Buffer.from('rotation bytes')]),
    );
    const oldUrl = await downloadUrl(a, asset.id);
    // The same lake directory, a new process with the new secret and the old one as previous.
    const b = await server({
      secret: NEWER,
      secretPrevious: SHARED,
      databaseUrl: a.config.databaseUrl,
      lake: a.config.lake,
    });
    expect(b.dailies.secretAgreement).toBe('rotated');
    expect((await b.app.inject({ method: 'GET', url: oldUrl })).body).toBe('rotation bytes');

    const newUrl = await downloadUrl(b, asset.id);
    const newToken = newUrl.split('/').pop() as string;
    expect(verifyToken('download', newToken, NEWER)).not.toBeNull();
    expect(verifyToken('download', newToken, SHARED)).toBeNull();
    expect((await b.app.inject({ method: 'GET', url: newUrl })).body).toBe('rotation bytes');
    // A process left on the old secret refuses the new link, and now says it disagrees.
    expect((await a.app.inject({ method: 'GET', url: newUrl })).statusCode).toBe(404);
    const warnings: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void warnings.push(String(line)));
    const stale = await server({ secret: SHARED, databaseUrl: a.config.databaseUrl, lake: a.config.lake });
    expect(stale.dailies.secretAgreement).toBe('differs');
    expect(warnings.join('\n')).toMatch(/same DAILIES_SECRET/);
    // The stale process does not take the record back.
    expect(await b.dailies.catalog.settings.get(SECRET_FINGERPRINT_KEY)).toBe(
      await stale.dailies.catalog.settings.get(SECRET_FINGERPRINT_KEY),
    );
    // Once the previous secret is dropped, what it signed is refused.
    const dropped = await server({ secret: NEWER, databaseUrl: a.config.databaseUrl, lake: a.config.lake });
    expect((await dropped.app.inject({ method: 'GET', url: oldUrl })).statusCode).toBe(404);
    expect((await dropped.app.inject({ method: 'GET', url: newUrl })).body).toBe('rotation bytes');
  });

  it('an S3 key saved before a rotation opens with the previous secret, and not without it', async () => {
    const a = await server({ secret: SHARED }, 'postgres');
    await saveS3Lake(a);
    const rotated = await server({
      secret: NEWER,
      secretPrevious: SHARED,
      databaseUrl: a.config.databaseUrl,
    });
    expect((await rotated.api('GET', '/api/settings')).body.lake).toMatchObject({ secretSet: true });
    await rotated.dailies.lake.check();
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const forgot = await server({ secret: NEWER, databaseUrl: a.config.databaseUrl });
    expect((await forgot.api('GET', '/api/settings')).body.lake).toMatchObject({ secretSet: false });
    await expect(forgot.dailies.lake.check()).rejects.toThrow();
  });

  it('two servers with a secret each (none configured) are told they differ', async () => {
    const warnings: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void warnings.push(String(line)));
    const a = await server({ secret: '' }, 'postgres');
    const b = await server({ secret: '', databaseUrl: a.config.databaseUrl });
    expect(a.dailies.secretAgreement).toBe('recorded');
    expect(b.dailies.secretAgreement).toBe('differs');
    expect(warnings.some((w) => w.includes('another secret than the other processes'))).toBe(true);
  });

  it('a key sealed and a token signed with an earlier secret open under the ring, and only there', () => {
    const earlier = 'old-generated-in-the-data-dir';
    const ring = { current: SHARED, previous: [earlier] };
    const token = signToken('download', { a: 1 }, earlier);
    expect(verifyToken('download', token, ring)).toMatchObject({ a: 1 });
    expect(verifyToken('download', token, SHARED)).toBeNull();
    // A purpose's key never verifies another purpose, under any secret of the ring.
    expect(verifyToken('oidc-transaction', token, ring)).toBeNull();
    // Signing always uses the current secret.
    expect(verifyToken('download', signToken('download', { a: 2 }, ring), SHARED)).toMatchObject({ a: 2 });
    const box = seal('s3-secret-key', earlier);
    expect(unseal(box, ring)).toBe('s3-secret-key');
    expect(unseal(box, SHARED)).toBeNull();
    expect(unseal(seal('new', ring), earlier)).toBeNull();
    // Two-factor secrets are sealed under a derived key; the derived ring rotates with the secret.
    const twoFactorEarlier = derivedSecret(earlier, 'dailies two-factor secrets');
    const totp = seal('JBSWY3DPEHPK3PXP', twoFactorEarlier);
    expect(unseal(totp, derivedSecret(ring, 'dailies two-factor secrets'))).toBe('JBSWY3DPEHPK3PXP');
    expect(unseal(totp, derivedSecret(ring, 'another purpose'))).toBeNull();
  });

  it('reads the secret from DAILIES_SECRET_FILE, and refuses a missing or empty file rather than making its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dailies-secret-'));
    try {
      await writeFile(join(dir, 'secret'), `${SHARED}\n`);
      await writeFile(join(dir, 'previous'), 'before\n');
      await writeFile(join(dir, 'empty'), '\n');
      const config = loadConfig({
        DAILIES_DATA_DIR: dir,
        DAILIES_SECRET_FILE: join(dir, 'secret'),
        DAILIES_SECRET_PREVIOUS_FILE: join(dir, 'previous'),
      });
      expect(config.secret).toBe(SHARED);
      expect(config.secretPrevious).toBe('before');
      // The variable itself wins over the file.
      expect(
        loadConfig({
          DAILIES_DATA_DIR: dir,
          DAILIES_SECRET: 'x'.repeat(40),
          DAILIES_SECRET_FILE: join(dir, 'secret'),
        }).secret,
      ).toBe('x'.repeat(40));
      expect(() => loadConfig({ DAILIES_DATA_DIR: dir, DAILIES_SECRET_FILE: join(dir, 'empty') })).toThrow(
        /DAILIES_SECRET_FILE .* is empty/,
      );
      expect(() => loadConfig({ DAILIES_DATA_DIR: dir, DAILIES_SECRET_FILE: join(dir, 'nope') })).toThrow(
        /DAILIES_SECRET_FILE .* cannot be read/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('doctor warns on PostgreSQL without a shared secret and fails when the secrets differ', async () => {
    const a = await server({ secret: '' }, 'postgres');
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const alone = await runDoctor({ ...a.config });
    expect(lines.join('\n')).toMatch(
      /WARN secret +generated in this data dir, so no other process shares it/,
    );
    expect(alone).toBe(0);
    lines.length = 0;
    const other = await mkdtemp(join(tmpdir(), 'dailies-secret-'));
    try {
      const code = await runDoctor({ ...a.config, dataDir: other, workDir: join(other, 'work') });
      expect(lines.join('\n')).toMatch(/FAIL secret +This process signs with another secret/);
      expect(code).toBe(1);
      lines.length = 0;
      expect(
        await runDoctor({ ...a.config, secret: SHARED, dataDir: other, workDir: join(other, 'work') }),
      ).toBe(1);
      lines.length = 0;
      // With the generated one as previous, a shared secret is a rotation: agreed, and recorded.
      expect(await runDoctor({ ...a.config, secret: SHARED })).toBe(0);
      expect(lines.join('\n')).toMatch(/ok +secret +shared \(DAILIES_SECRET\)/);
    } finally {
      await rm(other, { recursive: true, force: true });
    }
  });
});
