import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { seedAsset } from '../search/support.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';

// Real: the CSV import over HTTP (text/csv bodies) on SQLite and PostgreSQL.
for (const catalog of CATALOGS) {
  describe(`script supervisor CSV import (${catalog})`, () => {
    let t: TestDailies;
    let admin: Client;
    let editor: Client;
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      const c = t.dailies.catalog;
      await seedAsset(c, '/Day 02/Cam A', 'A001C001_220314_R1AB.mxf');
      await seedAsset(c, '/Day 02/Cam A', 'A001C002_220314_R1AB.mxf');
      await seedAsset(c, '/Day 02/Cam B', 'B001_C005_0314AB_001.R3D');
      await seedAsset(c, '/Day 02/Sound', 'Scene 12 wild.wav');
      await seedAsset(c, '/Day 02/Hidden', 'A001C003_220314_R1AB.mxf');
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Day 02', ['admin', 'editors']);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Day 02/Hidden', ['admin'], 'folder');
      admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
      editor = (await makeUser(admin, 'sup', ['editors'])).client;
    });
    afterAll(async () => t?.close());

    const send = (client: Client, step: 'preview' | 'apply', csv: string | Buffer, folder = '/Day 02') =>
      client.request('POST', `/api/log-import/${step}?folder=${encodeURIComponent(folder)}`, csv, {
        'content-type': 'text/csv',
      });

    const sheet = [
      'Clip Name;Scene;Take;Circled;Notes',
      'A001C001;12;1;;"fluffed line; restart"',
      'a001c002_220314_r1ab.mxf;12;2;Y;"=cmd|\' /C calc\'!A0"',
      'B001C005;14A;1;x;',
      'A001C003;12;3;Y;the hidden one',
      'A009C009;99;1;Y;no such clip',
      ';;;;',
      'A001C001;12;9;Y;named twice',
    ].join('\r\n');

    it('previews matches, unmatched rows and assets without a row, changing nothing', async () => {
      const res = await send(editor, 'preview', sheet);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.columns).toEqual({
        clip: 'Clip Name',
        scene: 'Scene',
        take: 'Take',
        circled: 'Circled',
        notes: 'Notes',
      });
      expect(body.rows).toBe(7);
      expect(body.matched.map((m: any) => [m.row, m.assets.map((a: any) => a.name), m.values])).toEqual([
        [
          2,
          ['A001C001_220314_R1AB.mxf'],
          { scene: '12', take: '1', circled: false, description: 'fluffed line; restart' },
        ],
        [
          3,
          ['A001C002_220314_R1AB.mxf'],
          { scene: '12', take: '2', circled: true, description: "=cmd|' /C calc'!A0" },
        ],
        [4, ['B001_C005_0314AB_001.R3D'], { scene: '14A', take: '1', circled: true }],
        [8, ['A001C001_220314_R1AB.mxf'], {}],
      ]);
      expect(body.matched[3].problems).toEqual(['Row 2 names the same clip; this row is left out.']);
      // The hidden folder's clip is unmatched, exactly like a clip that does not exist.
      expect(body.unmatched).toEqual([
        { row: 5, clip: 'A001C003' },
        { row: 6, clip: 'A009C009' },
      ]);
      expect(body.assetsWithoutRow.map((a: any) => a.name)).toEqual(['Scene 12 wild.wav']);
      expect(JSON.stringify(body)).not.toContain('Hidden');
      const log = (await admin.get(`/api/assets/${body.matched[0].assets[0].id}/log`)).json();
      expect(log.scene).toBeNull();
    });

    it('applies what it previewed, as the caller; formulas stay text; audited', async () => {
      const res = await send(editor, 'apply', sheet);
      expect(res.statusCode).toBe(200);
      expect(res.json().updated).toBe(3);
      const byName = new Map<string, any>();
      for (const a of (await admin.get('/api/search?folder=/Day%2002')).json().items)
        byName.set(a.name, a.log);
      expect(byName.get('A001C001_220314_R1AB.mxf')).toMatchObject({
        scene: '12',
        take: '1',
        circled: false,
      });
      expect(byName.get('A001C002_220314_R1AB.mxf')).toMatchObject({
        scene: '12',
        take: '2',
        circled: true,
        description: "=cmd|' /C calc'!A0",
      });
      expect(byName.get('B001_C005_0314AB_001.R3D')).toMatchObject({ scene: '14A', circled: true });
      expect(byName.get('A001C003_220314_R1AB.mxf').scene).toBeNull();
      const audit = (await admin.get('/api/audit?action=asset.log_import')).json().items[0];
      expect(audit).toMatchObject({ actorName: 'sup', detail: { matchedRows: 4, assets: 3 } });
    });

    it('bad CSV files get a clear 400 and change nothing', async () => {
      const cases: Array<[string | Buffer, RegExp]> = [
        ['Scene,Take\n12,1\n', /no clip column.*"Scene", "Take"/],
        ['', /empty/],
        [Buffer.from('Clip,Notes\nA001C001,caf\u00e9\n', 'latin1'), /not UTF-8/],
        [Buffer.from('\ufeffClip,Notes\n', 'utf16le'), /UTF-16/],
        ['Clip,Notes\nA001C001,"never closed\n', /never ends/],
        [`Clip,Notes\n${'A001C001,x\n'.repeat(20_001)}`, /20001 rows/],
        [`Clip,Notes\nA001C001,"${'x'.repeat(4 * 1024 * 1024)}"\n`, /larger than 4 MiB/],
      ];
      for (const [csv, message] of cases) {
        const res = await send(editor, 'apply', csv);
        expect(res.statusCode, String(message)).toBe(400);
        expect(res.json().message).toMatch(message);
      }
      const json = await editor.request('POST', '/api/log-import/preview?folder=/Day%2002', { clip: 'x' });
      expect(json.statusCode).toBe(400);
      expect(json.json().message).toMatch(/Content-Type: text\/csv/);
      const tooBig = await send(editor, 'preview', 'x'.repeat(17 * 1024 * 1024));
      expect(tooBig.statusCode).toBe(413);
    });

    it('cells that cannot be used are listed per row; the rest of the row applies', async () => {
      const res = await send(editor, 'preview', 'Clip,Scene,Circled,Rating\nA001C001,12,maybe,7\n');
      expect(res.json().matched[0]).toMatchObject({
        values: { scene: '12' },
        problems: ['Circled "maybe" is neither yes nor no.', 'Rating "7" is not 0 to 5 stars.'],
      });
    });

    it('a hidden or missing folder is a 404 alike', async () => {
      const hidden = await send(editor, 'preview', 'Clip\nA001C003\n', '/Day 02/Hidden');
      const missing = await send(editor, 'preview', 'Clip\nA001C003\n', '/Day 02/Nope');
      expect(hidden.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
    });
  });
}
