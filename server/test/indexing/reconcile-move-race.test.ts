import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredObject } from '../../src/ports/object-store.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';

// Real: fs lake, SQLite and PostgreSQL. The lake listing is made to miss a folder while a folder
// move runs start to end inside the pass (its intent begun and removed between the pass's two
// looks at the steps under way), as a walk of a busy lake can: it reads the old place after the
// move and the new one before it. Found by the crash campaign (assets re-indexed under new ids).
describe.each(CATALOGS)('a re-index racing a folder move on %s', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog, background: false });
  });
  afterEach(() => t.close());

  it('keeps the moved assets and their ids', async () => {
    const clip = await importFile(t, '/Day 01/Cam A', 'clip.mov', 'footage');
    await importFile(t, '/Other', 'other.mov', 'elsewhere');
    await t.api('POST', '/api/folders', { path: '/Archive' });
    const lake = t.dailies.lake;
    const listAll = lake.listAll.bind(lake);
    let raced = false;
    lake.listAll = async function* (prefix: string): AsyncIterable<StoredObject> {
      const seen: StoredObject[] = [];
      for await (const object of listAll(prefix)) if (!object.key.startsWith('Day 01/')) seen.push(object);
      if (!raced) {
        raced = true;
        await t.dailies.folders.runMove(
          { data: { actorId: 'system', fromPath: '/Day 01', toPath: '/Archive/Day 01' } } as never,
          { progress: async () => {}, attempt: 1, signal: new AbortController().signal } as never,
        );
      }
      yield* seen;
    };
    await t.dailies.indexing.reconcile();
    lake.listAll = listAll;
    await t.dailies.indexing.reconcile();

    const { body } = await t.api('GET', `/api/assets/${clip.id}`);
    expect(raced).toBe(true);
    expect(body.folder).toBe('/Archive/Day 01/Cam A');
    const listed = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Archive/Day 01/Cam A')}`);
    expect(listed.body.items.map((a: { id: string }) => a.id)).toEqual([clip.id]);
  });
});
