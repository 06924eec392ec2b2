import { afterEach, describe, expect, it } from 'vitest';
import { TRASH_PREFIX } from '../../src/features/trash/trash.service.js';
import { CATALOGS, startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { testLakeConfig } from '../support/services.js';

// Real: SQLite and PostgreSQL, an fs lake and a Swift S3 bucket. Delete, restore, move and
// emptying the trash act on every frame of a sequence; a step cut short finishes on settling.
const LAKES = ['fs', 's3'] as const;
const cases = CATALOGS.flatMap((catalog) => LAKES.map((lake) => [catalog, lake] as const));
const FRAMES = ['plate.0001.exr', 'plate.0002.exr', 'plate.0003.exr'];

describe.each(cases)('image sequences: lake steps on %s with an %s lake', (catalog, lakeKind) => {
  let t: TestDailies;
  afterEach(async () => {
    await t?.close();
  });

  /** A server whose sequences never get quiet (nothing is processed) with three frames in /P. */
  async function start(): Promise<string> {
    const lakeConfig = await testLakeConfig(lakeKind);
    t = await startDailies({ catalog, config: { sequenceQuietSeconds: 3600, ...lakeConfig } });
    for (const name of FRAMES) await t.dailies.lake.write(`P/${name}`, Buffer.from(name));
    // After the start's own re-index, which may have seen only some frames.
    await t.dailies.indexing.reconcileAfresh();
    const rows = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/P')}`)).body.items;
    expect(rows.map((r: any) => r.name)).toEqual(['plate.[0001-0003].exr']);
    return rows[0].id;
  }
  const keys = async () => {
    const out: string[] = [];
    for await (const o of t.dailies.lake.listAll('')) out.push(o.key);
    return out.sort();
  };
  const inTrash = async (id: string) => {
    const out: string[] = [];
    for await (const o of t.dailies.lake.listAll(`${TRASH_PREFIX}${id}/`)) out.push(o.key);
    return out.sort();
  };

  it('delete, restore, move and empty act on every frame; a re-index keeps the sequence as it is', async () => {
    const id = await start();
    expect((await t.api('POST', '/api/assets/delete', { ids: [id] })).status).toBe(200);
    expect(await keys()).toEqual([]);
    expect(await inTrash(id)).toEqual(FRAMES.map((f) => `${TRASH_PREFIX}${id}/${f}`));
    await t.dailies.indexing.reconcile();
    // Still in the trash, not found again as new (an S3 folder with nothing in it is gone too).
    expect((await t.api('GET', `/api/assets/${id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/trash')).body.items.map((a: any) => a.id)).toEqual([id]);
    expect((await t.api('GET', '/api/search?q=plate')).body.items).toEqual([]);

    // The same frames rendered again meanwhile are a new sequence; the deleted one waits in the trash.
    expect((await t.api('POST', '/api/assets/restore', { ids: [id] })).status).toBe(200);
    expect(await keys()).toEqual(FRAMES.map((f) => `P/${f}`));
    expect((await t.api('GET', `/api/assets/${id}/sequence`)).body.frameCount).toBe(3);
    await t.dailies.indexing.reconcile();
    expect(
      (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/P')}`)).body.items.map((r: any) => r.id),
    ).toEqual([id]);

    // A rename would rename every frame: refused, saying why.
    const rename = await t.api('PATCH', `/api/assets/${id}`, { name: 'other.[0001-0003].exr' });
    expect(rename.status).toBe(422);
    expect(rename.body.message).toMatch(/image sequence/);

    await t.api('POST', '/api/folders', { path: '/Q' });
    const move = await t.api('POST', '/api/assets/move', { ids: [id], folder: '/Q' });
    expect((await waitForJob(t, move.body.jobId)).state).toBe('done');
    expect(await keys()).toEqual(FRAMES.map((f) => `Q/${f}`));
    await t.dailies.indexing.reconcile();
    expect((await t.api('GET', `/api/assets/${id}`)).body.folder).toBe('/Q');
    // A frame arriving in the new folder joins the moved sequence.
    const fourth = await t.dailies.lake.write('Q/plate.0004.exr', Buffer.from('4'));
    expect((await t.dailies.indexing.indexObject(fourth)).id).toBe(id);
    expect((await t.api('GET', `/api/assets/${id}`)).body.name).toBe('plate.[0001-0004].exr');

    // A folder already holding one of the frames (a file of its own there) is refused before any frame moves.
    await t.api('POST', '/api/folders', { path: '/R' });
    await t.dailies.lake.write('R/plate.0002.exr', Buffer.from('someone else'));
    const blocked = await t.api('POST', '/api/assets/move', { ids: [id], folder: '/R' });
    expect((await waitForJob(t, blocked.body.jobId)).state).toBe('failed');
    expect((await keys()).filter((k) => k.startsWith('Q/'))).toHaveLength(4);
    expect((await keys()).filter((k) => k.startsWith('R/'))).toEqual(['R/plate.0002.exr']);
    expect(await t.dailies.catalog.intents.all()).toEqual([]);

    await t.api('POST', '/api/assets/delete', { ids: [id] });
    expect((await t.api('DELETE', '/api/trash')).body.purged).toBe(1);
    expect(await inTrash(id)).toEqual([]);
    expect(await keys()).toEqual(['R/plate.0002.exr']);
  });

  it('a delete cut short after some frames moved is finished when settled, never left half and half', async () => {
    const id = await start();
    const intent = await t.dailies.intents.begin('trash', {
      assetId: id,
      fromKey: 'P/plate.[0001-0003].exr',
      toKey: `${TRASH_PREFIX}${id}/plate.[0001-0003].exr`,
      detail: { folderPath: '/P', name: 'plate.[0001-0003].exr', frames: FRAMES },
    });
    // The watcher and reconcile leave the frames to the step.
    const busy = await t.dailies.intents.cover();
    expect(FRAMES.every((f) => busy(`P/${f}`))).toBe(true);
    expect(busy('P/other.0001.exr')).toBe(false);
    await t.dailies.lake.move(`P/${FRAMES[0]}`, `${TRASH_PREFIX}${id}/${FRAMES[0]}`);
    await t.dailies.intents.settle(intent);
    expect(await keys()).toEqual([]);
    expect(await inTrash(id)).toHaveLength(3);
    expect((await t.api('GET', `/api/assets/${id}`)).status).toBe(404);
    expect((await t.api('GET', '/api/trash')).body.items.map((a: any) => a.id)).toEqual([id]);
  });
});
