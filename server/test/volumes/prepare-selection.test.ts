/**
 * "Prepare for edit" of a selection (issue 16): chosen assets from several folders are copied
 * to the edit volume (verified, folder paths kept), each of their folders gets its ASC MHL
 * generation, and the ALE + FCPXML bins are written at the volume's root under the name given
 * (or "Selection <date time>"), never over a file already there. Every id is checked: a hidden
 * one, a missing one, one among 10,000, all answer the same 404 and nothing is copied.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, the volume a
 * directory, ffmpeg-made clips probed by ffprobe/mediainfo, jobs run by the in-process workers,
 * xmllint against the ASC schemas.
 */

import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { defaultBinName } from '../../src/features/prepare/prepare.service.js';
import type { DailiesEvent } from '../../src/ports/events.js';
import { type Client, makeUser } from '../auth/support.js';
import { parseAle } from '../bins/ale-parse.js';
import { timecodedClip } from '../bins/timecoded-media.js';
import { schemaErrors } from '../mhl/xmllint.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, signInAdmin, startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { until } from '../support/poll.js';
import { runPrepareJob, volumeDir } from './support.js';

const isHistory = (path: string) => path.split('/').includes('ascmhl');

describe.each(CATALOGS)('prepare a selection for edit (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let admin: Client;
  let editor: Client;
  let viewer: Client;
  let editorId: string;
  const id: Record<string, string> = {};

  beforeAll(async () => {
    vol = await volumeDir('dailies-prepare-selection-');
    t = await startDailies({
      catalog,
      config: {
        volumes: [{ id: 'edit', name: 'Edit', path: vol, displayPath: '/Volumes/edit', groups: ['editors'] }],
        volumeScanInterval: 0,
      },
    });
    const clip = await timecodedClip({ rate: '25', timecode: '10:00:00:00', seconds: 1 });
    id.a = (await importFile(t, '/Day 01', 'A001C001.mov', clip)).id;
    id.b = (await importFile(t, '/Day 01/Cam B 50%_x', 'B001C002.mov', clip)).id;
    id.c = (await importFile(t, '/Day 02', 'C001C001.mov', clip)).id;
    id.unchosen = (await importFile(t, '/Day 02', 'C001C002.mov', 'not chosen')).id;
    id.secret = (await importFile(t, '/Secret', 'S001.mov', 'secret')).id;
    id.d = (await importFile(t, '/Day 03', 'D001.mov', 'day three')).id;
    id.e = (await importFile(t, '/Day 03', 'D002.mov', 'day three, two')).id;
    await t.dailies.users.createGroup(SYSTEM_ACTOR, { name: 'viewers' });
    const folders = t.dailies.catalog.folders;
    const set = async (path: string, groups: string[]) =>
      folders.setGroups((await folders.getByPath(path))!.id, groups);
    await set('/Day 01', ['admin', 'editors', 'viewers']);
    await set('/Day 02', ['admin', 'editors']);
    await set('/Day 03', ['admin', 'editors']);
    await set('/Secret', ['admin']);
    admin = await signInAdmin(t);
    const ed = await makeUser(admin, 'ed', ['editors']);
    editor = ed.client;
    editorId = ed.id;
    viewer = (await makeUser(admin, 'vi', ['viewers'])).client;
    for (const asset of [id.a, id.b, id.c])
      await until(async () => (await t.api('GET', `/api/assets/${asset}/metadata`)).status === 200, {
        timeout: 60_000,
        what: 'the probe',
      });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await rm(vol, { recursive: true, force: true });
  });

  const onVolume = async (): Promise<string[]> =>
    (await readdir(vol, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name).slice(vol.length + 1))
      .filter((path) => !path.startsWith('.dailies-'))
      .sort();
  const prepareAudits = async () => (await admin.get('/api/audit?action=volume.prepare')).json().items;

  it('copies assets from several folders, seals each folder’s history and writes the named bins at the root', async () => {
    const seen: { editor: DailiesEvent[]; outsider: DailiesEvent[] } = { editor: [], outsider: [] };
    const streams = [
      t.dailies.liveEvents.open({ id: editorId, username: 'ed', groups: ['editors'], isAdmin: false }, (e) =>
        seen.editor.push(e),
      ),
      t.dailies.liveEvents.open({ id: 'x', username: 'out', groups: ['others'], isAdmin: false }, (e) =>
        seen.outsider.push(e),
      ),
    ];
    // Asked out of order: the bins list by place, then name, as a folder's do.
    const res = await editor.post('/api/volumes/edit/prepare-selection', {
      ids: [id.c, id.b, id.a],
      name: 'Assembly 1',
    });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId, jobs, bins } = res.json();
    expect(bins).toEqual(['Assembly 1.ale', 'Assembly 1.fcpxml']);
    expect(jobs.map((j: { assetId: string }) => j.assetId)).toEqual([id.c, id.b, id.a]);
    const job = await waitForJob(t, jobId, 60_000);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    await t.dailies.jobs.drain(30_000);

    const files = await onVolume();
    expect(files.filter((f) => !isHistory(f))).toEqual([
      'Assembly 1.ale',
      'Assembly 1.fcpxml',
      'Day 01/A001C001.mov',
      'Day 01/Cam B 50%_x/B001C002.mov',
      'Day 02/C001C001.mov',
    ]);
    // One history per copied folder (none for a folder nothing was copied from).
    const chains = files.filter((f) => f.endsWith('ascmhl/ascmhl_chain.xml'));
    expect(chains).toEqual(
      expect.arrayContaining(['Day 01/ascmhl/ascmhl_chain.xml', 'Day 02/ascmhl/ascmhl_chain.xml']),
    );
    for (const chain of chains)
      expect(schemaErrors(await readFile(join(vol, chain)), 'chain'), chain).toBeNull();
    const generations = files.filter((f) => isHistory(f) && f.endsWith('.mhl'));
    let recorded = '';
    for (const g of generations) {
      const text = await readFile(join(vol, g), 'utf8');
      expect(schemaErrors(text, 'generation'), g).toBeNull();
      recorded += text;
    }
    for (const name of ['A001C001.mov', 'B001C002.mov', 'C001C001.mov']) expect(recorded).toContain(name);
    expect(recorded).not.toContain('C001C002');

    const ale = parseAle(await readFile(join(vol, 'Assembly 1.ale'), 'utf8'));
    expect(ale.rows.map((r) => r.Name)).toEqual(['A001C001', 'B001C002', 'C001C001']);
    expect(ale.rows.every((r) => r.Start === '10:00:00:00')).toBe(true);
    const fcpxml = join(vol, 'Assembly 1.fcpxml');
    execFileSync('xmllint', ['--noout', '--nonet', fcpxml], { stdio: 'pipe' });
    const text = await readFile(fcpxml, 'utf8');
    expect(text).toContain('name="Assembly 1"');
    const sources = [...text.matchAll(/media-rep kind="original-media" src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(3);
    for (const src of sources) expect(existsSync(join(vol, decodeURIComponent(src))), src).toBe(true);

    const audit = (await prepareAudits()).filter((a: { targetType: string }) => a.targetType === 'selection');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorName: 'ed',
      detail: { selection: 3, folders: 3, copies: 3, clips: 3, ale: 'Assembly 1.ale' },
    });

    // Each folder's watchers hear of it; an outsider hears nothing.
    await until(async () => seen.editor.filter((e) => e.type === 'volume.prepared').length === 3, {
      what: 'the events',
    });
    expect(
      seen.editor
        .filter((e) => e.type === 'volume.prepared')
        .map((e) => (e as { folderPath: string }).folderPath)
        .sort(),
    ).toEqual(['/Day 01', '/Day 01/Cam B 50%_x', '/Day 02']);
    expect(seen.outsider.filter((e) => e.type === 'volume.prepared')).toEqual([]);
    for (const s of streams) s.close();
  }, 120_000);

  it('names the bins by the date and time when no name is given, and counts a duplicated id once', async () => {
    const before = Date.now();
    const res = await editor.post('/api/volumes/edit/prepare-selection', { ids: [id.d, id.d, id.d] });
    expect(res.statusCode, res.body).toBe(202);
    const { jobId, jobs, bins } = res.json();
    expect(jobs).toHaveLength(1);
    expect(bins[0]).toMatch(/^Selection \d{4}-\d\d-\d\d \d\d-\d\d-\d\d\.ale$/);
    // The name is the request's time (UTC), to the second.
    const stamp = bins[0].slice('Selection '.length, -'.ale'.length);
    const at = Date.parse(`${stamp.slice(0, 10)}T${stamp.slice(11).replaceAll('-', ':')}Z`);
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000);
    expect(at).toBeLessThanOrEqual(Date.now());
    expect((await waitForJob(t, jobId, 60_000)).state).toBe('done');
    const ale = parseAle(await readFile(join(vol, bins[0]), 'utf8'));
    expect(ale.rows.map((r) => r.Name)).toEqual(['D001']);
    expect(existsSync(join(vol, bins[1]))).toBe(true);
  }, 90_000);

  it('makes the default name from the clock alone, one every file system holds', () => {
    expect(defaultBinName(Date.UTC(2026, 11, 3, 14, 5, 9, 999))).toBe('Selection 2026-12-03 14-05-09');
    expect(defaultBinName(0)).toBe('Selection 1970-01-01 00-00-00');
  });

  it('answers a hidden id, a missing one, one among 10,000 and an unusable volume alike (404), copying nothing', async () => {
    const before = await onVolume();
    const missing = randomUUID();
    // Beside each bad id, one the editor may copy and nothing has copied yet.
    const many = [id.unchosen, ...Array.from({ length: 9_999 }, () => randomUUID())];
    const tries: Array<[Client, string, string[]]> = [
      [editor, 'edit', [id.unchosen, id.secret]],
      [editor, 'edit', [id.unchosen, missing]],
      [editor, 'edit', [id.secret]],
      [editor, 'edit', many],
      [editor, 'nope', [id.unchosen]],
      // Sees the asset, may not use the volume.
      [viewer, 'edit', [id.a]],
    ];
    const bodies: string[] = [];
    for (const [client, volume, ids] of tries) {
      const res = await client.post(`/api/volumes/${volume}/prepare-selection`, { ids, name: 'Tried' });
      expect(res.statusCode, `${volume} ${ids.length}`).toBe(404);
      expect(res.body).not.toContain('S001');
      expect(res.body).not.toContain('Secret');
      bodies.push(JSON.stringify({ ...res.json(), requestId: undefined }));
    }
    // A hidden asset and a missing one are told apart by nothing.
    expect(bodies[0]).toBe(bodies[1]);
    expect(bodies[1]).toBe(bodies[3]);
    expect(await onVolume()).toEqual(before);
    expect(existsSync(join(vol, 'Tried.ale'))).toBe(false);
    await t.dailies.jobs.drain(30_000);
    expect(existsSync(join(vol, 'Day 02/C001C002.mov'))).toBe(false);
  }, 60_000);

  it('refuses empty, oversized, malformed lists and unusable bin names with 400', async () => {
    const bad: unknown[] = [
      { ids: [] },
      { ids: Array.from({ length: 10_001 }, () => randomUUID()) },
      { ids: ['not-a-uuid'] },
      { ids: [`${id.a}%`] },
      { ids: id.a },
      {},
      { ids: [id.a], name: '' },
      { ids: [id.a], name: '../Day 01' },
      { ids: [id.a], name: 'a/b' },
      { ids: [id.a], name: '..' },
      { ids: [id.a], name: 'cut: v2' },
      { ids: [id.a], name: ' lead' },
      { ids: [id.a], name: 'ends.' },
      { ids: [id.a], name: 'x'.repeat(121) },
      { ids: [id.a], name: 'tab\there' },
      { ids: [id.a], name: 'cut\u202egnp.ale' },
      { ids: [id.a], name: 42 },
    ];
    for (const body of bad) {
      const res = await editor.post('/api/volumes/edit/prepare-selection', body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.json().message).toBeTruthy();
    }
  });

  it('never writes over a file on the volume: a name in use, or its Unicode twin, is a 409', async () => {
    await writeFile(join(vol, 'Editor cut.ale'), 'the editor’s own bin');
    await writeFile(join(vol, 'Caf\u00e9.fcpxml'), 'composed é');
    for (const name of ['Editor cut', 'Cafe\u0301']) {
      const res = await editor.post('/api/volumes/edit/prepare-selection', { ids: [id.e], name });
      expect(res.statusCode, name).toBe(409);
      expect(res.json().message).toContain('choose another name');
    }
    expect(await readFile(join(vol, 'Editor cut.ale'), 'utf8')).toBe('the editor’s own bin');
    expect(await readFile(join(vol, 'Caf\u00e9.fcpxml'), 'utf8')).toBe('composed é');
    expect(existsSync(join(vol, 'Day 03/D002.mov'))).toBe(false);
    // `%` and `_` are ordinary characters in a name.
    const odd = await editor.post('/api/volumes/edit/prepare-selection', { ids: [id.e], name: '50%_take' });
    expect(odd.statusCode).toBe(202);
    expect((await waitForJob(t, odd.json().jobId, 60_000)).state).toBe('done');
    expect(parseAle(await readFile(join(vol, '50%_take.ale'), 'utf8')).rows.map((r) => r.Name)).toEqual([
      'D002',
    ]);
  }, 90_000);

  it('two identical requests at once (a double click) both succeed and write the bins once', async () => {
    const body = { ids: [id.d, id.e], name: 'Twice' };
    const [a, b] = await Promise.all([
      editor.post('/api/volumes/edit/prepare-selection', body),
      editor.post('/api/volumes/edit/prepare-selection', { ...body, ids: [id.e, id.d] }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    // Usually one shared job; if the queue had already started the first (pg-boss allows one
    // job per key and state), the second finds the same bins there and is done too.
    for (const res of [a, b]) {
      const job = await waitForJob(t, res.json().jobId, 60_000);
      expect(job.error).toBeNull();
      expect(job.state).toBe('done');
    }
    expect(parseAle(await readFile(join(vol, 'Twice.ale'), 'utf8')).rows.map((r) => r.Name)).toEqual([
      'D001',
      'D002',
    ]);
    expect((await onVolume()).filter((f) => f.startsWith('Twice'))).toEqual(['Twice.ale', 'Twice.fcpxml']);
    // A third, later, finds the name taken.
    expect((await editor.post('/api/volumes/edit/prepare-selection', body)).statusCode).toBe(409);
  }, 90_000);

  it('writes nothing when the asker has lost the rights by the time the job runs', async () => {
    const other = await makeUser(admin, 'ed2', ['editors']);
    await t.dailies.users.removeMember(SYSTEM_ACTOR, 'editors', 'ed2');
    const data = {
      actorId: other.id,
      actorName: 'ed2',
      volumeId: 'edit',
      assetIds: [id.unchosen],
      binName: 'Lost rights',
      copyJobIds: [],
    };
    await expect(runPrepareJob(t, data)).rejects.toMatchObject({ status: 404 });
    expect(existsSync(join(vol, 'Lost rights.ale'))).toBe(false);
    expect(existsSync(join(vol, 'Lost rights.fcpxml'))).toBe(false);
    expect((await prepareAudits()).some((a: { actorName: string }) => a.actorName === 'ed2')).toBe(false);
  });
});
