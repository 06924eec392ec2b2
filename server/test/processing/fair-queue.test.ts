import { createReadStream } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { until } from '../support/poll.js';
import { shootFixture } from '../support/shoot-fixtures.js';

// Real: each catalog and its queue, ffmpeg on two 12000×12000 PNGs (heavy: 144 megapixels)
// and a small JPEG. Two workers per derivative job, one kept for light jobs.
for (const catalog of CATALOGS) {
  describe(`a slow asset never blocks the others, on ${catalog}`, { timeout: 300_000 }, () => {
    const started: TestDailies[] = [];
    afterEach(async () => {
      for (const t of started.splice(0)) await t.close();
    });

    it('a small still is ready while two huge ones still hold the other workers', async () => {
      const t = await startDailies({
        catalog,
        config: { jobConcurrency: { 'asset.thumbnail': 2, 'asset.proxy': 2 } },
      });
      started.push(t);
      const huge = await shootFixture('hugePng');
      const heavy: Array<{ id: string }> = [];
      for (const name of ['plate-1.png', 'plate-2.png'])
        heavy.push(
          await t.dailies.imports.importStream(SYSTEM_ACTOR, '/Plates', name, createReadStream(huge)),
        );
      // Both huge stills are at their derivatives (probed, so known to be heavy).
      await until(
        async () => {
          const states = await Promise.all(
            heavy.map(async (a) => (await t.api('GET', `/api/assets/${a.id}`)).body),
          );
          return states.every((a) => a.state === 'processing' && a.kind === 'image') || null;
        },
        { timeout: 120_000, interval: 100, what: 'the huge stills to reach their derivatives' },
      );
      const small = await t.dailies.imports.importStream(
        SYSTEM_ACTOR,
        '/Plates',
        'reference.jpg',
        createReadStream(await mediaFixture('jpeg')),
      );
      const ready = await until(
        async () => {
          const asset = (await t.api('GET', `/api/assets/${small.id}`)).body;
          return asset.state === 'ready' ? asset : null;
        },
        { timeout: 120_000, interval: 100, what: 'the small still to be ready' },
      );
      expect(ready.derivatives.proxy).not.toBeNull();
      const still = await Promise.all(
        heavy.map(async (a) => (await t.api('GET', `/api/assets/${a.id}`)).body.state),
      );
      expect(still.filter((s) => s === 'processing').length).toBeGreaterThanOrEqual(1);
      await t.dailies.jobs.drain(240_000);
      for (const a of heavy) expect((await t.api('GET', `/api/assets/${a.id}`)).body.state).toBe('ready');
    });
  });
}
