import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { DAY, expectFacets, names, seedAsset, sorted, T0 } from './support.js';

// Real: the whole app (app.inject) on SQLite and on a fresh PostgreSQL database; the same
// queries and the same expected answers on both.
const C1 = 'A001C001_230415_R1AB.mov';
const C2 = 'A001C002_230415_R1AB.mov';
const B1 = 'B001C001_230415_R2CD.mxf';
const B2 = 'B001C002_230415_R2CD.mxf';
const T3 = 'Scene 12 Take 3.wav';
const T4 = 'Scene 12 Take 4.wav';
const UNI = 'ünïcödé_preview.mp4';
const POSTER = 'poster "final" - v2 NEAR.png';
const NOTES = 'notes.txt';
const ALL = [C1, C2, B1, B2, T3, T4, UNI, POSTER, NOTES];

async function seed(t: TestDailies) {
  const c = t.dailies.catalog;
  const video = { kind: 'video' as const, audioCodec: 'pcm_s24le', audioTracks: 2 };
  const c1 = await seedAsset(c, '/Day 01/Cam A', C1, {
    ...video,
    format: 'MOV',
    videoCodec: 'prores',
    width: 3840,
    height: 2160,
    frameRate: '24000/1001',
    duration: 120,
    size: 5_000_000_000,
    uploadedBy: 'alice',
    createdAt: T0 + 1 * DAY,
    updatedAt: T0 + 9 * DAY,
  });
  const c2 = await seedAsset(c, '/Day 01/Cam A', C2, {
    ...video,
    format: 'MOV',
    videoCodec: 'prores',
    width: 1920,
    height: 1080,
    frameRate: '24000/1001',
    duration: 45,
    size: 2_000_000_000,
    uploadedBy: 'alice',
    createdAt: T0 + 2 * DAY,
    updatedAt: T0 + 2 * DAY,
  });
  const b1 = await seedAsset(c, '/Day 01/Cam B', B1, {
    ...video,
    format: 'MXF',
    videoCodec: 'dnxhd',
    width: 1920,
    height: 1080,
    frameRate: '25/1',
    duration: 700,
    size: 12_000_000_000,
    uploadedBy: 'bob',
    createdAt: T0 + 3 * DAY,
    updatedAt: T0 + 3 * DAY,
  });
  await seedAsset(c, '/Day 01/Cam B', B2, {
    kind: 'video',
    format: 'MXF',
    width: 1280,
    height: 720,
    frameRate: '25/1',
    duration: 30,
    size: 800_000_000,
    state: 'processing',
    uploadedBy: 'bob',
    createdAt: T0 + 4 * DAY,
    updatedAt: T0 + 4 * DAY,
  });
  const wav = {
    kind: 'audio' as const,
    format: 'WAV',
    audioCodec: 'pcm_s24le',
    audioTracks: 1,
    uploadedBy: 'carol',
  };
  await seedAsset(c, '/Day 02/Sound', T3, {
    ...wav,
    duration: 95,
    size: 50_000_000,
    createdAt: T0 + 5 * DAY,
  });
  await seedAsset(c, '/Day 02/Sound', T4, {
    ...wav,
    duration: 5,
    size: 40_000_000,
    state: 'failed',
    stateReason: 'unreadable',
    createdAt: T0 + 6 * DAY,
  });
  await seedAsset(c, '/Ünïcödé Café', UNI, {
    kind: 'video',
    format: 'MP4',
    videoCodec: 'h264',
    audioCodec: 'aac',
    width: 640,
    height: 360,
    frameRate: '25/1',
    duration: 10,
    size: 20_000_000,
    uploadedBy: 'alice',
    createdAt: T0 + 7 * DAY,
  });
  await seedAsset(c, '/Ünïcödé Café', POSTER, {
    kind: 'image',
    format: 'PNG',
    width: 3000,
    height: 2000,
    size: 3_000_000,
    createdAt: T0 + 8 * DAY,
  });
  await seedAsset(c, '/', NOTES, { state: 'pending', size: 100, createdAt: T0 + 9 * DAY });
  // Verified copies on edit volumes; a copy an editor changed does not count.
  const copies: Array<[string, string, 'verified' | 'changed']> = [
    [c1.id, 'edit', 'verified'],
    [b1.id, 'edit', 'verified'],
    [b1.id, 'grade', 'verified'],
    [c2.id, 'edit', 'changed'],
  ];
  for (const [assetId, volumeId, state] of copies) {
    await t.dailies.connection.db
      .insertInto('assetLocations')
      .values({ assetId, volumeId, state, path: 'x', xxh64: '0', size: 1, mtime: 0, copiedAt: 0 })
      .execute();
  }
  // In the trash: never a search result.
  await seedAsset(c, '/Day 01/Cam A', 'A001C003_230415_R1AB.mov', {
    kind: 'video',
    trashedAt: T0,
    trashedFrom: '/Day 01/Cam A',
  });
}

