/**
 * A symbolic link in the fs lake is shown as an unsupported object and never read (issue
 * 11.3): reconcile and the watcher index it as a failed asset whose reason says so, with no
 * processing; downloads answer 422, derivatives 404; a retry fails again; rename, delete,
 * restore and emptying the trash act on the link itself. Nothing under a linked folder is
 * indexed, and no file outside the lake (the data dir's catalog and secrets, /etc/passwd) is
 * read, changed or removed.
 *
 * Real: the whole server in-process on SQLite with its fs lake in the data dir, real ffmpeg.
 */
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LINK_REASON } from '../../src/adapters/storage/fs-object-store.js';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { readUntil, until } from '../support/poll.js';

let t: TestDailies | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

/** Every file of the data dir outside the lake, by content and mtime. The catalog itself changes, so it is left out. */
async function outsideLake(t: TestDailies): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (path === t.config.lake || path.startsWith(t.config.sqliteFile)) continue;
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        seen[path] = `${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}@${(await lstat(path)).mtimeMs}`;
    }
  };
  await walk(t.dataDir);
  return seen;
}

async function plantSecrets(t: TestDailies): Promise<{ secret: string; privateDir: string }> {
  const secret = join(t.dataDir, 'secret.key');
  await writeFile(secret, 'the server secret');
  const privateDir = join(t.dataDir, 'private');
  await mkdir(privateDir, { recursive: true });
  await writeFile(join(privateDir, 'plan.mov'), 'hidden footage');
  return { secret, privateDir };
}

