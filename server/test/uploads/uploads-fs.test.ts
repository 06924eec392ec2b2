import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterEach, describe, expect, it } from 'vitest';
import { FS_UPLOADS_DIR } from '../../src/adapters/uploads/fs-upload-store.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import {
  checksumsOf,
  createUpload,
  filesUnder,
  type RunningServer,
  startServer,
  tusUpload,
  waitFor,
} from './support.js';

// Real: Fastify listening on loopback, tus-js-client over HTTP, SQLite, an fs lake in a temp dir.
const servers: RunningServer[] = [];
async function server(...args: Parameters<typeof startServer>): Promise<RunningServer> {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function assetsIn(s: RunningServer, folder: string) {
  const response = await fetch(`${s.url}/api/assets?folder=${encodeURIComponent(folder)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Array<Record<string, unknown>> }).items;
}

describe('tus uploads into the fs lake', () => {
  it('uploads a small and a multi-MB file: exact bytes, checksums on the asset, nothing left staged', async () => {
    const s = await server();
    const small = Buffer.from('hello');
    const large = randomBytes(9 * 1024 * 1024 + 17);
    const a = await tusUpload(s.url, small, { metadata: { filename: 'hello.txt', folder: '/' } });
    const b = await tusUpload(s.url, large, {
      metadata: { filename: 'A001C003.mov', folder: '/Day 01' },
      chunkSize: 4 * 1024 * 1024,
    });
    expect(a.assetId).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.assetId).toMatch(/^[0-9a-f-]{36}$/);

    const lake = s.config.lake;
    expect(await readFile(join(lake, 'hello.txt'))).toEqual(small);
    expect((await readFile(join(lake, 'Day 01/A001C003.mov'))).equals(large)).toBe(true);

    const [root] = await assetsIn(s, '/');
    expect(root).toMatchObject({ id: a.assetId, name: 'hello.txt', size: 5, checksums: checksumsOf(small) });
    // The uploader by name, as the preview shows it and search filters it.
    expect(root.uploadedBy).toBe('admin');
    const [day] = await assetsIn(s, '/Day 01');
    expect(day).toMatchObject({ id: b.assetId, size: large.length, checksums: checksumsOf(large) });

    // Only the published markers stay in staging (until expiry); no bytes.
    const staged = await filesUnder(join(lake, FS_UPLOADS_DIR));
    expect(staged.every((f) => f.endsWith('.json'))).toBe(true);
    // Staging never shows up as a folder or an asset.
    const folders = await (await fetch(`${s.url}/api/folders?path=/`)).json();
    expect(JSON.stringify(folders)).not.toContain('.dailies');

    const audit = await s.dailies.connection.db
      .selectFrom('auditLog')
      .selectAll()
      .where('action', '=', 'asset.upload')
      .execute();
    expect(audit.map((r) => r.targetId).sort()).toEqual([a.assetId, b.assetId].sort());
  });

  it('resumes an upload aborted half-way, also after a server restart: identical bytes and checksums', async () => {
    const data = randomBytes(6 * 1024 * 1024 + 3);
    const s1 = await server();
    const first = await tusUpload(s1.url, data, {
      metadata: { filename: 'clip.mxf', folder: '/Resume' },
      chunkSize: 1024 * 1024,
      abortAt: 2 * 1024 * 1024,
    });
    expect(first.url).toContain('/api/uploads/');
    expect(await assetsIn(s1, '/Resume')).toEqual([]);

    // Resume in the same process: the running hash continues.
    const second = await tusUpload(s1.url, data, {
      metadata: { filename: 'clip.mxf', folder: '/Resume' },
      uploadUrl: first.url,
      chunkSize: 1024 * 1024,
      abortAt: 4 * 1024 * 1024,
    });
    expect(second.url).toBe(first.url);
    const dataDir = s1.config.dataDir;
    await s1.stop({ keepData: true });
    servers.splice(servers.indexOf(s1), 1);

    // A new server on the same data dir has no hash state: it hashes the staged part once.
    const s2 = await server({ dataDir });
    const path = new URL(first.url).pathname;
    const done = await tusUpload(s2.url, data, {
      metadata: { filename: 'clip.mxf', folder: '/Resume' },
      uploadUrl: `${s2.url}${path}`,
    });
    expect(done.assetId).toBeTruthy();
    const bytes = await readFile(join(s2.config.lake, 'Resume/clip.mxf'));
    expect(checksumsOf(bytes).md5).toBe(checksumsOf(data).md5);
    const [asset] = await assetsIn(s2, '/Resume');
    expect(asset).toMatchObject({ id: done.assetId, size: data.length, checksums: checksumsOf(data) });
  });

  it('makes an asset of an upload whose bytes all arrived before the server stopped: at start, or on HEAD', async () => {
    const s1 = await server();
    const data = randomBytes(300_000);
    // What a server leaves behind when it dies between the last byte and publishing.
    const stageComplete = async (name: string) => {
      const { store } = s1.dailies.uploads;
      const metadata = await s1.dailies.uploads.begin(
        SYSTEM_ACTOR,
        { filename: name, folder: '/Late' },
        data.length,
      );
      const upload = new Upload({ id: store.newId(), size: data.length, offset: 0, metadata });
      await store.datastore.create(upload);
      await store.datastore.write(Readable.from([data]), upload.id, 0);
      return upload.id;
    };
    const atStart = await stageComplete('at-start.mov');
    const onHead = await stageComplete('on-head.mov');
    const dataDir = s1.config.dataDir;
    await s1.stop({ keepData: true });
    servers.splice(servers.indexOf(s1), 1);

    // A client that lost the final response asks where to resume: the answer is "complete".
    const s2 = await server({ dataDir });
    const head = await fetch(`${s2.url}/api/uploads/${s2.dailies.uploads.store.tokenOf(onHead)}`, {
      method: 'HEAD',
      headers: { 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(data.length));
    expect((await assetsIn(s2, '/Late')).map((a) => a.name)).toEqual(['on-head.mov']);
    await s2.stop({ keepData: true });
    servers.splice(servers.indexOf(s2), 1);

    // The start-up sweep finishes the other one.
    const s3 = await server({ dataDir }, { background: true });
    const assets = await assetsIn(s3, '/Late');
    expect(assets.map((a) => a.name)).toEqual(['at-start.mov', 'on-head.mov']);
    for (const asset of assets) expect(asset.checksums).toEqual(checksumsOf(data));
    expect(await readFile(join(s3.config.lake, 'Late/at-start.mov'))).toEqual(data);
    expect(atStart).not.toBe(onHead);
  });

  it("lets only an upload's creator or an admin resume, inspect or cancel it", async () => {
    const s = await server();
    const alice = { id: 'alice', username: 'alice', groups: ['editors'], isAdmin: false };
    const bob = { id: 'bob', username: 'bob', groups: ['editors'], isAdmin: false };
    const { uploads } = s.dailies;
    const metadata = await uploads.begin(alice, { filename: 'mine.mov', folder: '/' }, 10);
    expect(metadata).toMatchObject({ filename: 'mine.mov', folder: '/', uploaderId: 'alice' });
    const upload = new Upload({ id: uploads.store.newId(), size: 10, offset: 0, metadata });
    await uploads.store.datastore.create(upload);
    await expect(uploads.authorize(bob, upload.id)).rejects.toMatchObject({ status: 404 });
    await expect(uploads.settle(bob, upload.id)).rejects.toMatchObject({ status: 404 });
    expect((await uploads.authorize(alice, upload.id))?.id).toBe(upload.id);
    expect((await uploads.authorize(SYSTEM_ACTOR, upload.id))?.id).toBe(upload.id);
  });

  it('keeps a camera card structure: folder /Card01/CLIP is created as needed', async () => {
    const s = await server();
    const data = randomBytes(1000);
    await tusUpload(s.url, data, { metadata: { filename: 'C0001.MP4', folder: '/Card01/CLIP' } });
    await tusUpload(s.url, data, { metadata: { filename: 'C0001.XML', folder: '/Card01/CLIP' } });
    await tusUpload(s.url, data, { metadata: { filename: 'INDEX.BIN', folder: 'Card01' } });
    expect((await assetsIn(s, '/Card01/CLIP')).map((a) => a.name).sort()).toEqual(['C0001.MP4', 'C0001.XML']);
    expect((await assetsIn(s, '/Card01')).map((a) => a.name)).toEqual(['INDEX.BIN']);
    const card = (await (await fetch(`${s.url}/api/folders?path=/Card01`)).json()) as {
      children: Array<{ path: string }>;
    };
    expect(card.children.map((c) => c.path)).toEqual(['/Card01/CLIP']);
  });

  it.each([
    ['a:b', /cannot contain any of/],
    ['..', /cannot be "\." or "\.\."/],
    ['CON', /reserved on Windows/],
    ['trailing ', /begin or end with a space/],
    ['nul\u0000byte', /control characters/],
    ['a/b', /cannot contain "\/"/],
    ['x'.repeat(256), /longer than 255 bytes/],
    ['.dailies-uploads', /reserved for Dailies/],
  ])('refuses the file name %j with 400 naming the rule, and writes nothing', async (name, rule) => {
    const s = await server();
    const response = await createUpload(s.url, { filename: name, folder: '/New Folder' }, 10);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid');
    expect(body.message).toMatch(rule);
    expect(await filesUnder(s.config.lake)).toEqual([]);
    expect(await s.dailies.catalog.folders.getByPath('/New Folder')).toBeNull();
  });

  it('refuses a bad folder and a missing filename with 400', async () => {
    const s = await server();
    const badFolder = await createUpload(s.url, { filename: 'ok.mov', folder: '/Day 01/../..' }, 10);
    expect(badFolder.status).toBe(400);
    expect(((await badFolder.json()) as { message: string }).message).toMatch(/folder name/);
    const noName = await createUpload(s.url, { folder: '/' }, 10);
    expect(noName.status).toBe(400);
    expect(((await noName.json()) as { message: string }).message).toMatch(/filename/);
    expect(await filesUnder(s.config.lake)).toEqual([]);
  });

  it('refuses an existing name with 409 at creation, and at completion never overwrites', async () => {
    const s = await server();
    const original = Buffer.from('original bytes');
    await tusUpload(s.url, original, { metadata: { filename: 'take.mov', folder: '/Shoot' } });
    const again = await createUpload(s.url, { filename: 'take.mov', folder: '/Shoot' }, 5);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toMatch(/"take.mov" is taken in \/Shoot/);

    // Two uploads of one new name race: the second to finish gets 409 and its bytes are dropped.
    const one = randomBytes(2000);
    const two = randomBytes(3000);
    const started = await tusUpload(s.url, two, {
      metadata: { filename: 'race.mov', folder: '/Shoot' },
      chunkSize: 1000,
      abortAt: 1000,
    });
    await tusUpload(s.url, one, { metadata: { filename: 'race.mov', folder: '/Shoot' } });
    const late = tusUpload(s.url, two, {
      metadata: { filename: 'race.mov', folder: '/Shoot' },
      uploadUrl: started.url,
    });
    await expect(late).rejects.toThrow(/409/);
    expect(await readFile(join(s.config.lake, 'Shoot/race.mov'))).toEqual(one);
    expect(await readFile(join(s.config.lake, 'Shoot/take.mov'))).toEqual(original);
    expect((await assetsIn(s, '/Shoot')).map((a) => a.name).sort()).toEqual(['race.mov', 'take.mov']);
    const staged = await filesUnder(join(s.config.lake, FS_UPLOADS_DIR));
    expect(staged.filter((f) => !f.endsWith('.json'))).toEqual([]);
  });

  it('expires an abandoned upload: no asset, staging removed, the URL answers 404/410', async () => {
    const s = await server({ uploadExpiryHours: 4 / 3600 }, { background: true });
    const data = randomBytes(3 * 1024 * 1024);
    const abandoned = await tusUpload(s.url, data, {
      metadata: { filename: 'gone.mov', folder: '/Abandoned' },
      chunkSize: 1024 * 1024,
      abortAt: 1024 * 1024,
    });
    const staging = join(s.config.lake, FS_UPLOADS_DIR);
    expect((await filesUnder(staging)).length).toBe(2);
    await waitFor(async () => (await filesUnder(staging)).length === 0, 15_000);
    expect(await assetsIn(s, '/Abandoned')).toEqual([]);
    const head = await fetch(abandoned.url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
    expect([404, 410]).toContain(head.status);
    expect(await filesUnder(s.config.lake)).toEqual([]);
  });

  it('terminates an unfinished upload on DELETE, and refuses to terminate a finished one', async () => {
    const s = await server();
    const data = randomBytes(4096);
    const partial = await tusUpload(s.url, data, {
      metadata: { filename: 'cancel.mov', folder: '/' },
      chunkSize: 1024,
      abortAt: 1024,
    });
    const del = await fetch(partial.url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(del.status).toBe(204);
    expect(await filesUnder(s.config.lake)).toEqual([]);
    const done = await tusUpload(s.url, data, { metadata: { filename: 'kept.mov', folder: '/' } });
    const refused = await fetch(done.url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(refused.status).toBe(400);
    expect((await assetsIn(s, '/')).map((a) => a.name)).toEqual(['kept.mov']);
  });
});
