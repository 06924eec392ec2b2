/**
 * The settings page's API: which lake the deployment uses and the edit volumes. Checked before
 * saving (400 for a malformed value, 422 for a lake or volume that cannot be used; nothing changes
 * either way), saved in the catalog over the config, audited without secrets, applied without a
 * restart (the lake is swapped and re-indexed, volumes at once) and kept across a restart.
 *
 * Real: the whole server in-process on SQLite and on PostgreSQL, fs lakes in temporary
 * directories, the Swift s3api endpoint for S3 lakes.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { createDailies } from '../../src/wiring.js';
import {
  ADMIN_PASSWORD,
  type Client,
  makeUser,
  signIn,
  startServer,
  type TestServer,
} from '../auth/support.js';
import { until as poll } from '../support/poll.js';
import { type TestS3Bucket, testS3Bucket, testS3Connection } from '../support/services.js';

const temporary: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), `dailies-settings-${prefix}-`));
  temporary.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, what: string): Promise<T> {
  let value: T | undefined;
  await poll(
    async () => {
      value = await read();
      return ok(value);
    },
    { timeout: 30_000, interval: 100, what },
  );
  return value as T;
}

async function putObject(bucket: TestS3Bucket, key: string, body: string): Promise<void> {
  const client = new S3Client({
    endpoint: bucket.endpoint,
    region: bucket.region,
    forcePathStyle: true,
    credentials: { accessKeyId: bucket.accessKeyId, secretAccessKey: bucket.secretAccessKey },
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }));
  } finally {
    client.destroy();
  }
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`settings (${dialect})`, () => {
    let server: TestServer;
    let admin: Client;
    let editor: Client;

    beforeAll(async () => {
      server = await startServer(dialect);
      admin = await signIn(server.app, 'admin', ADMIN_PASSWORD);
      editor = (await makeUser(admin, 'cutter', ['editors'])).client;
    });
    afterAll(async () => {
      await server?.close();
    });

    // Audit entries of successive saves are told apart by time.
    beforeEach(() => server.clock.advance(1000));

    /** The settings as the API shows them plus the saved rows: what a refusal must leave alone. */
    const state = async () =>
      JSON.stringify({
        shown: (await admin.get('/api/settings')).json(),
        rows: await server.dailies.catalog.settings.entries(['lake', 'volumes']),
        lake: server.dailies.lake.describe(),
      });

    it('shows the lake and volumes of the config until some are saved', async () => {
      const response = await admin.get('/api/settings');
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        lake: { kind: 'fs', path: server.dailies.config.lake },
        volumes: [],
        saved: { lake: false, volumes: false },
        updatedAt: null,
        updatedBy: null,
      });
    });

    it('refuses anyone but an admin, changing nothing', async () => {
      const before = await state();
      expect((await editor.get('/api/settings')).statusCode).toBe(403);
      const put = await editor.request('PUT', '/api/settings', { lake: { kind: 'fs', path: tempDir('x') } });
      expect(put.statusCode).toBe(403);
      expect(put.json().message).toMatch(/Only admins/);
      expect(await state()).toBe(before);
    });

    it('refuses a directory that is a file, is missing, or is not absolute, changing nothing', async () => {
      const before = await state();
      const file = join(tempDir('file'), 'not-a-dir');
      writeFileSync(file, 'x');
      const asFile = await admin.request('PUT', '/api/settings', { lake: { kind: 'fs', path: file } });
      expect(asFile.statusCode).toBe(422);
      expect(asFile.json()).toMatchObject({ error: 'unusable', details: { field: 'lake.path' } });
      expect(asFile.json().message).toBe(`${file} is a file, not a directory.`);
      const missing = await admin.request('PUT', '/api/settings', {
        lake: { kind: 'fs', path: '/nowhere/dailies-lake' },
      });
      expect(missing.statusCode).toBe(422);
      expect(missing.json().message).toMatch(/\/nowhere\/dailies-lake does not exist/);
      // The data dir holds the catalog and the server's secret: never a lake (nor a volume).
      const dataDir = await admin.request('PUT', '/api/settings', {
        lake: { kind: 'fs', path: server.dailies.config.dataDir },
      });
      expect(dataDir.statusCode).toBe(400);
      expect(dataDir.json()).toMatchObject({ details: { field: 'lake.path' } });
      expect(dataDir.json().message).toMatch(/overlaps (the catalog file|the server's secret)/);
      const inDerived = await admin.request('PUT', '/api/settings', {
        volumes: [{ id: 'sneaky', path: join(server.dailies.derived.describe(), 'sub'), groups: [] }],
      });
      expect(inDerived.statusCode).toBe(400);
      expect(inDerived.json().message).toMatch(/overlaps the derivative store/);
      const relative = await admin.request('PUT', '/api/settings', { lake: { kind: 'fs', path: 'lake' } });
      expect(relative.statusCode).toBe(400);
      expect(relative.json().details).toEqual({ field: 'lake.path' });
      expect(await state()).toBe(before);
    });

    it('swaps to another directory (spaces trimmed) at once, re-indexes it and audits the change', async () => {
      const dir = tempDir('lake');
      mkdirSync(join(dir, 'Day 09'));
      writeFileSync(join(dir, 'Day 09', 'B001.mov'), 'already there');
      const response = await admin.request('PUT', '/api/settings', {
        lake: { kind: 'fs', path: `  ${dir}/  ` },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({
        lake: { kind: 'fs', path: dir },
        saved: { lake: true, volumes: false },
        updatedBy: 'admin',
      });
      expect(server.dailies.lake.describe()).toBe(dir);
      // The new lake's content is indexed without a restart.
      const folder = await until(
        () => server.dailies.catalog.folders.getByPath('/Day 09'),
        (f) => f !== null,
        'the new lake to be indexed',
      );
      await until(
        () => server.dailies.catalog.assets.findLive(folder!.id, 'B001.mov'),
        (a) => a !== null,
        'the asset of the new lake',
      );
      // Writes go to the new lake: a folder created through the API appears there.
      expect((await admin.post('/api/folders', { path: '/Made Here' })).statusCode).toBe(201);
      expect(existsSync(join(dir, 'Made Here'))).toBe(true);
      // Uploads stage in and publish to the new lake (the tus server follows the swap).
      const upload = await admin.request('POST', '/api/uploads', Buffer.from('uploaded'), {
        'tus-resumable': '1.0.0',
        'upload-length': '8',
        'upload-metadata': `filename ${Buffer.from('U001.mov').toString('base64')},folder ${Buffer.from('/Made Here').toString('base64')}`,
        'content-type': 'application/offset+octet-stream',
      });
      expect(upload.statusCode, upload.body).toBe(201);
      expect(readFileSync(join(dir, 'Made Here', 'U001.mov'), 'utf8')).toBe('uploaded');
      const [entry] = await server.dailies.catalog.audit.list({ limit: 1, action: 'settings.change' });
      expect(entry).toMatchObject({ actorName: 'admin', action: 'settings.change' });
      expect(entry.detail).toMatchObject({ lake: { to: { kind: 'fs', path: dir } } });
    });

    it('sets an S3 bucket typed with stray spaces: trimmed, checked, saved, secret never shown', async () => {
      const bucket = await testS3Bucket();
      await putObject(bucket, 'Day 10/C001.mov', 'from the bucket');
      const response = await admin.request('PUT', '/api/settings', {
        lake: {
          kind: 's3',
          bucket: `  ${bucket.bucket} `,
          prefix: '',
          endpoint: ` ${bucket.endpoint} `,
          region: bucket.region,
          forcePathStyle: true,
          accessKeyId: bucket.accessKeyId,
          secretAccessKey: bucket.secretAccessKey,
        },
      });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().lake).toEqual({
        kind: 's3',
        bucket: bucket.bucket,
        prefix: '',
        region: bucket.region,
        endpoint: bucket.endpoint,
        forcePathStyle: true,
        accessKeyId: bucket.accessKeyId,
        secretSet: true,
      });
      expect(server.dailies.lake.describe()).toContain(bucket.bucket);
      const folder = await until(
        () => server.dailies.catalog.folders.getByPath('/Day 10'),
        (f) => f !== null,
        'the bucket to be indexed',
      );
      await until(
        () => server.dailies.catalog.assets.findLive(folder!.id, 'C001.mov'),
        (a) => a !== null,
        'the asset of the bucket',
      );
      // Uploads go into the bucket, staged there with the saved credentials.
      const upload = await admin.request('POST', '/api/uploads', Buffer.from('to the bucket'), {
        'tus-resumable': '1.0.0',
        'upload-length': '13',
        'upload-metadata': `filename ${Buffer.from('U002.mov').toString('base64')},folder ${Buffer.from('/Day 10').toString('base64')}`,
        'content-type': 'application/offset+octet-stream',
      });
      expect(upload.statusCode, upload.body).toBe(201);
      expect((await server.dailies.lake.head('Day 10/U002.mov'))?.size).toBe(13);
      // The secret is in no answer, no audit entry, and not in the clear in the catalog.
      const secret = bucket.secretAccessKey;
      expect((await admin.get('/api/settings')).body).not.toContain(secret);
      const [entry] = await server.dailies.catalog.audit.list({ limit: 1, action: 'settings.change' });
      expect(JSON.stringify(entry)).not.toContain(secret);
      expect(entry.detail).toMatchObject({ secretChanged: true });
      expect(await server.dailies.catalog.settings.get('lake')).not.toContain(`"${secret}"`);
      // Saving again without re-typing the secret keeps it (the check would fail without it).
      const again = await admin.request('PUT', '/api/settings', {
        lake: { kind: 's3', bucket: bucket.bucket, endpoint: bucket.endpoint, forcePathStyle: true },
      });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().lake.secretSet).toBe(true);
    });

    it('refuses a bucket that does not exist, an unreachable endpoint, a malformed name: nothing changes', async () => {
      const before = await state();
      const connection = testS3Connection();
      const s3 = { kind: 's3', endpoint: connection.endpoint, forcePathStyle: true };
      const missing = await admin.request('PUT', '/api/settings', {
        lake: { ...s3, bucket: 'dailies-no-such-bucket' },
      });
      expect(missing.statusCode).toBe(422);
      expect(missing.json()).toMatchObject({ error: 'unusable', details: { field: 'lake' } });
      expect(missing.json().message).toMatch(/The bucket "dailies-no-such-bucket" does not exist/);
      const unreachable = await admin.request('PUT', '/api/settings', {
        lake: { ...s3, bucket: 'dailies-any', endpoint: 'http://127.0.0.1:9' },
      });
      expect(unreachable.statusCode).toBe(422);
      expect(unreachable.json().message).toMatch(/127\.0\.0\.1:9/);
      const spaced = await admin.request('PUT', '/api/settings', { lake: { ...s3, bucket: 'my bucket' } });
      expect(spaced.statusCode).toBe(400);
      expect(spaced.json()).toMatchObject({ details: { field: 'lake.bucket' } });
      expect(spaced.json().message).toBe(
        '"my bucket" is not a valid bucket name: it contains a space (bucket names are 3 to 63 characters of lower-case letters, digits, dots and hyphens).',
      );
      const upper = await admin.request('PUT', '/api/settings', { lake: { ...s3, bucket: 'Dailies' } });
      expect(upper.statusCode).toBe(400);
      expect(upper.json().message).toMatch(/upper-case/);
      const wrongSecret = await admin.request('PUT', '/api/settings', {
        lake: { ...s3, bucket: 'dailies-any', accessKeyId: connection.accessKeyId, secretAccessKey: 'wrong' },
      });
      expect(wrongSecret.statusCode).toBe(422);
      expect(await state()).toBe(before);
    });

    it('sets volumes that take effect at once; refuses duplicates, unknown groups and unusable paths', async () => {
      const before = await state();
      const mount = tempDir('volume');
      const file = join(tempDir('volfile'), 'file');
      writeFileSync(file, 'x');
      const volume = {
        id: 'edit',
        name: ' Edit ',
        path: ` ${mount} `,
        displayPath: '\\\\fsx\\share',
        groups: ['editors'],
      };
      const cases: Array<[unknown, number, string, RegExp]> = [
        [[volume, { ...volume }], 400, 'volumes.1.id', /Two volumes have the id "edit"/],
        [[{ ...volume, groups: ['nobody-here'] }], 400, 'volumes.0.groups', /nobody-here/],
        [[{ ...volume, path: file }], 422, 'volumes.0.path', /is not a directory/],
        [[{ ...volume, path: '/nowhere/edit' }], 422, 'volumes.0.path', /not mounted/],
        [[{ ...volume, id: 'Edit Bay' }], 400, 'volumes.0.id', /lower-case/],
      ];
      for (const [volumes, status, field, message] of cases) {
        const response = await admin.request('PUT', '/api/settings', { volumes });
        expect(response.statusCode, response.body).toBe(status);
        expect(response.json().details).toEqual({ field });
        expect(response.json().message).toMatch(message);
      }
      expect(await state()).toBe(before);

      const saved = await admin.request('PUT', '/api/settings', { volumes: [volume] });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json().volumes).toEqual([
        { id: 'edit', name: 'Edit', path: mount, displayPath: '\\\\fsx\\share', groups: ['editors'] },
      ]);
      expect((await editor.get('/api/volumes')).json().items).toEqual([
        { id: 'edit', name: 'Edit', displayPath: '\\\\fsx\\share', groups: ['editors'] },
      ]);
      const [entry] = await server.dailies.catalog.audit.list({ limit: 1, action: 'settings.change' });
      expect(entry.detail).toMatchObject({ volumes: { added: ['edit'], removed: [], changed: [] } });
    });

    it('keeps saved settings across a restart', async () => {
      const shown = (await admin.get('/api/settings')).json();
      const again = await createDailies(server.dailies.config, { onFirstAdminPassword: () => {} });
      try {
        expect(again.settings.get(SYSTEM_ACTOR)).toEqual(shown);
        expect(again.lake.describe()).toBe(server.dailies.lake.describe());
        expect(again.volumes.list(SYSTEM_ACTOR).map((v) => v.id)).toEqual(['edit']);
      } finally {
        await again.close();
      }
    });

    if (dialect === 'postgres') {
      it('reaches every server on the same catalog without a restart', async () => {
        const other = await createDailies(server.dailies.config, { onFirstAdminPassword: () => {} });
        try {
          const mount = tempDir('volume2');
          const response = await admin.request('PUT', '/api/settings', {
            volumes: [{ id: 'conform', path: mount, groups: ['editors'] }],
          });
          expect(response.statusCode, response.body).toBe(200);
          await until(
            async () => other.volumes.list(SYSTEM_ACTOR).map((v) => v.id),
            (ids) => ids.join() === 'conform',
            'the other server to apply the volumes',
          );
        } finally {
          await other.close();
        }
      });
    }
  });
}
