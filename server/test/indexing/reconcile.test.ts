import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { until } from '../support/poll.js';

// Real: an fs lake changed behind Dailies' back with plain file operations, SQLite and PostgreSQL.
describe.each(CATALOGS)('reconcile on %s', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog, background: false });
  });
  afterEach(() => t.close());
  const lake = (key = '') => join(t.dataDir, 'lake', key);

  it('indexes objects that appeared, refreshes changed ones, drops vanished ones, and keeps ids of moved ones', async () => {
    const stays = await importFile(t, '/Day 01', 'stays.mov', 'same');
    const changes = await importFile(t, '/Day 01', 'changes.mov', 'v1');
    const vanishes = await importFile(t, '/Day 01', 'vanishes.mov', 'bye');
    const moves = await importFile(t, '/Day 01', 'moves.mov', 'travelling');

    await mkdir(lake('Day 02/Cam B'), { recursive: true });
    await writeFile(lake('Day 02/Cam B/new.mov'), 'fresh');
    await writeFile(lake('Day 01/changes.mov'), 'version two');
    await rm(lake('Day 01/vanishes.mov'));
    await rename(lake('Day 01/moves.mov'), lake('Day 02/moves.mov'));
    await mkdir(lake('Empty/Inside'), { recursive: true });

    const report = await t.dailies.indexing.reconcile();
    expect(report).toMatchObject({ added: 1, changed: 1, removed: 1, moved: 1 });
    expect(report.foldersAdded).toBeGreaterThanOrEqual(4);

    expect((await t.api('GET', `/api/assets/${stays.id}`)).body.state).toBe('pending');
    const changed = (await t.api('GET', `/api/assets/${changes.id}`)).body;
    expect(changed.size).toBe('version two'.length);
    expect(changed.checksums.md5).toBeNull();
    expect((await t.api('GET', `/api/assets/${vanishes.id}`)).status).toBe(404);
    expect((await t.api('GET', `/api/assets/${moves.id}`)).body.folder).toBe('/Day 02');
    const camB = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 02/Cam B')}`);
    expect(camB.body.items.map((a: any) => a.name)).toEqual(['new.mov']);
    expect((await t.api('GET', '/api/folders?path=/Empty/Inside')).status).toBe(200);
    // New folders found in the lake take their parent's groups.
    expect((await t.api('GET', '/api/folders?path=/Day 02')).body.folder.groups).toEqual([
      'admin',
      'editors',
    ]);

    // A second pass finds nothing to do.
    expect(await t.dailies.indexing.reconcile()).toMatchObject({
      added: 0,
      changed: 0,
      removed: 0,
      moved: 0,
      foldersAdded: 0,
      foldersRemoved: 0,
    });

    await rm(lake('Empty'), { recursive: true });
    expect((await t.dailies.indexing.reconcile()).foldersRemoved).toBe(2);
    expect((await t.api('GET', '/api/folders?path=/Empty')).status).toBe(404);
  });

  it('never lists Dailies own prefixes (trash, staging) as assets', async () => {
    const a = await importFile(t, '/', 'gone.mov', 'x');
    await t.api('POST', '/api/assets/delete', { ids: [a.id] });
    await mkdir(lake('.dailies-staging'), { recursive: true });
    await writeFile(lake('.dailies-staging/partial'), 'half');
    const report = await t.dailies.indexing.reconcile();
    expect(report).toMatchObject({ added: 0, removed: 0 });
    expect((await t.api('GET', '/api/trash')).body.items).toHaveLength(1);
  });

  it('is started on demand through the API', async () => {
    await writeFile(lake('dropped.wav'), 'riff');
    const response = await t.api('POST', '/api/reconcile');
    expect(response.status).toBe(200);
    expect(response.body.added).toBe(1);
  });
});

describe('fs lake watcher', () => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ config: { watchLake: true } });
    // chokidar starts watching a moment later: write markers (a new file each time, as the
    // watcher reports a file once it has stopped changing) until it has indexed one.
    let markers = 0;
    await until(
      async () => {
        await writeFile(join(t.dataDir, 'lake', `watching-${++markers}.txt`), 'marker');
        const { body } = await t.api('GET', '/api/assets?folder=/');
        return body.items?.some((a: { name: string }) => a.name.startsWith('watching-'));
      },
      { timeout: 20_000, interval: 500, what: 'the watcher to start' },
    );
  });
  afterEach(() => t.close());

  it('indexes a file copied in by another tool within seconds, and forgets it when removed', async () => {
    const lake = join(t.dataDir, 'lake');
    await mkdir(join(lake, 'Card 07'), { recursive: true });
    await writeFile(join(lake, 'Card 07', 'B007C001.mxf'), Buffer.alloc(4096, 1));
    const found = await eventually(async () => {
      const { body } = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Card 07')}`);
      return body.items?.[0];
    });
    expect(found).toMatchObject({ name: 'B007C001.mxf', size: 4096 });
    await rm(join(lake, 'Card 07', 'B007C001.mxf'));
    const gone = await eventually(async () =>
      (await t.api('GET', `/api/assets/${found.id}`)).status === 404 ? true : undefined,
    );
    expect(gone).toBe(true);
  });
});

function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  return until(probe, { timeout: timeoutMs, interval: 100, what: 'the watcher' }) as Promise<T>;
}
