import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { seedAsset } from '../search/support.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';

// Real: the whole API in-process on SQLite and PostgreSQL; an editor signed in through the API.
for (const catalog of CATALOGS) {
  describe(`logging fields API (${catalog})`, () => {
    let t: TestDailies;
    let admin: Client;
    let editor: Client;
    const ids: Record<string, string> = {};
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      const c = t.dailies.catalog;
      for (const [folder, name] of [
        ['/Day 01/Cam A', 'A001C001_220314_R1AB.mxf'],
        ['/Day 01/Cam A', 'A001C002_220314_R1AB.mxf'],
        ['/Day 01/Cam B', 'B001C001_220314XY.MXF'],
        ['/Secret', 'S001C001.mov'],
      ])
        ids[name] = (await seedAsset(c, folder, name)).id;
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Day 01', ['admin', 'editors']);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
      admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
      editor = (await makeUser(admin, 'ed', ['editors'])).client;
    });
    afterAll(async () => t?.close());

    const log = async (client: Client, id: string) => (await client.get(`/api/assets/${id}`)).json().log;

    it('an asset nobody logged shows an empty log in every answer', async () => {
      const empty = {
        camera: null,
        reel: null,
        scene: null,
        take: null,
        circled: false,
        rating: null,
        description: null,
        custom: {},
        automatic: [],
      };
      expect(await log(editor, ids['A001C001_220314_R1AB.mxf'])).toEqual(empty);
      const list = await editor.get('/api/assets?folder=/Day%2001/Cam%20A');
      expect(list.json().items.map((a: any) => a.log)).toEqual([empty, empty]);
      const search = await editor.get('/api/search?q=a001c001');
      expect(search.json().items[0].log).toEqual(empty);
    });

    it('an editor edits one asset: codes upper case, text trimmed; audited', async () => {
      const id = ids['A001C001_220314_R1AB.mxf'];
      const res = await editor.request('PATCH', `/api/assets/${id}/log`, {
        scene: ' 12a ',
        take: '3',
        circled: true,
        rating: 4,
        description: '  Great take, =cmd|calc  ',
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        scene: '12A',
        take: '3',
        circled: true,
        rating: 4,
        description: 'Great take, =cmd|calc',
      });
      expect(await log(admin, id)).toMatchObject({ scene: '12A', circled: true });
      const audit = await admin.get('/api/audit?action=asset.log');
      const entry = audit.json().items.find((e: any) => e.targetId === id);
      expect(entry).toMatchObject({ actorName: 'ed', action: 'asset.log' });
      expect(entry.detail.fields).toMatchObject({ scene: ' 12a ', circled: true });
      // Clearing: null and empty text both clear; other fields stay.
      const cleared = await editor.request('PATCH', `/api/assets/${id}/log`, { take: '', rating: null });
      expect(cleared.json()).toMatchObject({ scene: '12A', take: null, rating: null, circled: true });
    });

    it('bad values are a 400 naming the problem, and change nothing', async () => {
      const id = ids['A001C002_220314_R1AB.mxf'];
      const before = await log(admin, id);
      for (const [body, message] of [
        [{ rating: 6 }, /rating|maximum/i],
        [{ rating: -1 }, /rating|minimum/i],
        [{ rating: 2.5 }, /integer|rating/i],
        [{ scene: 'x'.repeat(65) }, /longer than 64/],
        [{ scene: 'a\nb' }, /line breaks/],
        [{ take: '1\u202e2' }, /control/],
        [{ circled: 'yes' }, /boolean/i],
        [{}, /at least one field/],
        [{ custom: {} }, /at least one field/],
        [{ custom: { nope: 'x' } }, /no custom field "nope"/],
        // Unknown fields are dropped by validation, so nothing is left to change.
        [{ color: 'red' }, /at least one field/],
        [{ description: 'x'.repeat(4001) }, /longer than 4000/],
      ] as const) {
        const res = await editor.request('PATCH', `/api/assets/${id}/log`, body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().message).toMatch(message);
      }
      expect(await log(admin, id)).toEqual(before);
    });

    it('bulk edit sets the same fields on a selection, all or nothing', async () => {
      const selection = [ids['A001C002_220314_R1AB.mxf'], ids['B001C001_220314XY.MXF']];
      const res = await editor.request('PATCH', '/api/assets/log', {
        ids: selection,
        log: { scene: '14', circled: false },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ updated: 2 });
      for (const id of selection) expect(await log(admin, id)).toMatchObject({ scene: '14', circled: false });
      // The first asset's scene is untouched by a bulk edit it was not in.
      expect(await log(admin, ids['A001C001_220314_R1AB.mxf'])).toMatchObject({ scene: '12A' });
      const audit = (await admin.get('/api/audit?action=asset.log')).json().items[0];
      expect(audit.detail.assetIds.sort()).toEqual([...selection].sort());
    });

    it("an editor can neither read nor write a hidden asset's log; a hidden id in a bulk edit is a 404 and nothing changes", async () => {
      const hidden = ids['S001C001.mov'];
      await admin.request('PATCH', `/api/assets/${hidden}/log`, {
        scene: 'SECRET',
        description: 'the twist',
      });
      const read = await editor.get(`/api/assets/${hidden}/log`);
      const missing = await editor.get('/api/assets/00000000-0000-4000-8000-000000000000/log');
      expect(read.statusCode).toBe(404);
      expect(read.json().message).toBe(missing.json().message);
      const write = await editor.request('PATCH', `/api/assets/${hidden}/log`, { scene: '1' });
      expect(write.statusCode).toBe(404);
      const visible = ids['A001C002_220314_R1AB.mxf'];
      const before = await log(admin, visible);
      const bulk = await editor.request('PATCH', '/api/assets/log', {
        ids: [visible, hidden],
        log: { scene: '99' },
      });
      const bulkMissing = await editor.request('PATCH', '/api/assets/log', {
        ids: [visible, '00000000-0000-4000-8000-000000000000'],
        log: { scene: '99' },
      });
      expect(bulk.statusCode).toBe(404);
      expect(bulk.json().message).toBe(bulkMissing.json().message);
      expect(await log(admin, visible)).toEqual(before);
      expect(await log(admin, hidden)).toMatchObject({ scene: 'SECRET', description: 'the twist' });
      // Search never shows the hidden log's values, not even as a facet count.
      const search = (await editor.get('/api/search?q=scene:secret')).json();
      expect(search.total).toBe(0);
      expect((await editor.get('/api/search')).json().facets.scene.map((f: any) => f.value)).not.toContain(
        'SECRET',
      );
    });

    it('custom fields: admins define them, everyone fills them, values are checked by kind', async () => {
      const make = (body: unknown) => editor.post('/api/log-fields', body);
      expect((await make({ key: 'lens', label: 'Lens', kind: 'text' })).statusCode).toBe(403);
      const lens = await admin.post('/api/log-fields', { key: 'lens', label: 'Lens', kind: 'text' });
      expect(lens.statusCode).toBe(201);
      const stop = await admin.post('/api/log-fields', { key: 'stop', label: 'T-stop', kind: 'number' });
      const look = await admin.post('/api/log-fields', {
        key: 'look',
        label: 'Look',
        kind: 'choice',
        choices: ['Day', 'Night'],
      });
      expect(look.statusCode).toBe(201);
      for (const [body, status] of [
        [{ key: 'lens', label: 'Lens again', kind: 'text' }, 409],
        [{ key: 'scene', label: 'Scene', kind: 'text' }, 400],
        [{ key: 'Bad Key', label: 'x', kind: 'text' }, 400],
        [{ key: 'x', label: '', kind: 'text' }, 400],
        [{ key: 'y', label: 'Y', kind: 'choice', choices: [] }, 400],
        [{ key: 'z', label: 'Z', kind: 'choice', choices: ['a', 'A'] }, 400],
        [{ key: 'w', label: 'W', kind: 'text', choices: ['a'] }, 400],
      ] as const)
        expect((await admin.post('/api/log-fields', body)).statusCode, JSON.stringify(body)).toBe(status);
      expect((await editor.get('/api/log-fields')).json().items.map((f: any) => f.key)).toEqual([
        'lens',
        'stop',
        'look',
      ]);
      const id = ids['A001C001_220314_R1AB.mxf'];
      const ok = await editor.request('PATCH', `/api/assets/${id}/log`, {
        custom: { lens: '35mm', stop: 2.8, look: 'night' },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().custom).toEqual({ lens: '35mm', stop: 2.8, look: 'Night' });
      for (const custom of [{ stop: '2.8' }, { look: 'Dusk' }, { lens: 5 }, { lens: 'x'.repeat(501) }]) {
        const res = await editor.request('PATCH', `/api/assets/${id}/log`, { custom });
        expect(res.statusCode, JSON.stringify(custom)).toBe(400);
      }
      // 1e308 is a number; NaN and Infinity cannot arrive in JSON.
      const huge = await editor.request('PATCH', `/api/assets/${id}/log`, { custom: { stop: 1e308 } });
      expect(huge.json().custom.stop).toBe(1e308);
      const renamed = await admin.request('PATCH', `/api/log-fields/${look.json().id}`, {
        label: 'Time of day',
      });
      expect(renamed.json()).toMatchObject({ key: 'look', label: 'Time of day' });
      expect((await editor.request('DELETE', `/api/log-fields/${stop.json().id}`)).statusCode).toBe(403);
      expect((await admin.request('DELETE', `/api/log-fields/${stop.json().id}`)).statusCode).toBe(204);
      expect((await log(admin, id)).custom).toEqual({ lens: '35mm', look: 'Night' });
      expect((await admin.request('DELETE', `/api/log-fields/${stop.json().id}`)).statusCode).toBe(404);
    });

    it('what the media says never overwrites what a person typed', async () => {
      const id = ids['B001C001_220314XY.MXF'];
      const logs = t.dailies.catalog.logs;
      await logs.fillAutomatic(
        id,
        { camera: { value: 'B', source: 'name' }, reel: { value: 'B001', source: 'name' } },
        1,
      );
      expect(await log(admin, id)).toMatchObject({
        camera: 'B',
        reel: 'B001',
        automatic: ['camera', 'reel'],
      });
      await editor.request('PATCH', `/api/assets/${id}/log`, { reel: 'mag 7' });
      await logs.fillAutomatic(id, { reel: { value: 'TAPE9', source: 'metadata' } }, 2);
      expect(await log(admin, id)).toMatchObject({ camera: 'B', reel: 'MAG 7', automatic: ['camera'] });
      // A person clearing a field keeps it cleared.
      await editor.request('PATCH', `/api/assets/${id}/log`, { camera: null });
      await logs.fillAutomatic(id, { camera: { value: 'B', source: 'name' } }, 3);
      expect(await log(admin, id)).toMatchObject({ camera: null, automatic: [] });
    });
  });
}

