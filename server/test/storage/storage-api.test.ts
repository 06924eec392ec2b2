/**
 * The storage page's API on real parts (fs lake, SQLite and PostgreSQL, a fake clock): editors'
 * figures hold only what they may see, duplicates are found exactly and resolved by one audited
 * job, each clean-up action acts on exactly the chosen items, and trash retention purges only
 * what is past its date.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KyselyLocationRepository } from '../../src/adapters/db/location.repository.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { Asset } from '../../src/ports/catalog.js';
import { type Client, ManualClock, makeUser, signIn } from '../auth/support.js';
import { CATALOGS, startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';

const DAY = 86_400_000;

for (const catalogKind of CATALOGS) {
  describe(`storage API on ${catalogKind}`, () => {
    let t: TestDailies;
    let clock: ManualClock;
    let admin: Client;
    let editor: Client;
    const byName = new Map<string, Asset>();
    const write = (path: string, bytes: number, fill = 'x') => {
      const file = join(t.config.lake, path);
      mkdirSync(join(file, '..'), { recursive: true });
      writeFileSync(file, fill.repeat(bytes));
    };

    beforeAll(async () => {
      clock = new ManualClock(Date.UTC(2026, 11, 1, 12));
      t = await startDailies({ catalog: catalogKind, background: false, wiring: { clock } });
      admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
      await t.dailies.users.createGroup(SYSTEM_ACTOR, { name: 'project-x' });
      editor = (await makeUser(admin, 'eddie', ['editors'])).client;
      // Open (editors): 3 files, two of them the same bytes; Secret (project-x): 2 files, one a
      // copy of Open's; Open/Cam B: 1 file.
      write('Open/a.mov', 1000, 'a');
      write('Open/b.mov', 1000, 'a');
      write('Open/c.wav', 300, 'c');
      write('Open/Cam B/d.mov', 50, 'd');
      write('Secret/s1.mov', 1000, 'a');
      write('Secret/s2.mxf', 7777, 's');
      await t.dailies.indexing.reconcile();
      const folders = t.dailies.catalog.folders;
      await folders.setGroups((await folders.getByPath('/Open'))!.id, ['admin', 'editors']);
      await folders.setGroups((await folders.getByPath('/Secret'))!.id, ['admin', 'project-x']);
      for (const path of ['/Open', '/Open/Cam B', '/Secret'])
        for (const asset of await t.dailies.catalog.assets.liveInFolders([
          (await folders.getByPath(path))!.id,
        ]))
          byName.set(asset.name, asset);
      // Same bytes, same checksum: what the probe would record.
      for (const name of ['a.mov', 'b.mov', 's1.mov'])
        await t.dailies.catalog.assets.update(byName.get(name)!.id, { checksumXxh64: 'aaaa' });
      await t.dailies.catalog.assets.update(byName.get('c.wav')!.id, { checksumXxh64: 'cccc' });
      await t.dailies.catalog.assets.update(byName.get('s2.mxf')!.id, {
        checksumXxh64: 'ssss',
        state: 'failed',
        stateReason: 'bad',
      });
      await t.dailies.catalog.assets.update(byName.get('d.mov')!.id, {
        checksumXxh64: 'dddd',
        state: 'failed',
        stateReason: 'bad',
      });
    }, 90_000);
    afterAll(async () => t?.close());

    it('admins see every byte; an editor only the folders open to them, and no hidden name or size', async () => {
      const all = (await admin.get('/api/storage')).json();
      expect(all.folder).toMatchObject({ path: '/', assets: 6, bytes: 1000 * 3 + 300 + 50 + 7777 });
      expect(all.children.map((c: { name: string; bytes: number }) => [c.name, c.bytes])).toEqual([
        ['Secret', 8777],
        ['Open', 2350],
      ]);
      const response = await editor.get('/api/storage');
      expect(response.statusCode).toBe(200);
      const mine = response.json();
      expect(mine.folder).toMatchObject({ assets: 4, bytes: 2350 });
      expect(mine.children).toEqual([
        { id: expect.any(String), path: '/Open', name: 'Open', hasChildren: true, assets: 4, bytes: 2350 },
      ]);
      expect(mine.formats.map((f: { format: string }) => f.format).sort()).toEqual(['MOV', 'WAV']);
      for (const secret of ['Secret', 'MXF', '8777', '7777', '9127', '3777'])
        expect(response.body).not.toContain(secret);
      // Drill down; a hidden folder and a missing one are the same 404.
      const open = (await editor.get('/api/storage?folder=/Open')).json();
      expect(open.here).toEqual({ assets: 3, bytes: 2300 });
      expect(open.children.map((c: { name: string }) => c.name)).toEqual(['Cam B']);
      expect((await editor.get('/api/storage?folder=/Secret')).statusCode).toBe(404);
      expect((await editor.get('/api/storage?folder=/Nowhere')).statusCode).toBe(404);
      expect((await admin.get('/api/storage?folder=/Secret')).json().folder.bytes).toBe(8777);
    });

    it('growth: the daily figure per group set, so an editor adds only what they may see', async () => {
      await t.dailies.storage.recordDay();
      clock.advance(DAY);
      await t.dailies.storage.recordDay();
      const adminDays = (await admin.get('/api/storage/growth?days=90')).json().days;
      expect(adminDays.map((d: { day: string; bytes: number }) => [d.day, d.bytes])).toEqual([
        ['2026-12-01', 11127],
        ['2026-12-02', 11127],
      ]);
      const editorDays = (await editor.get('/api/storage/growth')).json().days;
      expect(editorDays.map((d: { bytes: number }) => d.bytes)).toEqual([2350, 2350]);
      expect((await editor.get('/api/storage/growth?days=0')).statusCode).toBe(400);
      expect((await editor.get('/api/storage/growth?days=NaN')).statusCode).toBe(400);
    });

    it('duplicates: same checksum and size, grouped; an editor sees only the copies open to them', async () => {
      const all = (await admin.get('/api/storage/duplicates')).json();
      expect(all.total).toBe(1);
      expect(all.bytes).toBe(2000);
      expect(all.groups[0].assets.map((a: { name: string }) => a.name).sort()).toEqual([
        'a.mov',
        'b.mov',
        's1.mov',
      ]);
      const secretCopy = all.groups[0].assets.find((a: { name: string }) => a.name === 's1.mov');
      expect(secretCopy.seenBy.sort()).toEqual(['admin', 'project-x']);
      const mine = await editor.get('/api/storage/duplicates');
      expect(
        mine
          .json()
          .groups[0].assets.map((a: { name: string }) => a.name)
          .sort(),
      ).toEqual(['a.mov', 'b.mov']);
      expect(mine.json().bytes).toBe(1000);
      expect(mine.body).not.toContain('Secret');
      // An editor cannot trash a copy they cannot see, nor a file of other content.
      const keep = byName.get('a.mov')!.id;
      expect(
        (
          await editor.post('/api/storage/duplicates/resolve', {
            groups: [{ keep, trash: [byName.get('s1.mov')!.id] }],
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await editor.post('/api/storage/duplicates/resolve', {
            groups: [{ keep, trash: [byName.get('c.wav')!.id] }],
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (await editor.post('/api/storage/duplicates/resolve', { groups: [{ keep, trash: [keep] }] }))
          .statusCode,
      ).toBe(400);
      const resolved = await admin.post('/api/storage/duplicates/resolve', {
        groups: [{ keep, trash: [byName.get('b.mov')!.id] }],
      });
      expect(resolved.statusCode).toBe(202);
      const job = await t.dailies.jobs.get(resolved.json().jobId);
      await t.dailies.cleanup.runDedupe(job as never, { progress: async () => {} } as never);
      const after = await t.dailies.catalog.assets.getMany([...byName.values()].map((a) => a.id));
      expect(after.filter((a) => a.trashedAt !== null).map((a) => a.name)).toEqual(['b.mov']);
      const audit = await t.dailies.catalog.audit.list({ action: 'storage.duplicates', limit: 5 });
      expect(audit[0]?.detail).toMatchObject({ trashed: [byName.get('b.mov')!.id] });
      expect((await admin.get('/api/storage')).json().trash).toEqual({ assets: 1, bytes: 1000 });
      // The editor's trash figure counts b.mov (open to them); the hidden folder still adds nothing.
      expect((await editor.get('/api/storage')).json().trash).toEqual({ assets: 1, bytes: 1000 });
    });

    it('clean-up: each list acts on exactly the chosen items', async () => {
      const locations = new KyselyLocationRepository(t.dailies.connection.db);
      const old = clock.now() - 30 * DAY;
      for (const name of ['a.mov', 'c.wav'])
        await locations.put({
          assetId: byName.get(name)!.id,
          volumeId: 'edit',
          path: `Open/${name}`,
          xxh64: 'x',
          size: byName.get(name)!.size,
          mtime: name === 'a.mov' ? old : clock.now(),
          copiedAt: old,
          state: 'verified',
        });
      const lists = (await admin.get('/api/storage/cleanup?idleDays=14&trashDays=0')).json();
      expect(lists.idleCopies.items.map((c: { name: string }) => c.name)).toEqual(['a.mov']);
      expect(lists.failed.items.map((c: { name: string }) => c.name).sort()).toEqual(['d.mov', 's2.mxf']);
      expect(lists.failed.bytes).toBe(7827);
      expect(lists.oldTrash.items.map((c: { name: string }) => c.name)).toEqual([]);
      // Day counts out of range, infinite (1e400, found by the OpenAPI fuzz as a 500) or not numbers: a 400.
      for (const query of [
        'trashDays=1e400',
        'idleDays=1e400',
        'idleDays=-1',
        'trashDays=3651',
        'idleDays=1.5',
        'trashDays=NaN',
      ])
        expect((await admin.get(`/api/storage/cleanup?${query}`)).statusCode, query).toBe(400);
      const editorLists = await editor.get('/api/storage/cleanup?idleDays=14');
      expect(editorLists.json().failed.items.map((c: { name: string }) => c.name)).toEqual(['d.mov']);
      expect(editorLists.body).not.toContain('s2.mxf');

      // Failed: only d.mov chosen, so s2.mxf stays live.
      const failed = await admin.post('/api/storage/cleanup', {
        list: 'failed',
        ids: [byName.get('d.mov')!.id],
      });
      expect(failed.json()).toMatchObject({ list: 'failed', deleted: 1 });
      expect((await t.dailies.catalog.assets.get(byName.get('s2.mxf')!.id))!.trashedAt).toBeNull();
      // A live asset that has not failed is refused, whole.
      expect(
        (await admin.post('/api/storage/cleanup', { list: 'failed', ids: [byName.get('c.wav')!.id] }))
          .statusCode,
      ).toBe(400);

      // Old trash: b.mov and d.mov are in the trash; emptying only b.mov leaves d.mov.
      clock.advance(DAY);
      const trash = (await admin.get('/api/storage/cleanup?trashDays=0'))
        .json()
        .oldTrash.items.map((a: { name: string }) => a.name);
      expect(trash.sort()).toEqual(['b.mov', 'd.mov']);
      const emptied = await admin.post('/api/storage/cleanup', {
        list: 'old-trash',
        ids: [byName.get('b.mov')!.id],
      });
      expect(emptied.json()).toMatchObject({ purged: 1 });
      expect(await t.dailies.catalog.assets.get(byName.get('b.mov')!.id)).toBeNull();
      expect(await t.dailies.catalog.assets.get(byName.get('d.mov')!.id)).not.toBeNull();
      // An editor's choice of a hidden trashed asset purges nothing.
      expect(
        (await editor.post('/api/storage/cleanup', { list: 'old-trash', ids: ['no-such-id'] })).json(),
      ).toMatchObject({ purged: 0 });
      const audit = await t.dailies.catalog.audit.list({ action: 'storage.cleanup', limit: 10 });
      expect(audit.length).toBeGreaterThanOrEqual(3);
      expect((await editor.post('/api/storage/cleanup', { list: 'nope', ids: ['x'] })).statusCode).toBe(400);
      expect((await editor.post('/api/storage/cleanup', { list: 'failed', ids: [] })).statusCode).toBe(400);
    });

    it('retention purges only what is past its date, audited, and shows what is coming', async () => {
      const saved = await admin.request('PUT', '/api/storage/settings', {
        retentionDays: 10,
        idleDays: 14,
        prices: { lake: 0.02, derived: 0.05, volumes: { edit: 0.3 } },
        currency: 'eur',
      });
      expect(saved.statusCode).toBe(200);
      expect(saved.json().currency).toBe('EUR');
      expect((await editor.request('PUT', '/api/storage/settings', saved.json())).statusCode).toBe(403);
      expect((await editor.get('/api/storage/settings')).statusCode).toBe(403);
      for (const bad of [
        { retentionDays: -1 },
        { retentionDays: 1.5 },
        { prices: { lake: -1, derived: null, volumes: {} } },
      ])
        expect(
          (await admin.request('PUT', '/api/storage/settings', { ...(saved.json() as object), ...bad }))
            .statusCode,
        ).toBe(400);
      // d.mov was trashed a day ago; c.wav now.
      await t.dailies.trash.trash(SYSTEM_ACTOR, [byName.get('c.wav')!.id]);
      const trashedAt = (id: string) => t.dailies.catalog.assets.get(id).then((a) => a!.trashedAt!);
      const dAt = await trashedAt(byName.get('d.mov')!.id);
      const cAt = await trashedAt(byName.get('c.wav')!.id);
      expect(dAt).toBeLessThan(cAt);
      const upcoming = (await admin.get('/api/storage/retention')).json();
      expect(upcoming.retentionDays).toBe(10);
      expect(
        upcoming.upcoming.map((d: { assets: number }) => d.assets).reduce((a: number, b: number) => a + b, 0),
      ).toBe(2);
      // Exactly at d.mov's date nothing is purged; a millisecond later only d.mov is.
      clock.time = dAt + 10 * DAY;
      expect((await t.dailies.cleanup.purgeExpired()).purged).toBe(0);
      clock.time = dAt + 10 * DAY + 1;
      expect((await t.dailies.cleanup.purgeExpired()).purged).toBe(1);
      expect(await t.dailies.catalog.assets.get(byName.get('d.mov')!.id)).toBeNull();
      expect(await t.dailies.catalog.assets.get(byName.get('c.wav')!.id)).not.toBeNull();
      const audit = await t.dailies.catalog.audit.list({ action: 'storage.retention', limit: 5 });
      expect(audit[0]?.detail).toMatchObject({ purged: 1, retentionDays: 10 });
      // Cost: priced per GB-month.
      const overview = (await admin.get('/api/storage')).json();
      expect(overview.cost.currency).toBe('EUR');
      expect(overview.cost.lake).toBe(0);
      expect(overview.volumes).toEqual([]);
    });

    it('the gauges carry the kept sums', async () => {
      const metrics = await t.dailies.metrics.metrics();
      expect(metrics).toMatch(/dailies_storage_bytes\{part="asset",label="[a-z]+",trashed="false"\} \d+/);
      expect(metrics).toContain('dailies_storage_objects');
    });
  });
}
