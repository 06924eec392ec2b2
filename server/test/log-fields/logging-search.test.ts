import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { expectFacets, names, seedAsset, sorted } from '../search/support.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';

// Real: the search service over SQLite and PostgreSQL with logs written through the catalog.
const editor: Actor = { id: 'ed', username: 'ed', groups: ['editors'], isAdmin: false };

for (const catalog of CATALOGS) {
  describe(`search on logging fields (${catalog})`, () => {
    let t: TestDailies;
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      const c = t.dailies.catalog;
      const add = async (
        folder: string,
        name: string,
        log: Parameters<typeof c.logs.write>[1] | null,
        kind = 'video',
      ) => {
        const a = await seedAsset(c, folder, name, { kind: kind as 'video' });
        if (log) await c.logs.write([a.id], log, 'test', 1);
        return a;
      };
      await add('/Day 01', 'A001C001.mov', {
        camera: 'A',
        scene: '12',
        take: '1',
        circled: false,
        rating: 2,
      });
      await add('/Day 01', 'A001C002.mov', { camera: 'A', scene: '12', take: '2', circled: true, rating: 5 });
      await add('/Day 01', 'B001C001.mov', { camera: 'B', scene: '12', take: '2', circled: true });
      await add('/Day 01', 'B001C002.mov', { camera: 'B', scene: '14', take: '1' });
      await add('/Day 01', 'sound.wav', null, 'audio');
      // Hidden from editors: a scene and a camera only it has, circled.
      await add('/Secret', 'Z001C001.mov', { camera: 'Z', scene: '99', circled: true });
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Day 01', ['admin', 'editors']);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
      const lens = await t.dailies.logging.createField(SYSTEM_ACTOR, {
        key: 'lens',
        label: 'Lens',
        kind: 'text',
      });
      const ids = (await t.dailies.search.search(SYSTEM_ACTOR, { q: 'a001c002' })).items.map((i) => i.id);
      await c.logs.write(ids, { custom: { [lens.id]: '35 mm Prime' } }, 'test', 2);
    });
    afterAll(async () => t?.close());

    const run = (actor: Actor, query: Record<string, unknown>) =>
      t.dailies.search.search(actor, { limit: 1000, ...query } as never);

    it('scene:12 circled:yes in the text, with and without other words', async () => {
      expect(sorted(names(await run(editor, { q: 'scene:12 circled:yes' })))).toEqual([
        'A001C002.mov',
        'B001C001.mov',
      ]);
      expect(names(await run(editor, { q: 'b001 scene:12 circled:yes' }))).toEqual(['B001C001.mov']);
      expect(sorted(names(await run(editor, { q: 'circled:no' })))).toEqual([
        'A001C001.mov',
        'B001C002.mov',
        'sound.wav',
      ]);
      expect(names(await run(editor, { q: 'take:2 camera:a' }))).toEqual(['A001C002.mov']);
      expect(sorted(names(await run(editor, { q: 'rating:2' })))).toEqual(['A001C001.mov', 'A001C002.mov']);
      expect(names(await run(editor, { q: 'lens:"35 MM prime"' }))).toEqual(['A001C002.mov']);
      expect(names(await run(editor, { q: 'lens:35' }))).toEqual([]);
    });

    it('the same filters as parameters; values several at once', async () => {
      expect(sorted(names(await run(editor, { scene: '12,14', camera: 'b' })))).toEqual([
        'B001C001.mov',
        'B001C002.mov',
      ]);
      expect((await run(editor, { circled: 'yes', ratingMin: 5 })).total).toBe(1);
    });

    it('facets count camera, reel, scene and circled, each leaving its own filter out', async () => {
      const all = await run(editor, {});
      expectFacets(all as never, {
        camera: ['A 2', 'B 2'],
        scene: ['12 3', '14 1'],
        circled: ['no 3', 'yes 2'],
        reel: [],
      });
      const chosen = await run(editor, { q: 'scene:12', camera: 'A' });
      expect(chosen.total).toBe(2);
      expectFacets(chosen as never, {
        // Camera is counted without its own filter: B still shows with its scene-12 count.
        camera: ['A 2', 'B 1'],
        // Scene without its own: camera A's scenes.
        scene: ['12 2'],
        circled: ['no 1', 'yes 1'],
      });
      const text = await run(editor, { q: 'a001 circled:yes' });
      expectFacets(text as never, { camera: ['A 1'], circled: ['no 1', 'yes 1'], scene: ['12 1'] });
    });

    it('counts takes too, the take filter left out of its own facet', async () => {
      expectFacets((await run(editor, {})) as never, { take: ['1 2', '2 2'] });
      const two = await run(editor, { q: 'take:2' });
      expect(two.total).toBe(2);
      expectFacets(two as never, { take: ['1 2', '2 2'], camera: ['A 1', 'B 1'] });
      const twoOfA = await run(editor, { take: '2', camera: 'A' });
      expect(names(twoOfA)).toEqual(['A001C002.mov']);
      expectFacets(twoOfA as never, { take: ['1 1', '2 1'], camera: ['A 1', 'B 1'] });
      expect((await run(editor, { take: '1,2' })).total).toBe(4);
      // The hidden clip has no take; its camera's counts stay out for an editor.
      expectFacets((await run(editor, { take: '1' })) as never, {
        camera: ['A 1', 'B 1'],
        take: ['1 2', '2 2'],
      });
    });

    it("an editor's counts never include a hidden asset's log; an admin's do", async () => {
      const admin = await run(SYSTEM_ACTOR, {});
      expect(admin.facets?.camera.map((f) => f.value)).toContain('Z');
      expect(admin.facets?.circled).toEqual([
        { value: 'no', count: 3 },
        { value: 'yes', count: 3 },
      ]);
      for (const q of ['scene:99', 'camera:z', 'scene:99 circled:yes']) {
        const r = await run(editor, { q });
        expect(r.total, q).toBe(0);
      }
      const forEditor = await run(editor, { q: 'scene:99' });
      expect(forEditor.facets?.scene.map((f) => f.value)).not.toContain('99');
      expect(forEditor.facets?.camera.map((f) => f.value)).not.toContain('Z');
    });

    it('bad filter values are a clear 400', async () => {
      await expect(run(editor, { q: 'circled:perhaps' })).rejects.toMatchObject({ status: 400 });
      await expect(run(editor, { q: 'rating:-1' })).rejects.toMatchObject({ status: 400 });
      await expect(run(editor, { scene: 'a\u0000b' })).rejects.toMatchObject({ status: 400 });
      // `%` and `_` are plain characters, never patterns.
      expect((await run(editor, { q: 'scene:1%' })).total).toBe(0);
      expect((await run(editor, { q: 'scene:1_' })).total).toBe(0);
    });
  });
}
