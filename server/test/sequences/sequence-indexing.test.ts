import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { testLakeConfig } from '../support/services.js';

// Real: SQLite and PostgreSQL, an fs lake and a bucket on the Swift S3 endpoint (where keys are
// plain names: no directories, no links). No workers: what indexing queues is counted instead.
const LAKES = ['fs', 's3'] as const;
const cases = CATALOGS.flatMap((catalog) => LAKES.map((lake) => [catalog, lake] as const));

describe.each(cases)('image sequences: indexing on %s with an %s lake', (catalog, lakeKind) => {
  let t: TestDailies;
  afterEach(async () => {
    await t?.close();
  });

  async function start() {
    const lakeConfig = await testLakeConfig(lakeKind);
    t = await startDailies({
      catalog,
      background: false,
      config: { sequenceQuietSeconds: 0, ...lakeConfig },
    });
    return vi.spyOn(t.dailies.processing, 'assetsIngested');
  }
  const put = (key: string, body = key) => t.dailies.lake.write(key, Buffer.from(body));
  const list = async (folder: string) =>
    (await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}&limit=1000`)).body.items as any[];
  /** What the settler queues now (the quiet time is 0 here), by asset id. */
  async function settle(ingested: ReturnType<typeof vi.spyOn>) {
    ingested.mockClear();
    await new Promise((r) => setTimeout(r, 5));
    await t.dailies.sequenceSettler.settleQuiet();
    return ingested.mock.calls.flatMap((call: any[]) => call[0].map((a: any) => a.id));
  }

  it('frames arriving over several passes become one asset, kept by id, queued once when quiet', async () => {
    const ingested = await start();
    await put('Plates/shot.0001.png');
    await t.dailies.indexing.reconcile();
    let rows = await list('/Plates');
    // A lone frame is a still, under its own name.
    expect(rows.map((r) => r.name)).toEqual(['shot.0001.png']);
    const id = rows[0].id;
    expect((await t.api('GET', `/api/assets/${id}/sequence`)).status).toBe(404);

    await put('Plates/shot.0002.png');
    await put('Plates/shot.0004.png');
    await put('Plates/notes.txt');
    await t.dailies.indexing.reconcile();
    rows = await list('/Plates');
    expect(rows.map((r) => r.name).sort()).toEqual(['notes.txt', 'shot.[0001-0004].png']);
    expect(rows.find((r) => r.name.startsWith('shot')).id).toBe(id);
    expect((await t.api('GET', `/api/assets/${id}/sequence`)).body).toMatchObject({
      first: 1,
      last: 4,
      frameCount: 3,
      missing: [[3, 3]],
    });

    // The way the watcher, an upload or an import hands over one key.
    const third = await put('Plates/shot.0003.png');
    const indexed = await t.dailies.indexing.indexObject(third);
    expect(indexed.id).toBe(id);
    expect((await t.api('GET', `/api/assets/${id}`)).body).toMatchObject({
      name: 'shot.[0001-0004].png',
      size: ['0001', '0002', '0003', '0004'].reduce((s, n) => s + `Plates/shot.${n}.png`.length, 0),
    });
    expect((await t.api('GET', `/api/assets/${id}/sequence`)).body.missing).toEqual([]);

    // Indexing queued the sequence's processing not once: the settler does, once.
    const byIndexing = ingested.mock.calls.flatMap((call: any[]) => call[0].map((a: any) => a.id));
    expect(byIndexing).not.toContain(id);
    expect(await settle(ingested)).toEqual([id]);
    expect(await settle(ingested)).toEqual([]);
    // A pass that finds the same frames changes nothing and queues nothing.
    await t.dailies.indexing.reconcile();
    expect(await settle(ingested)).toEqual([]);

    // Search and the table show one row.
    const found = (await t.api('GET', '/api/search?q=shot')).body;
    expect(found.items.map((r: any) => r.name)).toEqual(['shot.[0001-0004].png']);

    // Frames leave: the range shrinks, one frame is a still again, none is nothing.
    await t.dailies.lake.delete('Plates/shot.0004.png');
    await t.dailies.lake.delete('Plates/shot.0003.png');
    await t.dailies.indexing.reconcile();
    expect((await list('/Plates')).map((r) => r.name).sort()).toEqual(['notes.txt', 'shot.[0001-0002].png']);
    expect(await settle(ingested)).toEqual([id]);
    await t.dailies.lake.delete('Plates/shot.0002.png');
    await t.dailies.indexing.forgetKey('Plates/shot.0002.png');
    expect((await list('/Plates')).map((r) => r.name).sort()).toEqual(['notes.txt', 'shot.0001.png']);
    await t.dailies.lake.delete('Plates/shot.0001.png');
    await t.dailies.indexing.reconcile();
    expect((await list('/Plates')).map((r) => r.name)).toEqual(['notes.txt']);
    expect((await t.api('GET', `/api/assets/${id}`)).status).toBe(404);
  });

  it('frames handed over at once, by two servers on one catalog where it can, end as one sequence of all of them', async () => {
    await start();
    // A second server on the same catalog and lake (PostgreSQL); on SQLite one process owns the
    // catalog, so its parallel requests race instead.
    const other =
      catalog === 'postgres'
        ? await startDailies({
            background: false,
            config: { databaseUrl: t.config.databaseUrl, lake: t.config.lake, s3: t.config.s3 },
          })
        : null;
    try {
      const names = Array.from({ length: 40 }, (_, i) => `Race/r.${String(i + 1).padStart(4, '0')}.exr`);
      const objects = await Promise.all(names.map((key) => put(key)));
      const servers = other ? [t, other] : [t];
      const ids = await Promise.all(
        objects.map((o, i) => servers[i % servers.length].dailies.indexing.indexObject(o).then((a) => a.id)),
      );
      const rows = await list('/Race');
      expect(rows.map((r) => r.name)).toEqual(['r.[0001-0040].exr']);
      expect(new Set(ids)).toEqual(new Set([rows[0].id]));
      const sequence = (await t.api('GET', `/api/assets/${rows[0].id}/sequence`)).body;
      expect(sequence).toMatchObject({ frameCount: 40, missing: [] });
      expect(rows[0].size).toBe(names.reduce((sum, n) => sum + n.length, 0));
    } finally {
      await other?.close();
    }
  });

  it('hostile names stay names: patterns, globs and brackets group as text, a real file holding the range name keeps it', async () => {
    const ingested = await start();
    for (const prefix of ['a%d', 'a%04d', 'b*', 'c[1-3]', 'É', 'E\u0301'])
      for (const n of ['0001', '0002']) await put(`H/${prefix}.${n}.png`);
    // A file really named like the sequence would be.
    await put('H/c[1-3].[0001-0002].png', 'a real file');
    // Cameras' stills are separate pictures.
    await put('H/IMG_0001.JPG');
    await put('H/IMG_0002.JPG');
    await t.dailies.indexing.reconcile();
    expect((await list('/H')).map((r) => r.name).sort()).toEqual(
      [
        'a%d.[0001-0002].png',
        'a%04d.[0001-0002].png',
        'b*.[0001-0002].png',
        'c[1-3].[0001-0002].png',
        'c[1-3].[0001-0002] (sequence).png',
        'É.[0001-0002].png',
        'E\u0301.[0001-0002].png',
        'IMG_0001.JPG',
        'IMG_0002.JPG',
      ].sort(),
    );
    const real = (await list('/H')).find((r) => r.name === 'c[1-3].[0001-0002].png');
    expect(real.size).toBe('a real file'.length);
    expect(new Set(await settle(ingested)).size).toBe(6);
  });
});

// Only a directory lake holds links.
describe.each(CATALOGS)('image sequences: a link among the frames, on %s', (catalog) => {
  let t: TestDailies;
  afterEach(async () => {
    await t?.close();
  });
  const put = (key: string, body = key) => t.dailies.lake.write(key, Buffer.from(body));
  const list = async (folder: string) =>
    (await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}&limit=1000`)).body.items as any[];

  it('a frame that is a link is no frame: it stays a failed asset of its own', async () => {
    t = await startDailies({ catalog, background: false });
    await put('L/plate.0001.png');
    await put('L/plate.0002.png');
    await writeFile(join(t.dataDir, 'outside.png'), 'secret');
    await symlink(join(t.dataDir, 'outside.png'), join(t.dataDir, 'lake', 'L', 'plate.0003.png'));
    await t.dailies.indexing.reconcile();
    const rows = await list('/L');
    expect(rows.map((r) => [r.name, r.state]).sort()).toEqual([
      ['plate.0003.png', 'failed'],
      ['plate.[0001-0002].png', 'pending'],
    ]);
    const sequence = rows.find((r) => r.name === 'plate.[0001-0002].png');
    expect(
      (await t.api('GET', `/api/assets/${sequence.id}/sequence`)).body.frames.map((f: any) => f.name),
    ).toEqual(['plate.0001.png', 'plate.0002.png']);
  });
});
