/**
 * An image sequence copied to an edit volume: every frame file in a folder named for the
 * sequence, each verified by xxHash64; a copy asked again adopts what is there; a removal takes
 * exactly those files; a frame gone from the lake half way leaves nothing behind; "prepare for
 * edit" lists each frame in the volume's ASC MHL generation.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, its lake a directory or a Swift
 * s3api bucket, the volume a directory, jobs run by the in-process workers.
 */
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KyselyLocationRepository } from '../../src/adapters/db/location.repository.js';
import { Xxh64Accumulator } from '../../src/lib/checksums.js';
import { type Client, makeUser } from '../auth/support.js';
import { CATALOGS, signInAdmin, startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { testLakeConfig } from '../support/services.js';
import { editVolumeConfig, shareFolders, volumeDir } from '../volumes/support.js';

const LAKES = ['fs', 's3'] as const;
const cases = CATALOGS.flatMap((catalog) => LAKES.map((lake) => [catalog, lake] as const));
// `%`, `_` and a composed/decomposed twin: none may be read as a pattern or respelled on the way.
const PREFIX = 'Prüf 50%_x\u0301';
const FRAMES = [1, 2, 4].map((n) => `${PREFIX}.${String(n).padStart(4, '0')}.exr`);
const SEQUENCE = `${PREFIX}.[0001-0004].exr`;

const xxh64 = (bytes: Buffer) => {
  const sum = new Xxh64Accumulator();
  sum.update(bytes);
  return sum.digest();
};

describe.each(cases)('image sequence on an edit volume (%s catalog, %s lake)', (catalog, lakeKind) => {
  let t: TestDailies;
  let vol: string;
  let bytes: Map<string, Buffer>;
  afterEach(async () => {
    await t?.close();
  });

  /** A server with the sequence in /Day 1 (never processed: the copy needs no derivatives). */
  async function start(): Promise<string> {
    vol = await volumeDir('dailies-seq-vol-');
    const lakeConfig = await testLakeConfig(lakeKind);
    t = await startDailies({
      catalog,
      config: {
        sequenceQuietSeconds: 3600,
        ...editVolumeConfig(vol),
        ...lakeConfig,
      },
    });
    bytes = new Map(FRAMES.map((name, i) => [name, randomBytes(40_000 + i * 1000)]));
    for (const [name, body] of bytes) await t.dailies.lake.write(`Day 1/${name}`, body);
    await t.dailies.indexing.reconcileAfresh();
    const rows = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 1')}`)).body.items;
    expect(rows.map((r: any) => r.name)).toEqual([SEQUENCE]);
    return rows[0].id;
  }
  const locationOf = (id: string, volumeId: string) =>
    new KyselyLocationRepository(t.dailies.connection.db).get(id, volumeId);
  const folderOnVolume = () => join(vol, 'Day 1', SEQUENCE);
  const filesIn = async (dir: string) => (await readdir(dir).catch(() => [] as string[])).sort();
  const copy = async (id: string) => {
    const res = await t.api('POST', '/api/volumes/edit/copy', { ids: [id] });
    expect(res.status).toBe(202);
    return waitForJob(t, res.body.jobs[0].jobId);
  };
  const remove = async (id: string, force = false) => {
    const res = await t.api('POST', '/api/volumes/edit/remove', { ids: [id], force });
    expect(res.status).toBe(202);
    return waitForJob(t, res.body.jobs[0].jobId);
  };

  it('copies every frame into a folder named for it, verified; again is the same; removal takes exactly those files', async () => {
    const id = await start();
    expect((await copy(id)).state).toBe('done');
    expect(await filesIn(folderOnVolume())).toEqual([...FRAMES].sort());
    for (const [name, body] of bytes) expect(await readFile(join(folderOnVolume(), name))).toEqual(body);
    expect((await t.api('GET', `/api/assets/${id}`)).body.locations).toEqual(['lake', 'edit']);
    const location = (await locationOf(id, 'edit'))!;
    expect(location.path).toBe(`Day 1/${SEQUENCE}`);
    expect(location.frames!.map((f) => [f.name, f.xxh64])).toEqual(
      FRAMES.map((n) => [n, xxh64(bytes.get(n)!)]),
    );
    expect(location.size).toBe([...bytes.values()].reduce((s, b) => s + b.length, 0));

    // Asked again: the frames there are adopted, nothing written twice, no temporary left.
    const before = await stat(join(folderOnVolume(), FRAMES[0]!));
    expect((await copy(id)).state).toBe('done');
    expect(await filesIn(folderOnVolume())).toEqual([...FRAMES].sort());
    expect((await stat(join(folderOnVolume(), FRAMES[0]!))).ino).toBe(before.ino);
    expect((await locationOf(id, 'edit'))!.xxh64).toBe(location.xxh64);

    // A file an editor put in the folder is not Dailies': the removal leaves it and the folder.
    await writeFile(join(folderOnVolume(), 'notes.txt'), 'mine');
    expect((await remove(id)).state).toBe('done');
    expect(await filesIn(folderOnVolume())).toEqual(['notes.txt']);
    expect(await locationOf(id, 'edit')).toBeNull();
    expect((await t.api('GET', `/api/assets/${id}`)).body.locations).toEqual(['lake']);

    // One frame changed on the volume keeps the whole copy (unless an admin forces it).
    expect((await copy(id)).state).toBe('done');
    const scan = async () => (await t.api('POST', '/api/volumes/edit/scan')).body;
    expect(await scan()).toMatchObject({ checked: 1, missing: 0, changed: 0 });
    await writeFile(join(folderOnVolume(), FRAMES[1]!), 'regraded by hand');
    // The periodic scan sees the frame changed, and again on its next pass (not taken as new).
    expect(await scan()).toMatchObject({ checked: 1, missing: 0, changed: 1 });
    expect((await locationOf(id, 'edit'))!.state).toBe('changed');
    expect(await scan()).toMatchObject({ checked: 1, missing: 0, changed: 0 });
    expect((await locationOf(id, 'edit'))!.state).toBe('changed');
    const refused = await remove(id);
    expect(refused.state).toBe('failed');
    expect(refused.error).toContain(`"${FRAMES[1]}"`);
    expect(refused.error).toMatch(/changed on the volume/);
    expect(await filesIn(folderOnVolume())).toEqual([...FRAMES, 'notes.txt'].sort());
    expect((await locationOf(id, 'edit'))!.state).toBe('changed');
    expect((await remove(id, true)).state).toBe('done');
    expect(await filesIn(folderOnVolume())).toEqual(['notes.txt']);

    // Every frame deleted on the volume by someone else: the scan forgets the copy.
    expect((await copy(id)).state).toBe('done');
    const { rm } = await import('node:fs/promises');
    for (const name of FRAMES) await rm(join(folderOnVolume(), name));
    expect(await scan()).toMatchObject({ checked: 1, missing: 1 });
    expect(await locationOf(id, 'edit')).toBeNull();
  });

  it('downloads every frame with its own name and bytes, `%` and Unicode intact', async () => {
    const id = await start();
    const links = (await t.api('POST', '/api/assets/download', { ids: [id] })).body.items;
    expect(links.map((l: any) => l.name)).toEqual(FRAMES);
    for (const link of links) {
      // A presigned URL of the bucket, or the server's own signed route on an fs lake.
      const body = link.url.startsWith('http')
        ? Buffer.from(await (await fetch(link.url)).arrayBuffer())
        : (await t.app.inject({ url: link.url })).rawPayload;
      expect(body.equals(bytes.get(link.name)!), link.name).toBe(true);
    }
  });

  it('a copy whose sequence moved to a folder hidden from an editor is hidden from them on the volume too', async () => {
    const id = await start();
    await shareFolders(t, { '/Day 1': ['admin', 'editors'] });
    const admin = await signInAdmin(t);
    const editor = (await makeUser(admin, 'ed', ['editors'])).client;
    expect((await copy(id)).state).toBe('done');
    const browse = (path: string) => editor.get(`/api/volumes/edit/files?path=${encodeURIComponent(path)}`);
    // The volume's ASC MHL history (`ascmhl/`) follows each copy a moment later.
    const names = async (path: string) =>
      (await browse(path))
        .json()
        .entries.map((e: any) => e.name)
        .filter((n: string) => n !== 'ascmhl');
    expect(await names('/Day 1')).toEqual([SEQUENCE]);
    expect((await browse(`/Day 1/${SEQUENCE}`)).statusCode).toBe(200);

    await t.api('POST', '/api/folders', { path: '/Hidden' });
    await shareFolders(t, { '/Hidden': ['admin'] });
    const move = await t.api('POST', '/api/assets/move', { ids: [id], folder: '/Hidden' });
    expect((await waitForJob(t, move.body.jobId)).state).toBe('done');
    // The folder of frames still sits under /Day 1 on the volume, but it is the hidden asset's copy.
    expect(await names('/Day 1')).toEqual([]);
    expect((await browse(`/Day 1/${SEQUENCE}`)).statusCode).toBe(404);
    const bringBack = await editor.post('/api/volumes/edit/import', {
      paths: [`Day 1/${SEQUENCE}/${FRAMES[0]}`],
      folder: '/Day 1',
    });
    expect(bringBack.statusCode).toBe(404);
    // The admin still sees it.
    expect(
      (await admin.get(`/api/volumes/edit/files?path=${encodeURIComponent(`/Day 1/${SEQUENCE}`)}`))
        .statusCode,
    ).toBe(200);
  });

  it('a frame gone from the lake half way fails the copy clearly and leaves nothing on the volume', async () => {
    const id = await start();
    // The catalog still lists the last frame; the lake no longer has it (deleted behind Dailies' back).
    await t.dailies.lake.delete(`Day 1/${FRAMES[2]}`);
    const job = await copy(id);
    expect(job.state).toBe('failed');
    expect(job.error).toContain(`The frame "${FRAMES[2]}" of "${SEQUENCE}" is no longer in the lake`);
    // The two frames copied before it are gone again, and so is the folder made for them.
    expect(await filesIn(join(vol, 'Day 1'))).toEqual([]);
    expect(await locationOf(id, 'edit')).toBeNull();
  });

  it('a different file at a frame is never replaced; the copy is refused and its own frames go', async () => {
    const id = await start();
    const { mkdir } = await import('node:fs/promises');
    await mkdir(folderOnVolume(), { recursive: true });
    await writeFile(join(folderOnVolume(), FRAMES[2]!), 'an editor’s own file');
    const job = await copy(id);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/A different file already exists at .*never overwrites/);
    expect(await filesIn(folderOnVolume())).toEqual([FRAMES[2]]);
    expect(await readFile(join(folderOnVolume(), FRAMES[2]!), 'utf8')).toBe('an editor’s own file');
  });
});

