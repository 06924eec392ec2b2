import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { nameKey, validateName } from '../../src/lib/paths.js';
import { makeUser } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, signInAdmin, startDailies, type TestDailies, waitForJob } from '../support/harness.js';

// Issue 12.5 and 11.11. Real: the whole app (app.inject and the services it wires), an fs
// lake, SQLite and PostgreSQL.
const admin: Actor = { id: 'admin-1', username: 'ada', groups: ['admin'], isAdmin: true };

describe.each(CATALOGS)('names that differ only in case or Unicode form (%s)', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
  });
  afterEach(() => t.close());
  const lake = (...parts: string[]) => join(t.dataDir, 'lake', ...parts);
  const create = (path: string) => t.api('POST', '/api/folders', { path });

  it('refuses a folder whose name equals a sibling after case folding or NFC, naming only what was typed', async () => {
    expect((await create('/Day_02')).status).toBe(201);
    const twin = await create('/day_02');
    expect(twin.status).toBe(409);
    expect(twin.body).toMatchObject({
      error: 'conflict',
      message: 'The name "day_02" is taken in /; choose another.',
    });
    expect((await create('/Caf\u00e9')).status).toBe(201);
    const decomposed = await create('/CAFE\u0301');
    expect(decomposed.status).toBe(409);
    expect(decomposed.body.message).toBe('The name "CAF\u00c9" is taken in /; choose another.');
    expect((await create('/Stra\u00dfe')).status).toBe(201);
    expect((await create('/STRASSE')).status).toBe(409);
    expect(await readdir(lake())).toEqual(expect.not.arrayContaining(['day_02', 'CAFÉ', 'STRASSE']));
  });

  it('stores a new name in NFC, and finds the folder from either form', async () => {
    const made = await create('/Cafe\u0301 Noir');
    expect(made.status).toBe(201);
    expect(made.body.path).toBe('/Caf\u00e9 Noir');
    expect(await readdir(lake())).toContain('Caf\u00e9 Noir');
    // An upload naming the folder decomposed (as macOS sends it) lands in the same folder.
    const meta = await t.dailies.uploads.begin(admin, { filename: 'Clip.mov', folder: '/Cafe\u0301 Noir' });
    expect(meta.folder).toBe('/Caf\u00e9 Noir');
  });

  it('refuses twins for uploads, imports, renames, moves, folder moves and restores', async () => {
    const clip = await importFile(t, '/Day', 'Clip.mov', 'a');
    await importFile(t, '/Other', 'CLIP.MOV', 'b');
    const other = await importFile(t, '/Other', 'note.txt', 'c');
    await create('/Other/Sub');
    const conflict = { status: 409 };
    await expect(
      t.dailies.uploads.begin(admin, { filename: 'clip.mov', folder: '/Day' }),
    ).rejects.toMatchObject(conflict);
    await expect(importFile(t, '/Day', 'CLIP.mov', 'x')).rejects.toMatchObject(conflict);
    const rename = await t.api('PATCH', `/api/assets/${other.id}`, { name: 'clip.mov' });
    expect(rename.status).toBe(409);
    expect(rename.body.message).toBe('The name "clip.mov" is taken in /Other; choose another.');
    // A change of case of its own name is no twin.
    expect((await t.api('PATCH', `/api/assets/${clip.id}`, { name: 'CLIP.mov' })).status).toBe(200);
    const move = await t.api('POST', '/api/assets/move', { ids: [clip.id], folder: '/Other' });
    expect(move.status).toBe(409);
    expect(move.body.message).toBe('The name "CLIP.mov" is taken in /Other; choose another.');
    const folderMove = await t.api('PATCH', '/api/folders', { path: '/Other/Sub', newPath: '/DAY' });
    expect(folderMove.status).toBe(409);
    expect(folderMove.body.message).toBe('The name "DAY" is taken in /; choose another.');
    // Deleted, then a twin made where it was: the restore is refused, the twin kept.
    expect((await t.api('POST', '/api/assets/delete', { ids: [other.id] })).status).toBe(200);
    await importFile(t, '/Other', 'NOTE.txt', 'd');
    const restore = await t.api('POST', '/api/assets/restore', { ids: [other.id] });
    expect(restore.status).toBe(409);
    expect(restore.body.message).toBe('The name "note.txt" is taken in /Other; choose another.');
    // A folder renamed to a change of its own case is allowed.
    const recase = await t.api('PATCH', '/api/folders', { path: '/Other/Sub', newPath: '/Other/SUB' });
    expect(recase.status).toBe(202);
    expect((await waitForJob(t, recase.body.jobId)).state).toBe('done');
  });

  it('shows twins another tool wrote into the lake, each with a warning, never merged', async () => {
    await mkdir(lake('Day_02'));
    await mkdir(lake('day_02'));
    await mkdir(lake('Mix'));
    await writeFile(lake('Mix', 'clip.mov'), 'a');
    await writeFile(lake('Mix', 'CLIP.mov'), 'b');
    await writeFile(lake('Mix', 'Cafe\u0301.wav'), 'c');
    await writeFile(lake('Mix', 'Caf\u00e9.wav'), 'd');
    await writeFile(lake('Mix', 'alone.txt'), 'e');
    await t.dailies.indexing.reconcileAfresh();
    const root = await t.api('GET', '/api/folders?path=/');
    const warned = root.body.children.filter((c: any) => c.warning).map((c: any) => c.name);
    expect(warned.sort()).toEqual(['Day_02', 'day_02']);
    expect(root.body.children.find((c: any) => c.name === 'Day_02').warning).toContain('"day_02"');
    const list = await t.api('GET', '/api/assets?folder=/Mix');
    expect(list.body.items.map((a: any) => a.name).sort()).toHaveLength(5);
    const flagged = list.body.items.filter((a: any) => a.warning).map((a: any) => a.name);
    expect(flagged.sort()).toEqual(['CLIP.mov', 'Caf\u00e9.wav', 'Cafe\u0301.wav', 'clip.mov'].sort());
  });

  it('answers a taken name byte for byte alike, whoever holds it: a visible or hidden folder, a twin, an asset', async () => {
    const adminClient = await signInAdmin(t);
    const ed = (await makeUser(adminClient, 'ed', ['editors'])).client;
    await create('/Shoot');
    await create('/Shoot/Mine');
    const mine = await importFile(t, '/Shoot', 'mine.mov', 'an editor clip');
    expect(
      (await t.api('PUT', '/api/folders/groups', { path: '/Shoot', groups: ['admin', 'editors'] })).status,
    ).toBe(200);
    const typed = 'Tak\u00e9';
    // What the editor can do with a name: make a folder, rename an asset, move a folder there.
    const probe = async () =>
      [
        await ed.post('/api/folders', { path: `/Shoot/${typed}` }),
        await ed.request('PATCH', `/api/assets/${mine.id}`, { name: typed }),
        await ed.request('PATCH', '/api/folders', { path: '/Shoot/Mine', newPath: `/Shoot/${typed}` }),
      ].map((r) => {
        // Each answer carries its own request id; all else must match byte for byte.
        const { requestId, ...body } = r.json();
        expect(requestId).toEqual(expect.any(String));
        return { status: r.statusCode, body };
      });
    const hide = (path: string) => t.api('PUT', '/api/folders/groups', { path, groups: ['admin'] });
    const dropFolder = (path: string) => t.api('DELETE', `/api/folders?path=${encodeURIComponent(path)}`);
    const occupants: [string, () => Promise<() => Promise<unknown>>][] = [
      [
        'the visible folder',
        async () => (await create(`/Shoot/${typed}`), () => dropFolder(`/Shoot/${typed}`)),
      ],
      [
        'a hidden folder',
        async () => {
          await create(`/Shoot/${typed}`);
          await importFile(t, `/Shoot/${typed}`, 'inside.mov', 'hidden bytes');
          expect((await hide(`/Shoot/${typed}`)).status).toBe(200);
          return () => dropFolder(`/Shoot/${typed}`);
        },
      ],
      [
        'a visible twin in case',
        async () => (await create('/Shoot/TAK\u00c9'), () => dropFolder('/Shoot/TAK\u00c9')),
      ],
      [
        'a hidden twin in Unicode form',
        async () => {
          await create('/Shoot/take\u0301'); // stored NFC: "také"
          expect((await hide('/Shoot/tak\u00e9')).status).toBe(200);
          return () => dropFolder('/Shoot/tak\u00e9');
        },
      ],
      [
        'an asset of that name',
        async () => {
          const a = await importFile(t, '/Shoot', typed, 'a file');
          return () => t.api('POST', '/api/assets/delete', { ids: [a.id] });
        },
      ],
      [
        'an asset twin',
        async () => {
          const a = await importFile(t, '/Shoot', 'TAKE\u0301', 'another file');
          return () => t.api('POST', '/api/assets/delete', { ids: [a.id] });
        },
      ],
    ];
    const answers: Record<string, unknown> = {};
    for (const [who, occupy] of occupants) {
      const leave = await occupy();
      answers[who] = await probe();
      await leave();
    }
    const expected = {
      status: 409,
      body: { error: 'conflict', message: `The name "${typed}" is taken in /Shoot; choose another.` },
    };
    for (const [who] of occupants) expect(answers[who], who).toEqual([expected, expected, expected]);
    // With the name free again, the same requests succeed: the 409s came from the occupants.
    expect((await ed.post('/api/folders', { path: `/Shoot/${typed}` })).statusCode).toBe(201);
    // Inside a hidden folder, as a missing folder: 404.
    await create('/Secret');
    await hide('/Secret');
    const inside = await ed.post('/api/folders', { path: '/Secret/x' });
    const nowhere = await ed.post('/api/folders', { path: '/Nothing/x' });
    expect(inside.statusCode).toBe(404);
    expect(nowhere.statusCode).toBe(404);
  });

  it.each([
    ['rlo\u202Evom.exe', /text-direction/],
    ['lrm\u200Ename', /text-direction/],
    ['iso\u2066late', /text-direction/],
    ['c1\u0085next', /control characters/],
    ['c1\u009fend', /control characters/],
    ['.Dailies-trash', /reserved for Dailies/],
    ['.DAILIES-uploads', /reserved for Dailies/],
  ])('refuses the name %j with 400 naming the rule, and writes nothing', async (name, rule) => {
    const before = await readdir(lake());
    const made = await create(`/${name}`);
    expect(made.status).toBe(400);
    expect(made.body.message).toMatch(rule);
    expect(await readdir(lake())).toEqual(before);
  });

  it('cannot move a folder onto or out of the reserved space in any case', async () => {
    await create('/Day');
    expect((await t.api('PATCH', '/api/folders', { path: '/Day', newPath: '/.Dailies-trash' })).status).toBe(
      400,
    );
    expect(
      (await t.api('PATCH', '/api/folders', { path: '/.Dailies-trash', newPath: '/Taken' })).status,
    ).toBe(400);
    expect(existsSync(lake('Taken'))).toBe(false);
  });
});

