import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { ensureFolderChain } from '../../src/features/folders/folder-tree.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { seedAsset, T0 } from './support.js';

// Real: the search service over SQLite and PostgreSQL, folder groups set through the real
// folder repository (which keeps the effective-access table the query joins).
const editor: Actor = { id: 'ed', username: 'ed', groups: ['editors'], isAdmin: false };

for (const catalog of CATALOGS) {
  describe(`search permissions (${catalog})`, () => {
    let t: TestDailies;
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      const c = t.dailies.catalog;
      const video = {
        kind: 'video' as const,
        format: 'MOV',
        videoCodec: 'prores',
        width: 1920,
        height: 1080,
      };
      await seedAsset(c, '/Open/Cam A', 'A001C001_open.mov', { ...video, uploadedBy: 'alice', duration: 30 });
      await seedAsset(c, '/Open/Cam A', 'A001C002_open.mov', { ...video, uploadedBy: 'alice', duration: 90 });
      await seedAsset(c, '/root-clip.mov', 'A001C009_root.mov', { ...video, uploadedBy: 'bob' });
      await seedAsset(c, '/', 'A001C010_top.mov', { ...video, uploadedBy: 'bob' });
      for (const path of ['/Open', '/Open/Cam A', '/root-clip.mov'])
        await t.dailies.folders.setGroups(SYSTEM_ACTOR, path, ['admin', 'editors']);
    });
    afterAll(async () => t?.close());

    const run = (actor: Actor, query: Record<string, unknown> = {}) =>
      t.dailies.search.search(actor, { q: 'a001', limit: 1000, ...query });
    const shape = (r: Awaited<ReturnType<typeof run>>) => ({
      items: r.items.map((i) => i.name).sort(),
      total: r.total,
      facets: r.facets,
    });

    it("a forbidden folder's assets change neither items, total nor any facet count", async () => {
      const before = shape(await run(editor));
      // Queries only the forbidden assets would match: each facet is counted with its own
      // filter left out, so the menus list the visible alternatives, and must not change.
      const forbiddenOnly = [
        { kind: 'audio' },
        { uploadedBy: 'mallory' },
        { resolution: 'UHD' },
        { q: 'secret' },
      ];
      const facetsBefore = await Promise.all(
        forbiddenOnly.map(async (query) => (await run(editor, query)).facets),
      );
      expect(before.items).toEqual([
        'A001C001_open.mov',
        'A001C002_open.mov',
        'A001C009_root.mov',
        'A001C010_top.mov',
      ]);
      const c = t.dailies.catalog;
      // Forbidden: a folder without the editors group, and a folder with it below one without.
      await ensureFolderChain(c, '/Secret/Inner', SYSTEM_ACTOR, T0);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin']);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret/Inner', ['admin', 'editors']);
      const odd = {
        kind: 'audio' as const,
        format: 'WAV',
        audioCodec: 'pcm_s32le',
        state: 'failed' as const,
        uploadedBy: 'mallory',
        duration: 7200,
        size: 50_000_000_000,
        width: 7680,
        height: 4320,
        frameRate: '60/1',
      };
      await seedAsset(c, '/Secret', 'A001C003_secret.wav', odd);
      await seedAsset(c, '/Secret/Inner', 'A001C004_inner.wav', odd);
      const after = shape(await run(editor));
      expect(after).toEqual(before);
      for (const [i, query] of forbiddenOnly.entries()) {
        const r = await run(editor, query);
        expect(r.total, JSON.stringify(query)).toBe(0);
        expect(r.items).toEqual([]);
        expect(r.facets, JSON.stringify(query)).toEqual(facetsBefore[i]);
        const counted = JSON.stringify(r.facets);
        for (const forbidden of ['mallory', 'WAV', 'pcm_s32le', 'failed', '60/1', '>1h', '>10GB'])
          expect(counted).not.toContain(forbidden);
      }
      // With the filter that only they match, the menus still list what the editor sees.
      const audio = await run(editor, { kind: 'audio' });
      expect(audio.facets?.kind).toEqual([{ value: 'video', count: 4 }]);
      // Paging sees exactly the visible rows.
      const paged: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await run(editor, { limit: 1, cursor, facets: false });
        expect(page.total).toBe(4);
        paged.push(...page.items.map((i) => i.name));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(paged.sort()).toEqual(before.items);
      // An admin sees them, so the test data would have shown up.
      const admin = shape(await run(SYSTEM_ACTOR));
      expect(admin.total).toBe(6);
      expect(admin.facets?.uploadedBy).toContainEqual({ value: 'mallory', count: 2 });
      // Asking for a hidden folder is a not-found, as for a missing one.
      await expect(run(editor, { folder: '/Secret/Inner' })).rejects.toMatchObject({ status: 404 });
    });

    it('follows folder groups and moves as they change', async () => {
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin', 'editors']);
      expect((await run(editor, { q: 'inner' })).total).toBe(1);
      await t.dailies.folders.setGroups(SYSTEM_ACTOR, '/Open', ['admin']);
      const r = await run(editor);
      expect(r.items.map((i) => i.name).sort()).toEqual([
        'A001C003_secret.wav',
        'A001C004_inner.wav',
        'A001C009_root.mov',
        'A001C010_top.mov',
      ]);
    });
  });
}
