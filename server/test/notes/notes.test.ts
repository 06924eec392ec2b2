import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/plugins/actor.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { timecodedClip } from '../bins/timecoded-media.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';
import { openSse, type SseClient } from '../support/sse-client.js';

// Real: both catalogs, the fs lake, the probe on an ffmpeg-made 29.97 drop-frame clip, the
// event stream over HTTP.
describe.each(CATALOGS)('notes at timecode (%s)', (catalog) => {
  let t: TestDailies;
  let base: string;
  let admin: Client;
  let edna: Client;
  let eve: Client;
  let outsider: Client;
  let shared: string;
  let hidden: string;
  let open: string;
  const streams: SseClient[] = [];

  beforeAll(async () => {
    t = await startDailies({ catalog });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    await admin.post('/api/groups', { name: 'other' });
    edna = (await makeUser(admin, 'edna', ['editors'])).client;
    eve = (await makeUser(admin, 'eve', ['editors'])).client;
    outsider = (await makeUser(admin, 'otto', ['other'])).client;
    for (const [path, groups] of [
      ['/Shared', ['admin', 'editors']],
      ['/Hidden', ['admin']],
    ] as const) {
      expect((await t.api('POST', '/api/folders', { path })).status).toBe(201);
      await t.api('PUT', '/api/folders/groups', { path, groups });
    }
    const clip = await timecodedClip({ rate: '30000/1001', timecode: '01:00:00;00', seconds: 2 });
    shared = (await importFile(t, '/Shared', 'A001C001.mov', clip)).id;
    hidden = (await importFile(t, '/Hidden', 'SECRET.mov', clip)).id;
    open = (await importFile(t, '/', 'OPEN.mov', clip)).id;
    for (const id of [shared, hidden, open]) {
      await until(async () => (await t.api('GET', `/api/assets/${id}/metadata`)).status === 200, {
        timeout: 60_000,
        what: 'the probe',
      });
    }
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t?.close();
  });

  const notesOf = async (id: string, client: Client = admin) =>
    (await client.get(`/api/assets/${id}/notes`)).json();
  /** An answer as the caller reads it: everything but the request's own id. */
  const said = (response: { json(): any }) => {
    const { requestId: _, ...rest } = response.json();
    return rest;
  };
  const add = (client: Client, id: string, body: unknown) => client.post(`/api/assets/${id}/notes`, body);
  const rowCount = async () =>
    Number(
      (
        await t.dailies.connection.db
          .selectFrom('assetNotes')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("places a note at a drop-frame timecode and shows it in the clip's timecode", async () => {
    const byTimecode = await add(edna, shared, {
      text: 'boom in shot',
      timecode: '01:00:01;02',
      endTimecode: '01:00:01;12',
    });
    expect(byTimecode.statusCode).toBe(201);
    const note = byTimecode.json();
    // 01:00:00;00 + 1 s + 2 frames: 32 frames in at 29.97.
    expect(note).toMatchObject({
      frame: 32,
      endFrame: 42,
      timecode: '01:00:01;02',
      endTimecode: '01:00:01;12',
    });
    expect(note.seconds).toBeCloseTo((32 * 1001) / 30000, 9);
    expect(note.author.name).toBe('edna');
    expect(note.canEdit).toBe(true);
    const byFrame = (await add(edna, shared, { text: 'first frame', frame: 0 })).json();
    expect(byFrame.timecode).toBe('01:00:00;00');
    const whole = (await add(edna, shared, { text: '  circled, print it  ' })).json();
    expect(whole).toMatchObject({ frame: null, timecode: null, text: 'circled, print it' });

    const list = await notesOf(shared, eve);
    expect(list.timing).toEqual({
      rate: '30000/1001',
      dropFrame: true,
      startTimecode: '01:00:00;00',
      frames: 60,
    });
    const mine = list.notes.filter((n: any) => [note.id, byFrame.id, whole.id].includes(n.id));
    // Timeline order, then the notes on the whole clip.
    expect(mine.map((n: any) => n.id)).toEqual([byFrame.id, note.id, whole.id]);
    // Eve sees edna's notes but may not change them.
    expect(mine.every((n: any) => n.canEdit === false)).toBe(true);
  });

  it('only the author or an admin edits or deletes a note', async () => {
    const note = (await add(edna, shared, { text: 'mine', frame: 5 })).json();
    const before = await rowCount();
    const byEve = await eve.request('PATCH', `/api/notes/${note.id}`, { text: 'hijacked' });
    expect(byEve.statusCode).toBe(403);
    expect(byEve.json().message).toMatch(/author or an admin/);
    expect((await eve.request('DELETE', `/api/notes/${note.id}`)).statusCode).toBe(403);
    const unchanged = (await notesOf(shared)).notes.find((n: any) => n.id === note.id);
    expect(unchanged.text).toBe('mine');
    expect(await rowCount()).toBe(before);

    const edited = await edna.request('PATCH', `/api/notes/${note.id}`, {
      text: 'mine, edited',
      frame: null,
    });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ text: 'mine, edited', frame: null, timecode: null });
    const byAdmin = await admin.request('PATCH', `/api/notes/${note.id}`, { timecode: '01:00:01;29' });
    expect(byAdmin.json()).toMatchObject({ frame: 59, text: 'mine, edited', author: { name: 'edna' } });
    // An end alone keeps the start; a start alone makes the note a point again.
    const ranged = await edna.request('PATCH', `/api/notes/${note.id}`, { frame: 40 });
    expect(ranged.json()).toMatchObject({ frame: 40, endFrame: null });
    const ended = await edna.request('PATCH', `/api/notes/${note.id}`, { endTimecode: '01:00:01;20' });
    expect(ended.json()).toMatchObject({ frame: 40, endFrame: 50, endTimecode: '01:00:01;20' });
    expect((await edna.request('PATCH', `/api/notes/${note.id}`, { endFrame: 40 })).statusCode).toBe(400);
    expect((await admin.request('DELETE', `/api/notes/${note.id}`)).statusCode).toBe(204);
    expect((await admin.request('DELETE', `/api/notes/${note.id}`)).statusCode).toBe(404);

    const audit = await t.api('GET', '/api/audit?action=note.*&limit=100');
    const actions = audit.body.items
      .filter((e: any) => e.detail?.noteId === note.id)
      .map((e: any) => `${e.action} ${e.actorName}`);
    expect(actions.sort()).toEqual([
      'note.add edna',
      'note.delete admin',
      'note.edit admin',
      'note.edit edna',
      'note.edit edna',
      'note.edit edna',
    ]);
  });

  it('a hidden asset and its notes answer exactly as missing ones', async () => {
    const secret = (await add(admin, hidden, { text: 'secret', frame: 1 })).json();
    const before = await rowCount();
    const hiddenList = await edna.get(`/api/assets/${hidden}/notes`);
    const missingList = await edna.get(`/api/assets/${randomUUID()}/notes`);
    expect(hiddenList.statusCode).toBe(404);
    expect(said(hiddenList)).toEqual(said(missingList));
    const hiddenAdd = await add(edna, hidden, { text: 'let me in' });
    expect(hiddenAdd.statusCode).toBe(404);
    expect(said(hiddenAdd)).toEqual(said(await add(edna, randomUUID(), { text: 'x' })));
    for (const method of ['PATCH', 'DELETE'] as const) {
      const onHidden = await edna.request(
        method,
        `/api/notes/${secret.id}`,
        method === 'PATCH' ? { text: 'x' } : undefined,
      );
      const onMissing = await edna.request(
        method,
        `/api/notes/${randomUUID()}`,
        method === 'PATCH' ? { text: 'x' } : undefined,
      );
      expect(onHidden.statusCode).toBe(404);
      expect(said(onHidden)).toEqual(said(onMissing));
      expect(onHidden.body).not.toContain('secret');
    }
    expect(await rowCount()).toBe(before);
    expect((await notesOf(hidden)).notes.map((n: any) => n.text)).toEqual(['secret']);
  });

  it('refuses bad input with 400 and a message, writing nothing', async () => {
    const before = await rowCount();
    const bad: unknown[] = [
      {},
      { text: '' },
      { text: '   ' },
      { text: 'nul \u0000 byte' },
      { text: 'bell \u0007' },
      { text: 'x'.repeat(10_001) },
      { text: 'n', frame: -1 },
      { text: 'n', frame: 1.5 },
      { text: 'n', frame: '12' },
      { text: 'n', frame: 1e300 },
      { text: 'n', frame: 60 },
      { text: 'n', frame: 2 ** 53 },
      { text: 'n', frame: 10, endFrame: 10 },
      { text: 'n', frame: 10, endFrame: 61 },
      { text: 'n', endFrame: 10 },
      { text: 'n', frame: 1, timecode: '01:00:00;01' },
      // Drop-frame skips ;00 and ;01 at minute 1; NDF spelling of a DF clip; before the clip; not a timecode.
      { text: 'n', timecode: '01:01:00;00' },
      { text: 'n', timecode: '00:59:59;29' },
      { text: 'n', timecode: '01:00:00;30' },
      { text: 'n', timecode: '1:00:00;00' },
      { text: 'n', timecode: '01:00:00;0%' },
      { text: 5 },
    ];
    for (const body of bad) {
      const response = await add(edna, shared, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(response.json().message, JSON.stringify(body).slice(0, 80)).toBeTruthy();
    }
    expect(await rowCount()).toBe(before);
    // The same clip at NDF spelling is still the same frame (a colon is accepted for a DF clip).
    expect((await add(edna, shared, { text: 'colon', timecode: '01:00:00:05' })).json().frame).toBe(5);
  });

  it('is live to everyone who can see the asset, and to nobody else', async () => {
    const cookieOf = (c: Client) => ({ cookie: `${SESSION_COOKIE}=${c.credentials.cookie}` });
    const watch = async (c: Client) => {
      const stream = await openSse(`${base}/api/events`, cookieOf(c));
      streams.push(stream);
      await until(() => stream.comments.includes('connected'), { what: 'the subscription' });
      return stream;
    };
    const [evesStream, ottosStream] = [await watch(eve), await watch(outsider)];
    const onShared = (await add(edna, shared, { text: 'live', frame: 2 })).json();
    const onHidden = (await add(admin, hidden, { text: 'hush', frame: 2 })).json();
    const onOpen = (await add(admin, open, { text: 'marker', frame: 2 })).json();
    const seen = await evesStream.next((m) => m.type === 'note.added' && m.noteId === onShared.id);
    expect(seen).toEqual({ type: 'note.added', assetId: shared, noteId: onShared.id, folderPath: '/Shared' });
    // Events arrive in order: once the marker is there, the others would have been too.
    await ottosStream.next((m) => m.noteId === onOpen.id);
    await evesStream.next((m) => m.noteId === onOpen.id);
    expect(ottosStream.messages.some((m: any) => m.noteId === onShared.id || m.noteId === onHidden.id)).toBe(
      false,
    );
    expect(evesStream.messages.some((m: any) => m.noteId === onHidden.id)).toBe(false);
    expect(JSON.stringify(ottosStream.messages)).not.toMatch(/Shared|Hidden|hush|live/);

    await edna.request('PATCH', `/api/notes/${onShared.id}`, { text: 'live, edited' });
    await edna.request('DELETE', `/api/notes/${onShared.id}`);
    await evesStream.next((m) => m.type === 'note.changed' && m.noteId === onShared.id);
    await evesStream.next((m) => m.type === 'note.deleted' && m.noteId === onShared.id);
  });

  it('an edit and a delete at once: the note ends deleted, the edit either lands first or finds nothing', async () => {
    for (let i = 0; i < 5; i += 1) {
      const note = (await add(edna, shared, { text: `race ${i}` })).json();
      const [edit, remove] = await Promise.all([
        edna.request('PATCH', `/api/notes/${note.id}`, { text: 'late edit' }),
        admin.request('DELETE', `/api/notes/${note.id}`),
      ]);
      expect([200, 404]).toContain(edit.statusCode);
      expect(remove.statusCode).toBe(204);
      expect((await notesOf(shared)).notes.some((n: any) => n.id === note.id)).toBe(false);
    }
  });

  it('goes with its asset when the asset is deleted for good, and survives a trip to the trash', async () => {
    const clip = await timecodedClip({ rate: '30000/1001', timecode: '01:00:00;00', seconds: 2 });
    const doomed = (await importFile(t, '/Shared', 'DOOMED.mov', clip)).id;
    await until(async () => (await t.api('GET', `/api/assets/${doomed}/metadata`)).status === 200, {
      timeout: 60_000,
      what: 'the probe',
    });
    await add(edna, doomed, { text: 'keep me', frame: 1 });
    const count = async () =>
      (
        await t.dailies.connection.db
          .selectFrom('assetNotes')
          .select('id')
          .where('assetId', '=', doomed)
          .execute()
      ).length;
    expect(await count()).toBe(1);
    expect((await t.api('POST', '/api/assets/delete', { ids: [doomed] })).status).toBeLessThan(300);
    // In the trash the asset (and its notes) are out of reach, but kept for a restore.
    expect((await edna.get(`/api/assets/${doomed}/notes`)).statusCode).toBe(404);
    expect(await count()).toBe(1);
    expect((await t.api('DELETE', '/api/trash')).status).toBeLessThan(300);
    await until(async () => (await count()) === 0, { what: 'the notes to go' });
  });
});