describe('nameKey', () => {
  it('folds case and Unicode form, and keeps other names apart', () => {
    expect(nameKey('Caf\u00e9')).toBe(nameKey('cafe\u0301'));
    expect(nameKey('Day_02')).toBe(nameKey('DAY_02'));
    expect(nameKey('Stra\u00dfe')).toBe(nameKey('strasse'));
    expect(nameKey('Day_02')).not.toBe(nameKey('Day-02'));
    expect(nameKey('A%')).not.toBe(nameKey('A_'));
    expect(validateName('Cafe\u0301')).toBe('Caf\u00e9');
  });
});

describe.each(CATALOGS)('twins made at the same moment (%s)', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog, background: false });
  });
  afterEach(() => t.close());

  it('never keeps both of two folders created at once whose names differ only in case or form', async () => {
    for (const [a, b] of [
      ['Twin', 'twin'],
      ['Caf\u00e9', 'Cafe\u0301'],
      ['Day_9', 'DAY_9'],
    ]) {
      const replies = await Promise.all([
        t.api('POST', '/api/folders', { path: `/${a}` }),
        t.api('POST', '/api/folders', { path: `/${b}` }),
      ]);
      expect(replies.map((r) => r.status).every((s) => s === 201 || s === 409)).toBe(true);
      expect(replies.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
      const root = await t.api('GET', '/api/folders?path=/');
      const kept = root.body.children.filter((c: any) => nameKey(c.name) === nameKey(a));
      expect(kept.length).toBe(replies.filter((r) => r.status === 201).length);
    }
  });
});