const assetsIn = async (t: TestDailies, folder: string) =>
  ((await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}`)).body.items ?? []) as Array<{
    id: string;
    name: string;
    state: string;
    stateReason: string | null;
  }>;

describe('symbolic links in the fs lake', () => {
  it('indexes each link as a failed asset saying why, and never reads, downloads or processes it', async () => {
    t = await startDailies();
    const { secret, privateDir } = await plantSecrets(t);
    await importFile(t, '/Day 01', 'real.mov', 'not really a movie');
    const day = join(t.config.lake, 'Day 01');
    await symlink('/etc/passwd', join(day, 'passwd.mov'));
    await symlink(t.config.sqliteFile, join(day, 'catalog.mov'));
    await symlink(secret, join(day, 'secret.mov'));
    await symlink('../../secret.key', join(day, 'relative.mov'));
    await symlink('loop-b', join(day, 'loop-a'));
    await symlink('loop-a', join(day, 'loop-b'));
    await symlink(t.dataDir, join(t.config.lake, 'Data'));
    await symlink(privateDir, join(day, 'Private'));
    await symlink('.', join(t.config.lake, 'Self'));
    const before = await outsideLake(t);

    expect((await t.api('POST', '/api/reconcile')).status).toBe(200);
    await t.dailies.jobs.drain(60_000);

    const links = ['Private', 'catalog.mov', 'loop-a', 'loop-b', 'passwd.mov', 'relative.mov', 'secret.mov'];
    const day01 = await assetsIn(t, '/Day 01');
    expect(day01.map((a) => a.name).sort()).toEqual([...links, 'real.mov'].sort());
    for (const asset of day01.filter((a) => a.name !== 'real.mov')) {
      expect(asset.state, asset.name).toBe('failed');
      expect(asset.stateReason, asset.name).toBe(LINK_REASON);
    }
    const root = await assetsIn(t, '/');
    expect(root.map((a) => a.name).sort()).toEqual(['Data', 'Self']);
    // Nothing under a linked folder became a folder or an asset.
    expect((await t.api('GET', '/api/folders?path=/Data')).status).toBe(404);
    expect((await t.api('GET', '/api/folders?path=/Day%2001/Private')).status).toBe(404);
    for await (const page of pages(t))
      for (const a of page) expect(['plan.mov', 'secret.key']).not.toContain(a.name);

    for (const asset of [...day01.filter((a) => a.name !== 'real.mov'), ...root]) {
      const links = await t.api('POST', '/api/assets/download', { ids: [asset.id] });
      expect(links.status).toBe(200);
      const url = new URL(links.body.items[0].url, 'http://x');
      const download = await t.api('GET', url.pathname, undefined, { range: 'bytes=0-' });
      expect(download.status, asset.name).toBe(422);
      expect(String(download.body?.message ?? '')).toContain('symbolic link');
      expect(JSON.stringify(download.body)).not.toContain('hidden footage');
      expect(JSON.stringify(download.body)).not.toContain('the server secret');
      for (const kind of ['thumbnail', 'proxy']) {
        expect((await t.api('GET', `/api/assets/${asset.id}/${kind}`)).status).toBe(404);
      }
    }
    // Asked to process it again, it fails again without reading through the link.
    const secretAsset = day01.find((a) => a.name === 'secret.mov')!;
    await t.api('POST', `/api/assets/${secretAsset.id}/retry`);
    await t.dailies.jobs.drain(60_000);
    const retried = (await t.api('GET', `/api/assets/${secretAsset.id}`)).body;
    expect(retried.state).toBe('failed');
    expect(retried.stateReason).toContain('symbolic link');
    expect((await t.api('GET', `/api/assets/${secretAsset.id}/thumbnail`)).status).toBe(404);
    expect(await outsideLake(t)).toEqual(before);
  });

  it('renames, trashes, restores and empties a link as itself, leaving its target alone', async () => {
    t = await startDailies();
    const { secret } = await plantSecrets(t);
    await mkdir(join(t.config.lake, 'Day 02'), { recursive: true });
    await symlink(secret, join(t.config.lake, 'Day 02', 'secret.mov'));
    await t.api('POST', '/api/reconcile');
    const before = await outsideLake(t);
    const [asset] = await assetsIn(t, '/Day 02');

    const renamed = await t.api('PATCH', `/api/assets/${asset.id}`, { name: 'renamed.mov' });
    expect(renamed.status).toBe(200);
    expect(await readlink(join(t.config.lake, 'Day 02', 'renamed.mov'))).toBe(secret);
    expect((await t.api('POST', '/api/assets/delete', { ids: [asset.id] })).status).toBe(200);
    expect(await assetsIn(t, '/Day 02')).toEqual([]);
    expect((await t.api('POST', '/api/assets/restore', { ids: [asset.id] })).status).toBe(200);
    expect((await assetsIn(t, '/Day 02')).map((a) => a.name)).toEqual(['renamed.mov']);
    await t.api('POST', '/api/assets/delete', { ids: [asset.id] });
    expect((await t.api('DELETE', '/api/trash')).status).toBe(200);
    expect(await readFile(secret, 'utf8')).toBe('the server secret');
    expect(await outsideLake(t)).toEqual(before);
  });

  it('a file swapped for a link after it was indexed becomes unsupported, and processing never reads it', async () => {
    t = await startDailies();
    const { secret } = await plantSecrets(t);
    const asset = await importFile(t, '/Day 04', 'A.mov', 'a clip that is not one');
    await t.dailies.jobs.drain(60_000);
    const file = join(t.config.lake, 'Day 04', 'A.mov');
    await rm(file);
    await symlink(secret, file);
    const before = await outsideLake(t);
    await t.api('POST', '/api/reconcile');
    await t.dailies.jobs.drain(60_000);
    const swapped = (await t.api('GET', `/api/assets/${asset.id}`)).body;
    expect(swapped.state).toBe('failed');
    expect(swapped.stateReason).toBe(LINK_REASON);
    // Processing asked for again refuses the link rather than handing its target to ffmpeg.
    await t.api('POST', `/api/assets/${asset.id}/retry`);
    await t.dailies.jobs.drain(60_000);
    const retried = (await t.api('GET', `/api/assets/${asset.id}`)).body;
    expect(retried.state).toBe('failed');
    expect(retried.stateReason).toContain('symbolic link');
    const metadata = await t.api('GET', `/api/assets/${asset.id}/metadata?raw=true`);
    expect(JSON.stringify(metadata.body)).not.toContain('the server secret');
    expect(await outsideLake(t)).toEqual(before);
  });

  it('the watcher reports a link as itself and never enters a linked folder', async () => {
    const watched = await startDailies({ config: { watchLake: true } });
    t = watched;
    const { privateDir } = await plantSecrets(t);
    await mkdir(join(t.config.lake, 'Day 03'), { recursive: true });
    await symlink(privateDir, join(t.config.lake, 'Day 03', 'Private'));
    await symlink(t.config.sqliteFile, join(t.config.lake, 'Day 03', 'catalog.mov'));
    // Written after the links: once both links are indexed, the watcher has seen the folder.
    const items = await readUntil(
      () => assetsIn(watched, '/Day 03'),
      (seen) => seen.length >= 2,
      {
        timeout: 30_000,
      },
    );
    expect(items.map((a) => a.name).sort()).toEqual(['Private', 'catalog.mov']);
    for (const a of items) expect(a.stateReason).toBe(LINK_REASON);
    // A file written into the linked folder's target is not the lake's.
    await writeFile(join(privateDir, 'later.mov'), 'more hidden footage');
    // A file written into the lake after it: once the watcher indexed this one, it has had its chance at the other.
    await writeFile(join(t.config.lake, 'Day 03', 'barrier.mov'), 'written into the lake after');
    await until(async () => (await assetsIn(watched, '/Day 03')).some((a) => a.name === 'barrier.mov'), {
      timeout: 30_000,
      interval: 100,
      what: 'the watcher to index barrier.mov',
    });
    for await (const page of pages(t))
      for (const a of page) expect(['plan.mov', 'later.mov']).not.toContain(a.name);
  });
});

async function* pages(t: TestDailies) {
  for (
    let page = await t.dailies.catalog.assets.scanLive(null, 500);
    page.length > 0;
    page = await t.dailies.catalog.assets.scanLive(page[page.length - 1].id, 500)
  )
    yield page;
}
