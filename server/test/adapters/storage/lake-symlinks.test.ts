/**
 * The fs lake never follows a symbolic link below its root (issue 11.3): links to /etc/passwd,
 * to the data dir and its catalog file, relative `../..` links, links that stay inside the
 * lake, loops and dangling links are listed as unsupported objects and refused on every read
 * and write; a link planted as a folder on the way to a key, or as Dailies' own staging
 * directory, never redirects a write; and a directory swapped for a link after the listing
 * (or while a directory is held open) is not followed.
 *
 * Real: the fs object store on a temporary directory; outside it a data dir with secrets,
 * whose every file is compared byte for byte (and by mtime) before and after.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContainedTree } from '../../../src/adapters/fs/contained-tree.js';
import { FsObjectStore, LINK_REASON } from '../../../src/adapters/storage/fs-object-store.js';
import type { StoredObject } from '../../../src/ports/object-store.js';

let base: string;
let lake: string;
let dataDir: string;
let store: FsObjectStore;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'dailies-lake-links-'));
  lake = join(base, 'data', 'lake');
  dataDir = join(base, 'data');
  await mkdir(join(lake, 'Day 01'), { recursive: true });
  await writeFile(join(dataDir, 'secret.key'), 'server secret');
  await writeFile(join(dataDir, 'dailies.sqlite'), 'the catalog');
  await mkdir(join(dataDir, 'private'));
  await writeFile(join(dataDir, 'private', 'plan.mov'), 'hidden footage');
  await writeFile(join(lake, 'Day 01', 'A001.mov'), 'real clip');
  store = new FsObjectStore(lake);
});
afterEach(async () => {
  await rm(base, { recursive: true, force: true });
});

/** Every file outside the lake, with its bytes' hash and mtime: what must never change. */
async function outside(): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === lake) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile()) {
        const info = await lstat(path);
        seen[path] = `${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}@${info.mtimeMs}`;
      } else seen[path] = 'link';
    }
  };
  await walk(dataDir);
  return seen;
}

async function listAll(prefix = ''): Promise<StoredObject[]> {
  const out: StoredObject[] = [];
  for await (const object of store.listAll(prefix)) out.push(object);
  return out;
}

/** Links of every kind the suite plants: name in the lake → target. */
const LINKS: Array<[string, (dataDir: string) => string]> = [
  ['passwd.mov', () => '/etc/passwd'],
  ['secret.mov', (d) => join(d, 'secret.key')],
  ['catalog.mov', (d) => join(d, 'dailies.sqlite')],
  ['Day 01/relative.mov', () => '../../secret.key'],
  ['Day 01/inside.mov', () => 'A001.mov'],
  ['Day 01/dangling.mov', () => 'nothing-here.mov'],
  ['loop-a', () => 'loop-b'],
  ['loop-b', () => 'loop-a'],
];
/** Links to directories, which must never be entered. */
const DIR_LINKS: Array<[string, (dataDir: string) => string]> = [
  ['Data', (d) => d],
  ['Private', (d) => join(d, 'private')],
  ['Etc', () => '/etc'],
  ['Day 01/Up', () => '../..'],
  ['Self', () => '.'],
  ['Day 01/Same', () => '../Day 01'],
];

async function plantAll(): Promise<void> {
  for (const [name, target] of [...LINKS, ...DIR_LINKS]) await symlink(target(dataDir), join(lake, name));
}