// Real concurrency: PostgreSQL runs these on separate connections at once; SQLite serialises them.
for (const catalog of CATALOGS) {
  describe(`logging edits at once (${catalog})`, () => {
    let t: TestDailies;
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
    });
    afterAll(async () => t?.close());

    it('overlapping bulk edits in opposite orders all finish, each asset holding one whole edit', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 40; i++)
        ids.push((await seedAsset(t.dailies.catalog, '/Race', `A001C${100 + i}.mov`)).id);
      const edits = Array.from({ length: 8 }, (_, i) => ({
        ids: i % 2 === 0 ? ids : [...ids].reverse(),
        log: { scene: `S${i}`, take: `T${i}` },
      }));
      const results = await Promise.all(edits.map((body) => t.api('PATCH', '/api/assets/log', body)));
      expect(results.map((r) => r.status)).toEqual(edits.map(() => 200));
      // The catalog itself, given ids nobody logged yet in opposite orders (new rows are
      // where two writers could hold each other's inserts).
      const fresh: string[] = [];
      for (let i = 0; i < 40; i++)
        fresh.push((await seedAsset(t.dailies.catalog, '/Race', `A002C${100 + i}.mov`)).id);
      await Promise.all(
        edits.map(({ log }, i) =>
          t.dailies.catalog.logs.write(
            i % 2 === 0 ? fresh : [...fresh].reverse(),
            { ...log, camera: `C${i}` },
            'race',
            i,
          ),
        ),
      );
      const logs = await t.dailies.catalog.logs.get([...ids, ...fresh]);
      for (const id of fresh) expect(logs.get(id)?.camera?.slice(1)).toBe(logs.get(id)?.take?.slice(1));
      for (const id of ids) {
        const log = logs.get(id)!;
        // Scene and take of one edit, never a mix of two.
        expect(log.scene?.slice(1)).toBe(log.take?.slice(1));
      }
    });

    it("automatic values racing a person's edit never win", async () => {
      const asset = await seedAsset(t.dailies.catalog, '/Race', 'B001C001.mov');
      const fills = (from: number) =>
        Array.from({ length: 10 }, (_, i) =>
          t.dailies.catalog.logs.fillAutomatic(
            asset.id,
            { reel: { value: `AUTO${from + i}`, source: 'metadata' } },
            i,
          ),
        );
      const person = t.api('PATCH', `/api/assets/${asset.id}/log`, { reel: 'typed' });
      await Promise.all([...fills(0), person, ...fills(10)]);
      expect((await person).status).toBe(200);
      expect((await t.dailies.catalog.logs.get([asset.id])).get(asset.id)).toMatchObject({
        reel: 'TYPED',
        reelSource: 'person',
      });
    });
  });
}
