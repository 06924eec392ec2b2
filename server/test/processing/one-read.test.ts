import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importSettled } from '../support/builders.js';
import { countingLake } from '../support/counting-lake.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { testLakeConfig } from '../support/services.js';

// Real: the Swift S3 endpoint as the lake, both catalogs, the tools. The lake is wrapped so
// every byte read from it is counted.
describe.each(CATALOGS)('one read of each original from an S3 lake (%s)', (catalog) => {
  let t: TestDailies | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  async function start(budgetMb?: number) {
    t = await startDailies({
      catalog,
      config: {
        ...(await testLakeConfig('s3')),
        ...(budgetMb !== undefined ? { workDirBudgetMb: budgetMb } : {}),
      },
    });
    const counts = new Map<string, number>();
    t.dailies.lake.swap(countingLake(t.dailies.lake.current, counts));
    return { t, counts };
  }

  it('probe, proxy (with thumbnail and filmstrip) and waveform read the original once: 1× its size', async () => {
    const { t, counts } = await start();
    const fixture = await mediaFixture('proresMov');
    const size = (await stat(fixture)).size;
    const asset = await importSettled(t, '/Day 01', 'A001.mov', fixture, 60_000);
    expect(asset.state).toBe('ready');
    const made = await t.dailies.catalog.processing.derivatives([asset.id]);
    expect(made.map((d) => d.kind).sort()).toEqual([
      'filmstrip',
      'filmstrip.vtt',
      'proxy',
      'thumbnail',
      'waveform',
    ]);
    expect(counts.get('lake/Day 01/A001.mov') ?? counts.get('Day 01/A001.mov')).toBe(size);
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(size);
    // The shared copy went when the asset was ready: nothing is left in the work directory.
    expect(await readdir(join(t.dataDir, 'work')).catch(() => [])).toEqual([]);
  });

  it('with no budget for shared copies each job downloads its own, and still leaves nothing behind', async () => {
    const { t, counts } = await start(0);
    const fixture = await mediaFixture('proresMov');
    const size = (await stat(fixture)).size;
    const asset = await importSettled(t, '/Day 01', 'A002.mov', fixture, 60_000);
    expect(asset.state).toBe('ready');
    // Probe, proxy and waveform: three reads.
    expect([...counts.values()].reduce((a, b) => a + b, 0)).toBe(3 * size);
    expect(await readdir(join(t.dataDir, 'work')).catch(() => [])).toEqual([]);
  });
});
