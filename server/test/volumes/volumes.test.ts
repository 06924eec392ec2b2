import { randomBytes, randomUUID } from 'node:crypto';
import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDoctor } from '../../src/cli/doctor.js';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/features/access/actor.js';
import type { DailiesEvent } from '../../src/ports/events.js';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { untilSettled } from '../support/poll.js';
import { testS3Bucket } from '../support/services.js';
import { editVolumeConfig, type Samba, startSamba, volumeDir } from './support.js';

type LakeKind = 'fs' | 's3';

// Real: the whole server in-process on SQLite, its lake a directory or a Swift s3api bucket,
// the edit volume a directory exported by a real Samba server and read back with smbclient.
/**
 * What a volume folder holds besides its ASC MHL history: every copy adds a generation in
 * `ascmhl/` of the copied folder a moment later (issue 16; server/test/mhl covers it).
 */
async function files(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== 'ascmhl');
}

describe.each<LakeKind>(['fs', 's3'])('edit volumes from an %s lake', (lakeKind) => {
  let t: TestDailies;
  let vol: string;
  let samba: Samba | null = null;
  let events: DailiesEvent[];

  beforeAll(async () => {
    if (lakeKind === 'fs') {
      vol = await volumeDir('dailies-vol-smb-');
      samba = await startSamba(vol);
    }
  }, 60_000);
  afterAll(async () => {
    await samba?.stop();
    if (lakeKind === 'fs') await rm(vol, { recursive: true, force: true });
  });

  beforeEach(async () => {
    if (lakeKind === 's3') vol = await volumeDir('dailies-vol-');
    else for (const entry of await readdir(vol)) await rm(join(vol, entry), { recursive: true, force: true });
    const volumes = [
      { id: 'edit', name: 'Edit', path: vol, displayPath: '\\\\fsx\\share', groups: ['editors'] },
      {
        id: 'vfx',
        name: 'VFX',
        path: join(vol, '..', 'missing-vfx'),
        displayPath: '/Volumes/vfx',
        groups: ['vfx'],
      },
    ];
    let lake: Record<string, unknown> = {};
    if (lakeKind === 's3') {
      const bucket = await testS3Bucket();
      const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
      lake = {
        lake: `s3://${bucket.bucket}/lake`,
        s3: { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true },
      };
    }
    t = await startDailies({ config: { ...lake, volumes, volumeScanInterval: 0 } });
    events = [];
    t.dailies.events.subscribe((e) => events.push(e));
  });
  afterEach(async () => {
    await t.close();
    if (lakeKind === 's3') await rm(vol, { recursive: true, force: true });
  });

  const copy = async (ids: string[]) => {
    const res = await t.api('POST', '/api/volumes/edit/copy', { ids });
    expect(res.status).toBe(202);
    return Promise.all(res.body.jobs.map((j: { jobId: string }) => waitForJob(t, j.jobId)));
  };
  const locations = async (id: string) => (await t.api('GET', `/api/assets/${id}`)).body.locations;

  it('copies verified, keeping the folder path; a Windows client sees identical bytes over SMB', async () => {
    const bytesA = randomBytes(300_000);
    const a = await importFile(t, '/Day 01', 'A001.mov', bytesA);
    const b = await importFile(t, '/Day 01/Cam B', 'B002.mov', 'second clip');
    // Processing raises its own events for new assets; let it finish, then count the copy's.
    await t.dailies.jobs.drain(60_000);
    events.length = 0;

    const listed = await t.api('GET', '/api/volumes');
    expect(listed.body.items.map((v: { id: string }) => v.id)).toEqual(['edit', 'vfx']);
    expect(listed.body.items[0].displayPath).toBe('\\\\fsx\\share');

    const jobs = await copy([a.id, b.id]);
    expect(jobs.map((j) => j.state)).toEqual(['done', 'done']);
    expect(jobs[0].progressDone).toBe(jobs[0].progressTotal);
    expect(Buffer.compare(await readFile(join(vol, 'Day 01', 'A001.mov')), bytesA)).toBe(0);
    expect(await readFile(join(vol, 'Day 01', 'Cam B', 'B002.mov'), 'utf8')).toBe('second clip');
    // Nothing temporary is left, only the mount marker.
    expect((await readdir(vol)).sort()).toEqual(['.dailies-volume', 'Day 01']);
    expect((await files(join(vol, 'Day 01'))).sort()).toEqual(['A001.mov', 'Cam B']);
    expect(await locations(a.id)).toEqual(['lake', 'edit']);
    expect(await locations(b.id)).toEqual(['lake', 'edit']);
    expect(events.filter((e) => e.type === 'asset.changed' && e.assetId === a.id)).toHaveLength(1);
    const audit = await t.dailies.catalog.audit.list({ action: 'volume.copy', limit: 10 });
    expect(audit.map((r) => r.detail?.path).sort()).toEqual([
      '\\\\fsx\\share\\Day 01\\A001.mov',
      '\\\\fsx\\share\\Day 01\\Cam B\\B002.mov',
    ]);

    if (samba) {
      const listing = await samba.client('ls "Day 01/*"');
      expect(listing).toMatch(/A001\.mov\s+\w*\s+300000/);
      expect(listing).toContain('Cam B');
      const out = join(vol, '..', `smb-get-${randomUUID()}.mov`);
      await samba.client(`get "Day 01/A001.mov" "${out}"`);
      expect(Buffer.compare(await readFile(out), bytesA)).toBe(0);
      await rm(out);
    }

    // A second copy of the same asset finds its own bytes there and is done.
    expect((await copy([a.id]))[0].state).toBe('done');
  });

  it('refuses to copy a lake file whose bytes no longer match its asset, and leaves nothing', async () => {
    const a = await importFile(t, '/Day 02', 'A002.mov', 'the clip as it was shot');
    await t.dailies.jobs.drain(60_000);
    // Changed behind Dailies' back, same size: only the checksum can tell.
    await t.dailies.lake.delete('Day 02/A002.mov');
    await t.dailies.lake.write('Day 02/A002.mov', Buffer.from('the clip as it was SHOT'));

    const [job] = await copy([a.id]);
    expect(job.state).toBe('failed');
    expect(job.error).toMatch(/lake's bytes of "Day 02\/A002.mov" no longer match the asset's checksum/);
    // No file, temporary or final; the folder made for it may stay.
    expect(await files(join(vol, 'Day 02'))).toEqual([]);
    expect(await locations(a.id)).toEqual(['lake']);
  });

  it('never overwrites a different file at the target, adopts an identical one, refuses names SMB cannot hold', async () => {
    const c = await importFile(t, '/Day 02', 'C003.mov', 'lake bytes');
    const d = await importFile(t, '/Day 02', 'D004.mov', 'same bytes');
    await mkdir(join(vol, 'Day 02'), { recursive: true });
    await writeFile(join(vol, 'Day 02', 'C003.mov'), 'an editor file');
    await writeFile(join(vol, 'Day 02', 'D004.mov'), 'same bytes');

    const [failed, adopted] = await copy([c.id, d.id]);
    expect(failed.state).toBe('failed');
    expect(failed.error).toContain('\\\\fsx\\share\\Day 02\\C003.mov');
    expect(failed.error).toContain('never overwrites');
    expect(await readFile(join(vol, 'Day 02', 'C003.mov'), 'utf8')).toBe('an editor file');
    expect(await locations(c.id)).toEqual(['lake']);
    expect(adopted.state).toBe('done');
    expect(await locations(d.id)).toEqual(['lake', 'edit']);
    expect((await files(join(vol, 'Day 02'))).sort()).toEqual(['C003.mov', 'D004.mov']);

    // An asset indexed from outside with a name NTFS cannot hold.
    const folder = await t.dailies.catalog.folders.getByPath('/Day 02');
    const bad = {
      ...(await t.dailies.catalog.assets.get(c.id))!,
      id: randomUUID(),
      name: 'take:1.mov',
      sortName: 'take:1.mov',
    };
    await t.dailies.catalog.assets.insert({ ...bad, folderId: folder!.id });
    const refused = await t.api('POST', '/api/volumes/edit/copy', { ids: [d.id, bad.id] });
    expect(refused.status).toBe(400);
    expect(refused.body.message).toContain('take:1.mov');
    expect(refused.body.message).toContain('< > : " | ? *');
    expect((await files(join(vol, 'Day 02'))).sort()).toEqual(['C003.mov', 'D004.mov']);
  });

  it('removes only unchanged copies; a changed file is kept and reported; an admin may force', async () => {
    const a = await importFile(t, '/Day 03', 'A.mov', 'clip a');
    const b = await importFile(t, '/Day 03', 'B.mov', 'clip b');
    await copy([a.id, b.id]);
    await appendFile(join(vol, 'Day 03', 'A.mov'), ' graded by an editor');

    const res = await t.api('POST', '/api/volumes/edit/remove', { ids: [a.id, b.id] });
    expect(res.status).toBe(202);
    const [kept, removed] = await Promise.all(
      res.body.jobs.map((j: { jobId: string }) => waitForJob(t, j.jobId)),
    );
    expect(kept.state).toBe('failed');
    expect(kept.error).toContain('Kept \\\\fsx\\share\\Day 03\\A.mov');
    expect(kept.error).toContain('changed on the volume');
    expect(await readFile(join(vol, 'Day 03', 'A.mov'), 'utf8')).toBe('clip a graded by an editor');
    expect(removed.state).toBe('done');
    expect(await files(join(vol, 'Day 03'))).toEqual(['A.mov']);
    expect(await locations(a.id)).toEqual(['lake']);
    expect(await locations(b.id)).toEqual(['lake']);
    expect(
      (await t.dailies.catalog.audit.list({ action: 'volume.remove.refused', limit: 5 }))[0].targetId,
    ).toBe(a.id);

    // A non-admin cannot force; nothing is touched.
    const editor: Actor = { id: 'u1', username: 'ed', groups: ['editors'], isAdmin: false };
    await expect(t.dailies.volumes.requestRemove(editor, 'edit', [a.id], true)).rejects.toThrow(
      /Only an admin/,
    );
    expect(await files(join(vol, 'Day 03'))).toEqual(['A.mov']);

    const forced = await t.api('POST', '/api/volumes/edit/remove', { ids: [a.id], force: true });
    expect((await waitForJob(t, forced.body.jobs[0].jobId)).state).toBe('done');
    expect(await files(join(vol, 'Day 03'))).toEqual([]);
    const audit = await t.dailies.catalog.audit.list({ action: 'volume.remove.force', limit: 5 });
    expect(audit[0].targetId).toBe(a.id);
    expect((await t.dailies.catalog.audit.list({ action: 'volume.remove', limit: 5 }))[0].targetId).toBe(
      b.id,
    );

    // Nothing there any more: a clear answer, no job.
    const none = await t.api('POST', '/api/volumes/edit/remove', { ids: [a.id] });
    expect(none.status).toBe(400);
    expect(none.body.message).toContain('no copy on Edit');
  });

  it('notices copies deleted or changed on the volume by others', async () => {
    const a = await importFile(t, '/Day 04', 'A.mov', 'clip a');
    const b = await importFile(t, '/Day 04', 'B.mov', 'clip b');
    const c = await importFile(t, '/Day 04', 'C.mov', 'clip c');
    await copy([a.id, b.id, c.id]);
    await rm(join(vol, 'Day 04', 'B.mov'));
    await writeFile(join(vol, 'Day 04', 'A.mov'), 'replaced by an editor');
    // Processing (these are no media) tells of the assets too: let it end before listening.
    for (const id of [a.id, b.id, c.id]) await untilSettled(() => t.dailies.catalog.assets.get(id));
    events.length = 0;

    const scan = await t.api('POST', '/api/volumes/edit/scan');
    expect(scan.status).toBe(200);
    expect(scan.body).toEqual({ checked: 3, missing: 1, changed: 1, swept: 0 });
    expect(await locations(a.id)).toEqual(['lake']);
    expect(await locations(b.id)).toEqual(['lake']);
    expect(await locations(c.id)).toEqual(['lake', 'edit']);
    expect(new Set(events.map((e) => (e as { assetId: string }).assetId))).toEqual(new Set([a.id, b.id]));
    const drift = await t.dailies.catalog.audit.list({ action: 'volume.drift', limit: 5 });
    expect(drift.map((r) => r.detail?.found).sort()).toEqual(['changed', 'deleted']);
    // A second scan finds nothing new.
    expect((await t.api('POST', '/api/volumes/edit/scan')).body).toEqual({
      checked: 2,
      missing: 0,
      changed: 0,
      swept: 0,
    });

    // An unmounted share (no marker) is not taken for a volume whose files all vanished.
    await rm(join(vol, '.dailies-volume'));
    const unmounted = await t.api('POST', '/api/volumes/edit/scan');
    expect(unmounted.status).toBe(503);
    expect(unmounted.body.message).toContain('looks unmounted');
    expect(await locations(c.id)).toEqual(['lake', 'edit']);
  });

  it('browses a volume and brings files and folders back into the lake as new assets', async () => {
    const render = randomBytes(50_000);
    await mkdir(join(vol, 'Renders', 'Reel 1'), { recursive: true });
    await writeFile(join(vol, 'Renders', 'Reel 1', 'r1.mov'), render);
    await writeFile(join(vol, 'Renders', 'r0.mov'), 'reel zero');
    await writeFile(join(vol, 'conform.xml'), '<xml/>');

    const root = await t.api('GET', '/api/volumes/edit/files?path=/');
    expect(root.body.entries.map((e: { name: string; type: string }) => `${e.type}:${e.name}`)).toEqual([
      'folder:Renders',
      'file:conform.xml',
    ]);
    const renders = await t.api('GET', '/api/volumes/edit/files?path=/Renders');
    expect(renders.body.entries.map((e: { path: string }) => e.path)).toEqual([
      'Renders/Reel 1',
      'Renders/r0.mov',
    ]);
    expect((await t.api('GET', '/api/volumes/edit/files?path=../..')).status).toBe(400);

    const res = await t.api('POST', '/api/volumes/edit/import', {
      paths: ['Renders', 'conform.xml'],
      folder: '/Conform',
    });
    expect(res.status).toBe(202);
    expect((await waitForJob(t, res.body.jobId)).state).toBe('done');
    const names = async (folder: string) =>
      (await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}`)).body.items.map(
        (a: { name: string }) => a.name,
      );
    expect(await names('/Conform')).toEqual(['conform.xml']);
    expect(await names('/Conform/Renders')).toEqual(['r0.mov']);
    const reel = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Conform/Renders/Reel 1')}`))
      .body.items[0];
    expect(reel.name).toBe('r1.mov');
    expect(reel.size).toBe(50_000);
    expect(reel.checksums.xxh64).toMatch(/^[0-9a-f]{16}$/);
    expect(
      Buffer.compare(await readAll(await t.dailies.lake.read('Conform/Renders/Reel 1/r1.mov')), render),
    ).toBe(0);
    // The volume keeps its files.
    expect(await readFile(join(vol, 'Renders', 'r0.mov'), 'utf8')).toBe('reel zero');
    const audit = await t.dailies.catalog.audit.list({ action: 'volume.import', limit: 5 });
    expect(audit[0].detail).toMatchObject({ folder: '/Conform', imported: 3, failed: 0 });
    expect(events.filter((e) => e.type === 'asset.created')).toHaveLength(3);
  });

  it("checks the volume's groups and the assets' visibility", async () => {
    const open = await importFile(t, '/Open', 'A.mov', 'open');
    const secret = await importFile(t, '/Secret', 'S.mov', 'secret');
    const secretFolder = await t.dailies.catalog.folders.getByPath('/Secret');
    await t.dailies.catalog.folders.setGroups(secretFolder!.id, ['admin']);
    const openFolder = await t.dailies.catalog.folders.getByPath('/Open');
    await t.dailies.catalog.folders.setGroups(openFolder!.id, ['admin', 'editors']);
    const editor: Actor = { id: 'u1', username: 'ed', groups: ['editors'], isAdmin: false };
    const outsider: Actor = { id: 'u2', username: 'out', groups: ['vfx'], isAdmin: false };

    expect(t.dailies.volumes.list(editor).map((v) => v.id)).toEqual(['edit']);
    expect(t.dailies.volumes.list(outsider).map((v) => v.id)).toEqual(['vfx']);
    await expect(t.dailies.volumes.requestCopy(outsider, 'edit', [open.id])).rejects.toThrow(/not found/);
    await expect(t.dailies.volumes.browse(outsider, 'edit', '/')).rejects.toThrow(/not found/);
    await expect(t.dailies.volumes.requestCopy(editor, 'edit', [open.id, secret.id])).rejects.toThrow(
      /not found/,
    );
    expect(await readdir(vol)).toEqual([]);
    const { jobs } = await t.dailies.volumes.requestCopy(editor, 'edit', [open.id]);
    expect((await waitForJob(t, jobs[0].jobId)).state).toBe('done');
    expect(await readFile(join(vol, 'Open', 'A.mov'), 'utf8')).toBe('open');
  });
});

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return Buffer.concat(chunks);
}

