/**
 * The fs upload staging never writes through a symbolic link (issue 11.3): a link planted as
 * `.dailies-uploads` itself, at an upload's data file or at its tus info file (to the catalog,
 * to a secret) makes the upload fail with a clear reason; the link's target keeps its bytes.
 *
 * Real: the fs upload store (tus's file store under it) over an fs lake in a temporary
 * directory, driven through tus's datastore calls as the tus server makes them.
 */
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Upload } from '@tus/server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../src/adapters/storage/fs-object-store.js';
import { FS_UPLOADS_DIR, FsUploadStore } from '../../src/adapters/uploads/fs-upload-store.js';

let base: string;
let lake: string;
let secrets: string;
let store: FsUploadStore;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'dailies-staging-links-'));
  lake = join(base, 'lake');
  secrets = join(base, 'data');
  await mkdir(lake);
  await mkdir(secrets);
  await writeFile(join(secrets, 'dailies.sqlite'), 'the catalog');
  await writeFile(join(secrets, 'secret.key'), 'the server secret');
  store = new FsUploadStore(new FsObjectStore(lake), { expiryMs: 3_600_000 });
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

const digest = async () =>
  Promise.all(
    ['dailies.sqlite', 'secret.key'].map(async (n) =>
      createHash('sha256')
        .update(await readFile(join(secrets, n)))
        .digest('hex'),
    ),
  );

function upload(id: string, size?: number): Upload {
  return new Upload({
    id,
    size,
    offset: 0,
    metadata: { filename: 'A.mov', folder: '/Day 01' },
    creation_date: new Date().toISOString(),
  });
}

describe('fs upload staging and symbolic links', () => {
  it('refuses to stage anything when its directory is a link', async () => {
    await symlink(secrets, join(lake, FS_UPLOADS_DIR));
    const before = await digest();
    const id = store.newId();
    await expect(store.datastore.create(upload(id, 5))).rejects.toThrow(/symbolic link/);
    await expect(store.datastore.write(Readable.from([Buffer.from('hello')]), id, 0)).rejects.toThrow();
    expect(await store.get(id)).toBeNull();
    expect(await store.list()).toEqual([]);
    expect(await digest()).toEqual(before);
  });

  it('never writes an upload through a link swapped in for its data or its info file', async () => {
    const id = store.newId();
    await store.datastore.create(upload(id));
    await store.datastore.write(Readable.from([Buffer.from('first ')]), id, 0);
    const staging = join(lake, FS_UPLOADS_DIR);
    const before = await digest();

    // The data file becomes a link to the catalog: the next bytes are refused, not written there.
    await unlink(join(staging, id));
    await symlink(join(secrets, 'dailies.sqlite'), join(staging, id));
    await expect(store.datastore.write(Readable.from([Buffer.from('overwrite')]), id, 6)).rejects.toThrow();
    await expect(store.datastore.getUpload(id)).rejects.toBeTruthy();
    await expect(store.checksums(id)).rejects.toBeTruthy();
    await expect(store.publish(id, 'Day 01/A.mov')).rejects.toBeTruthy();
    expect(await store.get(id)).toBeNull();

    // The info file becomes a link to the secret: declaring the length does not write through it.
    await unlink(join(staging, `${id}.json`));
    await symlink(join(secrets, 'secret.key'), join(staging, `${id}.json`));
    await expect(store.datastore.declareUploadLength(id, 100)).rejects.toBeTruthy();
    await expect(store.datastore.configstore.set(id, upload(id, 100))).rejects.toBeTruthy();
    expect(await digest()).toEqual(before);

    // Discarding removes the links themselves, never their targets.
    await store.discard(id);
    expect(await digest()).toEqual(before);
  });
});