describe('fs lake and symbolic links', () => {
  it('lists every link as an unsupported object with the reason, never what it leads to', async () => {
    await plantAll();
    const before = await outside();
    const objects = await listAll();
    const keys = objects.map((o) => o.key);
    // Exactly the real file and one entry per link: nothing under a linked directory.
    expect(keys.sort()).toEqual(
      ['Day 01/A001.mov', ...LINKS.map(([n]) => n), ...DIR_LINKS.map(([n]) => n)].sort(),
    );
    for (const object of objects) {
      if (object.key === 'Day 01/A001.mov') expect(object.unsupported).toBeUndefined();
      else {
        expect(object.unsupported).toBe(LINK_REASON);
        expect(object.etag).toMatch(/^link-/);
      }
    }
    // Listing under a linked directory (a prefix, a page) finds nothing.
    for (const [name] of DIR_LINKS) {
      expect(await listAll(`${name}/`)).toEqual([]);
      expect((await store.list(`${name}/`, { limit: 5 })).objects).toEqual([]);
    }
    const folders: string[] = [];
    for await (const folder of store.listFolders('')) folders.push(folder);
    expect(folders).toEqual(['Day 01']);
    expect(await outside()).toEqual(before);
  });

  it('refuses to read any link, as the last name or as a folder on the way (422, nothing read)', async () => {
    await plantAll();
    const keys = [
      ...LINKS.map(([n]) => n),
      ...DIR_LINKS.map(([n]) => n),
      'Data/secret.key',
      'Data/dailies.sqlite',
      'Private/plan.mov',
      'Etc/passwd',
      'Day 01/Up/secret.key',
      'Self/Day 01/A001.mov',
      'Day 01/Same/A001.mov',
    ];
    for (const key of keys) {
      const error = await store.read(key).then(
        async (stream) => `read: ${(await buffer(stream)).toString()}`,
        (e) => e,
      );
      expect(error, key).toMatchObject({ status: 422 });
      expect(error.message).toContain('symbolic link');
      expect(() => store.localPath(key), key).toThrow(/symbolic link/);
      if (![...LINKS, ...DIR_LINKS].some(([n]) => n === key)) expect(await store.head(key), key).toBeNull();
    }
    // A range read of a link is refused the same way.
    await expect(store.read('secret.mov', { start: 0, end: 3 })).rejects.toMatchObject({ status: 422 });
    // The real file reads as ever.
    expect((await buffer(await store.read('Day 01/A001.mov'))).toString()).toBe('real clip');
    expect(store.localPath('Day 01/A001.mov')).toBe(join(lake, 'Day 01', 'A001.mov'));
  });

  it('never writes, copies, moves or deletes through a linked folder', async () => {
    await plantAll();
    const before = await outside();
    const refused = [
      () => store.write('Data/new.mov', Buffer.from('x')),
      () => store.write('Private/plan.mov', Buffer.from('overwrite')),
      () => store.write('Day 01/Up/written.mov', Buffer.from('x')),
      () => store.write('Data/deep/er/new.mov', Buffer.from('x')),
      () => store.copy('Day 01/A001.mov', 'Data/copy.mov'),
      () => store.copy('secret.mov', 'Day 01/stolen.mov'),
      () => store.move('Day 01/A001.mov', 'Private/moved.mov'),
      () => store.move('Private/plan.mov', 'Day 01/plan.mov'),
      () => store.moveFolder('Private', 'Day 01/Private'),
      () => store.moveFolder('Day 01', 'Data/Day 01'),
      () => store.createFolder('Data/made'),
    ];
    for (const attempt of refused) {
      const result = await attempt().then(
        () => 'done',
        (e) => e,
      );
      expect(result).not.toBe('done');
      expect([404, 422]).toContain(result.status);
    }
    // Deleting through a link does nothing (a missing key is not an error).
    await store.delete('Private/plan.mov');
    await store.delete('Data/secret.key');
    await store.deletePrefix('Private/');
    await store.deletePrefix('Data/');
    await store.deleteFolder('Data/private');
    expect(await outside()).toEqual(before);
    expect((await buffer(await store.read('Day 01/A001.mov'))).toString()).toBe('real clip');
  });

  it('moves, deletes and trashes a link as itself, never touching its target', async () => {
    await plantAll();
    const before = await outside();
    // As trash does: into Dailies' own folder and back, then deleted.
    const moved = await store.move('secret.mov', '.dailies-trash/1/secret.mov');
    expect(moved.unsupported ?? LINK_REASON).toBe(LINK_REASON);
    await store.move('.dailies-trash/1/secret.mov', 'Day 01/secret.mov');
    expect((await store.head('Day 01/secret.mov'))?.unsupported).toBe(LINK_REASON);
    await store.delete('Day 01/secret.mov');
    await store.deletePrefix('Private/');
    expect(await store.head('Day 01/secret.mov')).toBeNull();
    expect(await outside()).toEqual(before);
  });

  it('refuses a link planted as its own staging or trash directory, or at a target name', async () => {
    const elsewhere = join(dataDir, 'private');
    await symlink(elsewhere, join(lake, '.dailies-staging'));
    const before = await outside();
    await expect(store.write('Day 01/new.mov', Buffer.from('x'))).rejects.toMatchObject({ status: 422 });
    await expect(store.copy('Day 01/A001.mov', 'Day 01/B.mov')).rejects.toMatchObject({ status: 422 });
    // The trash too: deleting an asset never moves it out of the lake through a planted link.
    await symlink(elsewhere, join(lake, '.dailies-trash'));
    await expect(store.move('Day 01/A001.mov', '.dailies-trash/1/A001.mov')).rejects.toMatchObject({
      status: 422,
    });
    expect((await buffer(await store.read('Day 01/A001.mov'))).toString()).toBe('real clip');
    await rm(join(lake, '.dailies-trash'));
    expect(await outside()).toEqual(before);
    expect(await readdir(elsewhere)).toEqual(['plan.mov']);

    // A link at the final name is an existing object: never replaced, never written through.
    await rm(join(lake, '.dailies-staging'));
    await symlink(join(dataDir, 'dailies.sqlite'), join(lake, 'Day 01', 'target.mov'));
    await expect(store.write('Day 01/target.mov', Buffer.from('overwrite'))).rejects.toMatchObject({
      status: 409,
    });
    await expect(store.move('Day 01/A001.mov', 'Day 01/target.mov')).rejects.toMatchObject({ status: 409 });
    expect(await outside()).toEqual(before);
  });

  it('does not follow a folder swapped for a link after the listing', async () => {
    await mkdir(join(lake, 'Swap'));
    await writeFile(join(lake, 'Swap', 'plan.mov'), 'harmless');
    const listed = (await listAll()).map((o) => o.key);
    expect(listed).toContain('Swap/plan.mov');
    // Someone swaps the folder for a link to the data dir's private folder.
    await rename(join(lake, 'Swap'), join(lake, 'Swapped'));
    await symlink(join(dataDir, 'private'), join(lake, 'Swap'));
    const before = await outside();
    await expect(store.read('Swap/plan.mov')).rejects.toMatchObject({ status: 422 });
    expect(await store.head('Swap/plan.mov')).toBeNull();
    await store.delete('Swap/plan.mov');
    await expect(store.move('Swap/plan.mov', 'Day 01/plan.mov')).rejects.toMatchObject({ status: 404 });
    expect(await outside()).toEqual(before);
  });

  it('keeps acting on the folder it opened when that folder is swapped for a link meanwhile', async () => {
    // What each operation does between its checks and its write: a folder held open stays that
    // folder, so a swap in the window cannot redirect the write (openat semantics).
    const tree = new ContainedTree(lake);
    const dir = await tree.openDir(['Day 01']);
    try {
      await rename(join(lake, 'Day 01'), join(lake, 'Day 01 moved'));
      await symlink(join(dataDir, 'private'), join(lake, 'Day 01'));
      await writeFile(dir.entry('written.mov'), 'lands in the lake');
    } finally {
      await dir.close();
    }
    expect(await readFile(join(lake, 'Day 01 moved', 'written.mov'), 'utf8')).toBe('lands in the lake');
    expect(await readdir(join(dataDir, 'private'))).toEqual(['plan.mov']);
  });
});