// Real: PostgreSQL as the catalog (pg-boss jobs), an fs lake and a directory volume.
describe('edit volumes with a PostgreSQL catalog', () => {
  it('copies, records the location, notices drift and removes', async () => {
    const vol = await volumeDir('dailies-vol-pg-');
    const t = await startDailies({
      catalog: 'postgres',
      config: editVolumeConfig(vol),
    });
    try {
      const a = await importFile(t, '/Day 01', 'A.mov', 'clip a');
      const b = await importFile(t, '/Day 01', 'B.mov', 'clip b');
      const copied = await t.api('POST', '/api/volumes/edit/copy', { ids: [a.id, b.id] });
      for (const j of copied.body.jobs) expect((await waitForJob(t, j.jobId)).state).toBe('done');
      expect((await t.api('GET', `/api/assets/${a.id}`)).body.locations).toEqual(['lake', 'edit']);
      await writeFile(join(vol, 'Day 01', 'B.mov'), 'changed');
      expect((await t.api('POST', '/api/volumes/edit/scan')).body).toEqual({
        checked: 2,
        missing: 0,
        changed: 1,
        swept: 0,
      });
      expect((await t.api('GET', `/api/assets/${b.id}`)).body.locations).toEqual(['lake']);
      const removed = await t.api('POST', '/api/volumes/edit/remove', { ids: [a.id, b.id] });
      const [ra, rb] = await Promise.all(
        removed.body.jobs.map((j: { jobId: string }) => waitForJob(t, j.jobId)),
      );
      expect(ra.state).toBe('done');
      expect(rb.state).toBe('failed');
      expect(await files(join(vol, 'Day 01'))).toEqual(['B.mov']);
    } finally {
      await t.close();
      await rm(vol, { recursive: true, force: true });
    }
  });
});

// Real: the doctor command's checks against a real directory and a missing mount point.
describe('dailies doctor', () => {
  it('says which volume is mounted and writable and which is not', async () => {
    const dataDir = await volumeDir('dailies-doctor-');
    const lines: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(String(line)));
    try {
      const code = await runDoctor(
        loadConfig(
          {},
          {
            dataDir,
            watchLake: false,
            volumes: [
              { id: 'edit', name: 'Edit', path: join(dataDir, 'lake'), displayPath: 'E:', groups: [] },
              { id: 'gone', name: 'Gone', path: join(dataDir, 'not-mounted'), displayPath: 'G:', groups: [] },
            ],
          },
        ),
      );
      expect(code).toBe(1);
      expect(lines.find((l) => l.includes('volume edit'))).toMatch(/^ok .*mounted and writable/);
      expect(lines.find((l) => l.includes('volume gone'))).toMatch(/^FAIL .*not mounted/);
    } finally {
      log.mockRestore();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
