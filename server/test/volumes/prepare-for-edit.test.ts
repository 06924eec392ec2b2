/**
 * "Prepare for edit" (issue 16): one action copies a folder with the subfolders the caller may
 * see to an edit volume, verified and structure kept, then writes the volume's ASC MHL
 * generation and the ALE + FCPXML bins beside the copied folder, audits it and tells those who
 * may see the folder. A hidden subfolder leaves no trace on the volume or in the bins; a hidden
 * folder, a missing one and a volume the caller may not use are the same 404.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, the volume a
 * directory, ffmpeg-made clips probed by ffprobe/mediainfo, jobs run by the in-process workers,
 * xmllint against the ASC schemas.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { DailiesEvent } from '../../src/ports/events.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { parseAle } from '../bins/ale-parse.js';
import { timecodedClip } from '../bins/timecoded-media.js';
import { schemaErrors } from '../mhl/xmllint.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, TEST_ADMIN_PASSWORD, type TestDailies, waitForJob } from '../support/harness.js';
import { until } from '../support/poll.js';
import { filesOnVolume, runPrepareJob, shareFolders, startWithEditVolume } from './support.js';

const CLIP = { rate: '25', timecode: '10:00:00:00', seconds: 1 };
/** A file of an ASC MHL history (`…/ascmhl/…`), wherever on the volume. */
const isHistory = (path: string) => path.split('/').includes('ascmhl');

