/**
 * The words of a logged description are found by the free-text search (issue 16), like those of
 * a name or a folder path: by prefix, ignoring case and accents, every word of a query matching
 * somewhere in name, path or description. The index follows a description written, changed,
 * cleared, the asset renamed, its folder renamed, the asset forgotten; a hidden asset's
 * description finds nothing for an editor; the description's own punctuation is never query
 * syntax. The migration's `down` and `up` leave a working index each way.
 *
 * Real: the search service over SQLite (FTS5) and PostgreSQL (tsvector) with logs written
 * through the catalog, so the database triggers do the indexing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as searchDescriptions from '../../src/adapters/db/migrations/2026-12-03T1210-search-descriptions.js';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { Asset } from '../../src/ports/catalog.js';
import { names, seedAsset, sorted } from '../search/support.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';

const editor: Actor = { id: 'ed', username: 'ed', groups: ['editors'], isAdmin: false };

for (const catalog of CATALOGS) {
  describe(`search finds the words of descriptions (${catalog})`, () => {
    let t: TestDailies;
    const a: Record<string, Asset> = {};
    const setDescription = (asset: Asset, description: string | null) =>
      t.dailies.catalog.logs.write([asset.id], { description }, 'test', Date.now());

    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      const c = t.dailies.catalog;
      a.boom = await seedAsset(c, '/Day 01', 'A001C001.mov');
      a.cafe = await seedAsset(c, '/Day 01', 'A001C002.mov');
      a.plain = await seedAsset(c, '/Day 01', 'B001C001.mov');
      a.syntax = await seedAsset(c, '/Day 01', 'B001C002.mov');
      a.secret = await seedAsset(c, '/Secret', 'Z001C001.mov');
      await setDescription(a.boom, 'Boom dips into frame at the end');
      await setDescription(a.cafe, 'CAFÉ scene, naïve line reading');
      await setDescription(a.syntax, 'OR NEAR( "quoted" -minus * 100%_done');
      await setDescription(a.secret, 'boom visible only to producers');
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Day 01', ['admin', 'editors']);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
    });
    afterAll(async () => t?.close());

    const find = async (q: string, actor: Actor = editor) =>
      sorted(names(await t.dailies.search.search(actor, { q, limit: 1000 } as never)));

    it('finds a description word by prefix, ignoring case and accents', async () => {
      expect(await find('boom')).toEqual(['A001C001.mov']);
      expect(await find('BOO')).toEqual(['A001C001.mov']);
      expect(await find('cafe')).toEqual(['A001C002.mov']);
      expect(await find('naive reading')).toEqual(['A001C002.mov']);
      expect(await find('readings')).toEqual([]);
    });

    it('matches each word of a query in name, path or description', async () => {
      expect(await find('a001 boom')).toEqual(['A001C001.mov']);
      expect(await find('day boom frame')).toEqual(['A001C001.mov']);
      expect(await find('b001 boom')).toEqual([]);
    });

    it('never shows a hidden asset for its description; an admin finds it', async () => {
      expect(await find('producers')).toEqual([]);
      expect(await find('boom', SYSTEM_ACTOR)).toEqual(['A001C001.mov', 'Z001C001.mov']);
    });

    it('takes the description’s punctuation as words, never as query syntax', async () => {
      expect(await find('near')).toEqual(['B001C002.mov']);
      expect(await find('quoted minus')).toEqual(['B001C002.mov']);
      expect(await find('100 done')).toEqual(['B001C002.mov']);
      expect(await find('"quoted" OR -minus NEAR(')).toEqual(['B001C002.mov']);
    });

    it('follows a description changed, cleared, the asset renamed and its folder renamed', async () => {
      await setDescription(a.plain, 'Clean take, keep');
      expect(await find('clean')).toEqual(['B001C001.mov']);
      await setDescription(a.plain, 'Soft focus');
      expect(await find('clean')).toEqual([]);
      expect(await find('soft focus')).toEqual(['B001C001.mov']);
      await setDescription(a.plain, null);
      expect(await find('soft')).toEqual([]);
      expect(await find('b001c001')).toEqual(['B001C001.mov']);

      // Renamed: the new name and the old description are found together.
      await t.dailies.catalog.assets.update(a.cafe.id, { name: 'A001C002_v2.mov' });
      expect(await find('cafe v2')).toEqual(['A001C002_v2.mov']);
      // Its folder renamed: path, name and description still one document.
      const root = (await t.dailies.catalog.folders.getByPath('/'))!;
      await t.dailies.catalog.folders.movePaths('/Day 01', '/Day One', root.id, Date.now());
      expect(await find('one cafe')).toEqual(['A001C002_v2.mov']);
      expect(await find('one boom')).toEqual(['A001C001.mov']);
      expect(await find('day 01 boom')).toEqual([]);
    });

    it('forgets the words of an asset deleted for good, whichever goes first: the asset or its log', async () => {
      const c = t.dailies.catalog;
      const first = await seedAsset(c, '/Day One', 'G001.mov');
      const second = await seedAsset(c, '/Day One', 'G002.mov');
      await setDescription(first, 'ephemeral words');
      await setDescription(second, 'ephemeral words');
      expect(await find('ephemeral')).toEqual(['G001.mov', 'G002.mov']);
      await c.assets.delete([first.id]);
      await c.logs.forget([first.id]);
      await c.logs.forget([second.id]);
      expect(await find('ephemeral')).toEqual([]);
      expect(await find('g00')).toEqual(['G002.mov']);
      await c.assets.delete([second.id]);
      expect(await find('g00')).toEqual([]);
    });

    it('the migration undone leaves names searchable without descriptions; done again, with them', async () => {
      const { db } = t.dailies.connection;
      await searchDescriptions.down(db);
      expect(await find('boom')).toEqual([]);
      expect(await find('a001c001')).toEqual(['A001C001.mov']);
      await setDescription(a.plain, 'written while undone');
      expect(await find('written')).toEqual([]);
      await searchDescriptions.up(db);
      expect(await find('boom')).toEqual(['A001C001.mov']);
      expect(await find('written undone')).toEqual(['B001C001.mov']);
      expect(await find('one cafe')).toEqual(['A001C002_v2.mov']);
    });
  });
}