describe.each(CATALOGS)('prepare for edit with an image sequence (%s)', (catalog) => {
  let t: TestDailies;
  afterEach(async () => {
    await t?.close();
  });

  it('copies the frames, lists each in the ASC MHL generation; an editor without the folder sees 404', async () => {
    const vol = await volumeDir('dailies-seq-prep-');
    t = await startDailies({
      catalog,
      config: {
        sequenceQuietSeconds: 3600,
        ...editVolumeConfig(vol),
      },
    });
    const bodies = FRAMES.map((_, i) => randomBytes(5000 + i));
    for (const [i, name] of FRAMES.entries()) await t.dailies.lake.write(`Day 1/${name}`, bodies[i]!);
    await t.dailies.lake.write('Hidden/plate.0001.dpx', randomBytes(100));
    await t.dailies.lake.write('Hidden/plate.0002.dpx', randomBytes(100));
    await t.dailies.indexing.reconcileAfresh();
    await shareFolders(t, { '/Day 1': ['admin', 'editors'], '/Hidden': ['admin'] });
    const admin = await signInAdmin(t);
    const editor: Client = (await makeUser(admin, 'ed', ['editors'])).client;

    const hidden = await editor.post('/api/volumes/edit/prepare', { folder: '/Hidden' });
    expect(hidden.statusCode).toBe(404);
    const res = await editor.post('/api/volumes/edit/prepare', { folder: '/Day 1' });
    expect(res.statusCode).toBe(202);
    expect((await waitForJob(t, res.json().jobId, 60_000)).state).toBe('done');
    const dir = join(vol, 'Day 1', SEQUENCE);
    expect((await readdir(dir)).sort()).toEqual([...FRAMES].sort());
    const history = join(vol, 'Day 1', 'ascmhl');
    const generation = (await readdir(history)).find((n) => n.endsWith('.mhl'))!;
    const text = await readFile(join(history, generation), 'utf8');
    for (const [i, name] of FRAMES.entries()) {
      expect(text).toContain(`<path size="${bodies[i]!.length}"`);
      expect(text).toContain(`${SEQUENCE}/${name}</path>`);
      expect(text).toContain(xxh64(bodies[i]!));
    }
    expect(await readdir(join(vol))).not.toContain('Hidden');
  });
});