for (const catalog of CATALOGS) {
  describe(`search contract (${catalog})`, () => {
    let t: TestDailies;
    beforeAll(async () => {
      t = await startDailies({ catalog, background: false });
      await seed(t);
    });
    afterAll(async () => t?.close());

    const search = async (query: string) => {
      const reply = await t.api('GET', `/api/search?${query}`);
      expect(reply.status, JSON.stringify(reply.body)).toBe(200);
      return reply.body;
    };
    const found = async (query: string) => sorted(names(await search(`${query}&limit=1000`)));

    it('an empty query returns every live asset, with its folder', async () => {
      const body = await search('');
      expect(sorted(names(body))).toEqual(sorted(ALL));
      expect(body.total).toBe(ALL.length);
      expect(body.items.find((i: any) => i.name === B1).folder).toBe('/Day 01/Cam B');
      expect(body.items.find((i: any) => i.name === B1).locations).toEqual(['lake', 'edit', 'grade']);
      expect(body.items.find((i: any) => i.name === C2).locations).toEqual(['lake']);
    });

    it.each([
      ['q=a001', [C1, C2]],
      ['q=A001C00', [C1, C2]],
      ['q=a001c001', [C1]],
      ['q=a001c0', [C1, C2]],
      ['q=previe', [UNI]],
      ['q=preview%20c', [UNI]],
      ['q=c001', []],
      ['q=unic', [UNI, POSTER]],
      ['q=UNICODE%20preview', [UNI]],
      ['q=caf%C3%A9', [UNI, POSTER]],
      ['q=cafe', [UNI, POSTER]],
      ['q=day%2001%20cam', [C1, C2, B1, B2]],
      ['q=scene%2012%20take', [T3, T4]],
      ['q=wav', [T3, T4]],
      ['q=%22final%22%20NEAR', [POSTER]],
      ['q=-v2%20%3A%20%22%20*', [POSTER]],
      ['q=NEAR%20OR%20final', []],
      ['q=xyz', []],
    ])('text %s', async (query, expected) => {
      expect(await found(query)).toEqual(sorted(expected));
    });

    it.each([
      ['kind=video', [C1, C2, B1, B2, UNI]],
      ['kind=audio,image', [T3, T4, POSTER]],
      ['format=MXF&videoCodec=dnxhd', [B1]],
      ['audioCodec=pcm_s24le&kind=audio', [T3, T4]],
      ['resolution=UHD', [C1]],
      ['resolution=HD', [C2, B1, B2, POSTER]],
      ['resolution=SD', [UNI]],
      ['resolution=1920x1080', [C2, B1]],
      ['resolution=sd,3840x2160', [UNI, C1]],
      ['frameRate=24000/1001', [C1, C2]],
      ['durationMin=60&durationMax=700', [C1, B1, T3]],
      ['sizeMin=1000000000', [C1, C2, B1]],
      ['sizeMax=20000000', [UNI, POSTER, NOTES]],
      ['state=failed,processing', [B2, T4]],
      ['uploadedBy=bob', [B1, B2]],
      ['location=lake', [C2, B2, T3, T4, UNI, POSTER, NOTES]],
      ['location=edit', [C1, B1]],
      ['location=grade', [B1]],
      ['location=grade,lake&kind=video', [B1, C2, B2, UNI]],
      ['location=nowhere', []],
      ['createdFrom=2026-11-03&createdTo=2026-11-05', [C2, B1, B2]],
      ['modifiedFrom=2026-11-10T00:00:00Z', [C1]],
      ['folder=/Day%2001', [C1, C2, B1, B2]],
      ['folder=/Day%2001/Cam%20B&q=r2cd', [B1, B2]],
      ['folder=/Day%2001/Cam%20B&q=r1ab', []],
      ['folder=/', ALL],
      ['q=a001&kind=video&resolution=HD', [C2]],
    ])('filter %s', async (query, expected) => {
      expect(await found(query)).toEqual(sorted(expected));
    });

    it('facet counts cover the current result', async () => {
      const body = await search('kind=video');
      expect(body.total).toBe(5);
      expectFacets(body, {
        // The kind facet leaves its own filter out: the other kinds stay in the menu.
        kind: ['video 5', 'audio 2', 'image 1'],
        format: ['MOV 2', 'MXF 2', 'MP4 1'],
        resolution: ['HD 3', 'SD 1', 'UHD 1'],
        videoCodec: ['prores 2', 'dnxhd 1', 'h264 1'],
        frameRate: ['25/1 3', '24000/1001 2'],
        state: ['ready 4', 'processing 1'],
        location: ['lake 3', 'edit 2', 'grade 1'],
        uploadedBy: ['alice 3', 'bob 2'],
        duration: ['<1m 3', '1-10m 1', '10-60m 1'],
        size: ['1-10GB 2', '100MB-1GB 1', '<100MB 1', '>10GB 1'],
      });
      const none = await search('q=nothing-like-this');
      expect(none.total).toBe(0);
      expect(Object.values(none.facets).every((list) => (list as unknown[]).length === 0)).toBe(true);
      expect((await search('facets=false')).facets).toBeNull();
    });

    it('each facet counts the result of every other filter, its own left out', async () => {
      const mov = await search('format=MOV&kind=video');
      expect(names(mov).sort()).toEqual(sorted([C1, C2]));
      expectFacets(mov, {
        // Choosing MOV leaves MXF and MP4 in the format menu, counted over kind=video.
        format: ['MOV 2', 'MXF 2', 'MP4 1'],
        kind: ['video 2'],
        // A facet with no filter of its own counts the result itself.
        uploadedBy: ['alice 2'],
        resolution: ['HD 1', 'UHD 1'],
        location: ['edit 1', 'lake 1'],
      });
      // A second value of the same filter widens the result.
      const both = await search('format=MOV,MXF&kind=video');
      expect(both.total).toBe(4);
      expectFacets(both, { format: ['MOV 2', 'MXF 2', 'MP4 1'], kind: ['video 4'] });

      const grade = await search('location=grade&kind=video');
      expect(names(grade)).toEqual([B1]);
      expectFacets(grade, { location: ['lake 3', 'edit 2', 'grade 1'], kind: ['video 1'] });

      const long = await search('durationMin=60&kind=video');
      expect(long.total).toBe(2);
      expectFacets(long, { duration: ['<1m 3', '1-10m 1', '10-60m 1'], kind: ['video 2', 'audio 1'] });
      // With text, the same over the matches.
      const text = await search('q=a001&format=MXF');
      expect(text.total).toBe(0);
      expectFacets(text, { format: ['MOV 2'] });
    });

    it.each([
      ['name', 'asc'],
      ['size', 'desc'],
      ['duration', 'asc'],
      ['duration', 'desc'],
      ['videoCodec', 'asc'],
      ['folder', 'desc'],
      ['created', 'desc'],
    ])('sorts by %s %s and pages with a cursor through every row once', async (sort, order) => {
      const full = await search(`sort=${sort}&order=${order}&limit=1000`);
      const values = full.items.map((i: any) => i);
      expect(values).toHaveLength(ALL.length);
      const key: Record<string, (i: any) => unknown> = {
        name: (i) => i.name.toLowerCase(),
        size: (i) => i.size,
        duration: (i) => i.duration,
        videoCodec: (i) => i.videoCodec,
        folder: (i) => i.folder,
        created: (i) => i.createdAt,
      };
      // Nulls first ascending, last descending; otherwise by value.
      for (let i = 1; i < values.length; i++) {
        const [a, b] = [key[sort](values[i - 1]), key[sort](values[i])];
        if (a === null || b === null) {
          expect(order === 'asc' ? a === null || b !== null : b === null || a !== null).toBe(true);
          continue;
        }
        expect(order === 'asc' ? (a as never) <= (b as never) : (a as never) >= (b as never)).toBe(true);
      }
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await search(
          `sort=${sort}&order=${order}&limit=2&facets=false${cursor ? `&cursor=${cursor}` : ''}`,
        );
        expect(page.total).toBe(ALL.length);
        paged.push(...names(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(names(full));
    });

    it.each([
      ['name', 'asc'],
      ['folder', 'desc'],
      ['duration', 'desc'],
    ])('pages a text search sorted by %s %s with a cursor, the total on every page', async (sort, order) => {
      // Text matches are counted in the page's own pass; the cursor must not shrink the total.
      const query = `q=day&sort=${sort}&order=${order}`;
      const full = await search(`${query}&limit=1000`);
      expect(sorted(names(full))).toEqual(sorted([C1, C2, B1, B2, T3, T4]));
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: any = await search(`${query}&limit=4&facets=false${cursor ? `&cursor=${cursor}` : ''}`);
        expect(page.total).toBe(6);
        paged.push(...names(page));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(names(full));
    });

    it("keeps a text search's filters in step with every change of an asset", async () => {
      // Text matches are filtered on the search rows' copy of the columns; it must follow updates.
      const c = t.dailies.catalog;
      const asset = await seedAsset(c, '/Copies', 'Tapir_0001.mov', { kind: 'video', state: 'pending' });
      expect(await found('q=tapir&state=pending&kind=video')).toEqual(['Tapir_0001.mov']);
      await c.assets.update(asset.id, { state: 'ready', videoCodec: 'prores', width: 3840, height: 2160 });
      expect(await found('q=tapir&state=pending')).toEqual([]);
      expect(await found('q=tapir&state=ready&videoCodec=prores&resolution=UHD')).toEqual(['Tapir_0001.mov']);
      expectFacets(await search('q=tapir'), { state: ['ready 1'] });
      await c.assets.update(asset.id, { trashedAt: T0, trashedFrom: '/Copies' });
      expect(await found('q=tapir')).toEqual([]);
      await c.assets.delete([asset.id]);
    });

    it('keeps the index in step with renames, moves and deletes', async () => {
      const c = t.dailies.catalog;
      const asset = await seedAsset(c, '/Moves/Here', 'Zebra_0001.mov', { kind: 'video' });
      expect(await found('q=zebra')).toEqual(['Zebra_0001.mov']);
      await c.assets.update(asset.id, { name: 'Okapi_0001.mov', sortName: 'okapi_0001.mov' });
      expect(await found('q=zebra')).toEqual([]);
      expect(await found('q=okapi')).toEqual(['Okapi_0001.mov']);
      const there = await c.folders.getByPath('/Moves/Here');
      const root = await c.folders.getByPath('/');
      await c.folders.movePaths('/Moves', '/Relocated', root!.id, T0);
      expect(await found('q=moves%20okapi')).toEqual([]);
      expect(await found('q=relocated%20here%20okapi')).toEqual(['Okapi_0001.mov']);
      const other = await seedAsset(c, '/Elsewhere', 'marker.txt');
      await c.assets.update(asset.id, { folderId: other.folderId });
      expect(await found('q=elsewhere%20okapi')).toEqual(['Okapi_0001.mov']);
      expect(there).not.toBeNull();
      await c.assets.delete([asset.id, other.id]);
      expect(await found('q=okapi')).toEqual([]);
      expect(await found('q=marker')).toEqual([]);
    });

    it('answers odd input with results or a clear 400, never a 500', async () => {
      const long = 'é'.repeat(1000);
      expect((await search(`q=${encodeURIComponent(long)}`)).total).toBe(0);
      const manyWords = Array.from({ length: 200 }, (_, i) => `w${i}`).join(' ');
      const tooMany = await t.api('GET', `/api/search?q=${encodeURIComponent(manyWords)}`);
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.message).toMatch(/at most 32/);
      const tooLong = await t.api('GET', `/api/search?q=${'a'.repeat(1001)}`);
      expect(tooLong.status).toBe(400);
      for (const q of [
        '"',
        '*',
        '-',
        ':',
        'NEAR',
        'OR',
        'NEAR(a b)',
        'a OR b',
        '"unterminated',
        '^a',
        '(',
        "'",
        '\\',
        '%',
        '_',
      ]) {
        const reply = await t.api('GET', `/api/search?q=${encodeURIComponent(q)}`);
        expect(reply.status, q).toBe(200);
      }
      expect((await search(`q=${encodeURIComponent('%_')}`)).total).toBe(ALL.length + 0);
      for (const query of [
        'resolution=huge',
        'createdFrom=yesterday',
        'durationMin=5&durationMax=1',
        'sort=nonsense',
        'cursor=not-a-cursor',
        'limit=0',
      ]) {
        const reply = await t.api('GET', `/api/search?${query}`);
        expect(reply.status, query).toBe(400);
        expect(reply.body.message, query).toBeTruthy();
      }
      expect((await t.api('GET', '/api/search?folder=/Nowhere')).status).toBe(404);
    });
  });
}
