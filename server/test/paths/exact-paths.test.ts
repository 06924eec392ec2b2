import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies, waitForJob } from '../support/harness.js';

// Issue 12.1. Real: the whole app (app.inject), an fs lake, SQLite and PostgreSQL. The case
// twins come from another tool writing the lake (Dailies itself refuses to make them).
describe.each(CATALOGS)('folder operations touch exactly the chosen folder (%s)', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
  });
  afterEach(() => t.close());
  const lake = (...parts: string[]) => join(t.dataDir, 'lake', ...parts);

  async function twinBeside(existing: string, twin: string) {
    const clip = await importFile(t, `/${existing}/CamA`, 'clip.bin', 'footage');
    await mkdir(lake(twin));
    await t.dailies.indexing.reconcileAfresh();
    expect((await t.api('GET', `/api/folders?path=/${twin}`)).status).toBe(200);
    return clip;
  }

  it('deleting an empty /day_02 leaves /Day_02/CamA/clip.bin alone', async () => {
    const clip = await twinBeside('Day_02', 'day_02');
    const deleted = await t.api('DELETE', '/api/folders?path=/day_02');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ trashed: 0 });
    expect((await t.api('GET', `/api/assets/${clip.id}`)).body.folder).toBe('/Day_02/CamA');
    expect((await t.api('GET', '/api/trash')).body.items ?? []).toEqual([]);
  });

  it('renaming an empty day_01 leaves Day_01/CamA where it is, in the catalog and the lake', async () => {
    const clip = await twinBeside('Day_01', 'day_01');
    const moved = await t.api('PATCH', '/api/folders', { path: '/day_01', newPath: '/Night_01' });
    expect(moved.status).toBe(202);
    expect((await waitForJob(t, moved.body.jobId)).state).toBe('done');
    const camA = await t.api('GET', '/api/folders?path=/Day_01/CamA');
    expect(camA.status).toBe(200);
    expect((await t.api('GET', `/api/assets/${clip.id}`)).body.folder).toBe('/Day_01/CamA');
    expect((await t.api('GET', '/api/folders?path=/Night_01')).body.children).toEqual([]);
  });

  it('a search within /day_02, /A_ or /A% finds nothing of /Day_02, /AB or /A%B', async () => {
    await twinBeside('Day_02', 'day_02');
    await importFile(t, '/AB', 'ab.bin', 'x');
    await importFile(t, '/A%B', 'pct.bin', 'x');
    await mkdir(lake('A_'));
    await writeFile(lake('A_', 'under.bin'), 'x');
    await t.dailies.indexing.reconcileAfresh();
    const found = async (folder: string) =>
      (await t.api('GET', `/api/search?folder=${encodeURIComponent(folder)}`)).body.items.map(
        (i: any) => i.name,
      );
    expect(await found('/day_02')).toEqual([]);
    expect(await found('/Day_02')).toEqual(['clip.bin']);
    expect(await found('/A_')).toEqual(['under.bin']);
    expect(await found('/A%B')).toEqual(['pct.bin']);
  });
});