describe.each(CATALOGS)('prepare for edit (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let admin: Client;
  let editor: Client;
  let viewer: Client;
  let editorId: string;

  beforeAll(async () => {
    ({ t, vol } = await startWithEditVolume(catalog, 'dailies-prepare-'));
    const clip = await timecodedClip(CLIP);
    const ids = [
      (await importFile(t, '/Day 01', 'A001C001.mov', clip)).id,
      (await importFile(t, '/Day 01/Cam B 50%_x', 'B001C002.mov', clip)).id,
      (await importFile(t, '/Day 01/Producer notes', 'H001C009.mov', clip)).id,
    ];
    await importFile(t, '/Secret', 'S001.mov', 'secret');
    await importFile(t, '/Day 02', 'C001.mov', 'lake bytes');
    await importFile(t, '/Day 02', 'C002.mov', 'more lake bytes');
    await importFile(t, '/Day 03', 'D001.mov', 'day three');
    await importFile(t, '/Day 04', 'E001.mov', 'day four');
    await t.dailies.users.createGroup(SYSTEM_ACTOR, { name: 'viewers' });
    await shareFolders(t, {
      '/Day 01': ['admin', 'editors', 'viewers'],
      '/Day 01/Producer notes': ['admin'],
      '/Secret': ['admin'],
      '/Day 02': ['admin', 'editors'],
      '/Day 03': ['admin', 'editors'],
      '/Day 04': ['admin', 'editors'],
    });
    admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    const ed = await makeUser(admin, 'ed', ['editors']);
    editor = ed.client;
    editorId = ed.id;
    viewer = (await makeUser(admin, 'vi', ['viewers'])).client;
    for (const id of ids)
      await until(async () => (await t.api('GET', `/api/assets/${id}/metadata`)).status === 200, {
        timeout: 60_000,
        what: 'the probe',
      });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await rm(vol, { recursive: true, force: true });
  });

  const onVolume = () => filesOnVolume(vol);

  it('copies the media, writes a valid ASC MHL chain and both bins beside the folder, audits and tells', async () => {
    const seen: { editor: DailiesEvent[]; outsider: DailiesEvent[] } = { editor: [], outsider: [] };
    const streams = [
      t.dailies.liveEvents.open({ id: editorId, username: 'ed', groups: ['editors'], isAdmin: false }, (e) =>
        seen.editor.push(e),
      ),
      t.dailies.liveEvents.open({ id: 'x', username: 'out', groups: ['others'], isAdmin: false }, (e) =>
        seen.outsider.push(e),
      ),
    ];

    const res = await editor.post('/api/volumes/edit/prepare', { folder: '/Day 01/' });
    expect(res.statusCode).toBe(202);
    // Nothing of the hidden subfolder in the answer.
    expect(res.body).not.toContain('Producer');
    expect(res.body).not.toContain('H001');
    const { jobId, jobs } = res.json();
    expect(jobs).toHaveLength(2);
    const job = await waitForJob(t, jobId, 60_000);
    expect(job.error).toBeNull();
    expect(job.state).toBe('done');
    // Each copy also queues the ASC MHL feature's own seal (a history per copied folder, a
    // nested one in a subfolder); let those settle so the volume is looked at once, whole.
    await t.dailies.jobs.drain(30_000);

    const files = await onVolume();
    const history = files.filter(isHistory);
    expect(files.filter((f) => !isHistory(f))).toEqual([
      'Day 01.ale',
      'Day 01.fcpxml',
      'Day 01/A001C001.mov',
      'Day 01/Cam B 50%_x/B001C002.mov',
    ]);
    expect(existsSync(join(vol, 'Day 01/Producer notes'))).toBe(false);

    // The ASC MHL chain: every generation and the chain validate; the media are recorded.
    expect(history).toContain('Day 01/ascmhl/ascmhl_chain.xml');
    const generations = history.filter((f) => f.endsWith('.mhl'));
    expect(generations.length).toBeGreaterThanOrEqual(1);
    for (const chain of history.filter((f) => f.endsWith('/ascmhl_chain.xml')))
      expect(schemaErrors(await readFile(join(vol, chain)), 'chain'), chain).toBeNull();
    let recorded = '';
    for (const g of generations) {
      const text = await readFile(join(vol, g), 'utf8');
      expect(schemaErrors(text, 'generation'), g).toBeNull();
      recorded += text;
    }
    expect(recorded).toContain('A001C001.mov');
    expect(recorded).toContain('B001C002.mov');
    expect(recorded).not.toContain('H001');

    // The ALE: one row per clip of the folder the editor may see.
    const ale = parseAle(await readFile(join(vol, 'Day 01.ale'), 'utf8'));
    expect(ale.heading.FPS).toBe('25');
    expect(ale.rows.map((r) => r.Name)).toEqual(['A001C001', 'B001C002']);
    expect(ale.rows.every((r) => r.Start === '10:00:00:00')).toBe(true);

    // The FCPXML: well-formed, and each clip's media path resolves beside the bin on the volume.
    const fcpxml = join(vol, 'Day 01.fcpxml');
    execFileSync('xmllint', ['--noout', '--nonet', fcpxml], { stdio: 'pipe' });
    const text = await readFile(fcpxml, 'utf8');
    const sources = [...text.matchAll(/media-rep kind="original-media" src="([^"]+)"/g)].map((m) => m[1]!);
    expect(sources).toHaveLength(2);
    for (const src of sources)
      expect(existsSync(join(dirname(fcpxml), decodeURIComponent(src))), src).toBe(true);
    expect(text).not.toContain('H001');

    // One audit line for the whole action.
    const audit = (await admin.get('/api/audit?action=volume.prepare')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'ed', action: 'volume.prepare' });
    expect(JSON.stringify(audit[0])).not.toContain('Producer');

    // The event reaches who may see the folder, never anyone else.
    await until(async () => seen.editor.some((e) => e.type === 'volume.prepared'), { what: 'the event' });
    expect(seen.editor.find((e) => e.type === 'volume.prepared')).toEqual({
      type: 'volume.prepared',
      volumeId: 'edit',
      folderPath: '/Day 01',
      jobId,
    });
    expect(seen.outsider.filter((e) => e.type === 'volume.prepared')).toEqual([]);
    for (const s of streams) s.close();

    // Prepared again: the copies are adopted, the bins replaced, nothing doubled.
    const again = await editor.post('/api/volumes/edit/prepare', { folder: '/Day 01' });
    expect(again.statusCode).toBe(202);
    expect((await waitForJob(t, again.json().jobId, 60_000)).state).toBe('done');
    await t.dailies.jobs.drain(30_000);
    const after = await onVolume();
    expect(after.filter((f) => !isHistory(f))).toEqual(files.filter((f) => !isHistory(f)));
    expect(parseAle(await readFile(join(vol, 'Day 01.ale'), 'utf8')).rows).toHaveLength(2);
  }, 120_000);

  it('answers a hidden folder, a missing one, a case twin and a volume one may not use alike (404)', async () => {
    const before = await onVolume();
    const tries: Array<[Client, string, string]> = [
      [editor, 'edit', '/Secret'],
      [editor, 'edit', '/Nowhere'],
      [editor, 'edit', '/day 01'],
      [editor, 'edit', '/Day 01/Producer notes'],
      [editor, 'nope', '/Day 01'],
      // Sees the folder, but may not use the volume.
      [viewer, 'edit', '/Day 01'],
    ];
    for (const [client, volume, folder] of tries) {
      const res = await client.post(`/api/volumes/${volume}/prepare`, { folder });
      expect(res.statusCode, `${volume} ${folder}`).toBe(404);
      expect(res.body).not.toContain('S001');
    }
    const odd = await editor.post('/api/volumes/edit/prepare', { folder: 42 });
    expect(odd.statusCode).toBe(400);
    expect(await onVolume()).toEqual(before);
    expect(
      (await admin.get('/api/audit?action=volume.prepare'))
        .json()
        .items.every((a: { actorName: string }) => a.actorName === 'ed'),
    ).toBe(true);
  });

  it('writes no bins and tells no one when a copy fails, and says how many failed', async () => {
    // Someone else's file where a copy would go: Dailies never overwrites it, the copy fails.
    await mkdir(join(vol, 'Day 02'), { recursive: true });
    await writeFile(join(vol, 'Day 02/C001.mov'), 'an editor’s own file');
    const res = await editor.post('/api/volumes/edit/prepare', { folder: '/Day 02' });
    expect(res.statusCode).toBe(202);
    const job = await waitForJob(t, res.json().jobId, 60_000);
    expect(job.state).toBe('failed');
    expect(job.error).toContain('1 of 2 copies failed');
    await t.dailies.jobs.drain(30_000);
    expect(existsSync(join(vol, 'Day 02.ale'))).toBe(false);
    expect(existsSync(join(vol, 'Day 02.fcpxml'))).toBe(false);
    expect(await readFile(join(vol, 'Day 02/C001.mov'), 'utf8')).toBe('an editor’s own file');
    const audit = (await admin.get('/api/audit?action=volume.prepare')).json().items;
    expect(audit.some((a: { detail?: { path?: string } }) => a.detail?.path === '/Day 02')).toBe(false);
  }, 90_000);

  it('two prepares of one folder at once share one job and one audit line', async () => {
    const [a, b] = await Promise.all([
      editor.post('/api/volumes/edit/prepare', { folder: '/Day 03' }),
      editor.post('/api/volumes/edit/prepare', { folder: '/Day 03/' }),
    ]);
    expect([a.statusCode, b.statusCode]).toEqual([202, 202]);
    expect(a.json().jobId).toBe(b.json().jobId);
    expect((await waitForJob(t, a.json().jobId, 60_000)).state).toBe('done');
    await t.dailies.jobs.drain(30_000);
    expect(await readFile(join(vol, 'Day 03/D001.mov'), 'utf8')).toBe('day three');
    expect(parseAle(await readFile(join(vol, 'Day 03.ale'), 'utf8')).rows.map((r) => r.Name)).toEqual([
      'D001',
    ]);
    const audit = (await admin.get('/api/audit?action=volume.prepare')).json().items;
    expect(audit.filter((x: { detail?: { path?: string } }) => x.detail?.path === '/Day 03')).toHaveLength(1);
  }, 90_000);

  it('writes nothing when the asker has lost the rights by the time the job runs', async () => {
    const other = await makeUser(admin, 'ed2', ['editors']);
    const folder = (await t.dailies.catalog.folders.getByPath('/Day 04'))!;
    // The job as a request would have queued it, run after ed2 was taken out of the group
    // (a copy of a few bytes finishes too fast to take the rights away in between).
    await t.dailies.users.removeMember(SYSTEM_ACTOR, 'editors', 'ed2');
    const data = {
      actorId: other.id,
      actorName: 'ed2',
      volumeId: 'edit',
      folderId: folder.id,
      copyJobIds: [],
    };
    await expect(runPrepareJob(t, data)).rejects.toMatchObject({ status: 404 });
    // An account gone altogether stops it too.
    await expect(
      runPrepareJob(t, { ...data, actorId: '00000000-0000-4000-8000-000000000000' }),
    ).rejects.toMatchObject({ status: 404 });
    expect(existsSync(join(vol, 'Day 04.ale'))).toBe(false);
    expect(existsSync(join(vol, 'Day 04.fcpxml'))).toBe(false);
    expect(existsSync(join(vol, 'Day 04'))).toBe(false);
    const audit = (await admin.get('/api/audit?action=volume.prepare')).json().items;
    expect(audit.some((a: { actorName: string }) => a.actorName === 'ed2')).toBe(false);
  });
});
