import { createReadStream } from 'node:fs';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { Derivative } from '../../src/ports/catalog.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { untilSettled } from '../support/poll.js';
import { testS3Bucket } from '../support/services.js';

// Real: SQLite + fs stores, and PostgreSQL (pg-boss) + lake and derived store in Swift s3api
// buckets; ffmpeg. The stores never overwrite an object, so reprocessing an asset that has
// derivatives used to fail three times on the first one it wrote again.
const SETUPS = [
  { label: 'fs stores on SQLite', start: () => startDailies({ wiring: { jobBackoffMs: 50 } }) },
  {
    label: 'Swift s3api stores on PostgreSQL',
    start: async () => {
      const lake = await testS3Bucket();
      const derived = await testS3Bucket();
      const { bucket: _lake, ...s3 } = lake;
      return startDailies({
        catalog: 'postgres',
        config: { lake: `s3://${lake.bucket}/lake`, derived: `s3://${derived.bucket}`, s3 },
        wiring: { jobBackoffMs: 50 },
      });
    },
  },
];

describe.each(SETUPS)(
  'derivatives are replaced, never written over ($label)',
  { timeout: 240_000 },
  ({ start }) => {
    let t: TestDailies | null = null;
    afterEach(async () => {
      await t?.close();
      t = null;
    });

    async function settled(id: string) {
      await untilSettled(() => t!.dailies.catalog.assets.get(id));
      await t!.dailies.jobs.drain(60_000);
      return (await t!.dailies.catalog.assets.get(id))!;
    }

    /** What the derived store holds for the asset, and what the catalog says it has. */
    async function derivatives(id: string) {
      const stored: string[] = [];
      for await (const object of t!.dailies.derived.listAll(`${id}/`)) stored.push(object.key);
      const recorded = await t!.dailies.catalog.processing.derivatives([id]);
      return { stored: stored.sort(), recorded: recorded.map((d) => d.key).sort(), rows: recorded };
    }

    async function served(id: string, kind: string) {
      return (await t!.api('GET', `/api/assets/${id}/${kind}`)).status;
    }

    it('a retry of a ready asset, a changed original and a run that died after writing all end ready', async () => {
      t = await start();
      const asset = await t.dailies.imports.importStream(
        SYSTEM_ACTOR,
        '/Day 01',
        'A001.mp4',
        createReadStream(await mediaFixture('h264Mp4')),
      );
      expect((await settled(asset.id)).state).toBe('ready');
      const first = await derivatives(asset.id);
      expect(first.stored).toHaveLength(5);
      expect(first.stored).toEqual(first.recorded);

      // 1. Retry of a ready asset: new derivatives beside the old, then the old ones go.
      expect((await t.api('POST', `/api/assets/${asset.id}/retry`)).status).toBe(202);
      const retried = await settled(asset.id);
      expect(retried).toMatchObject({ state: 'ready', stateReason: null });
      const second = await derivatives(asset.id);
      expect(second.stored).toEqual(second.recorded);
      expect(second.stored).toHaveLength(5);
      expect(second.stored.filter((key) => first.stored.includes(key))).toEqual([]);
      for (const kind of ['thumbnail', 'proxy', 'filmstrip.jpg', 'filmstrip.vtt', 'waveform'])
        expect(await served(asset.id, kind)).toBe(200);

      // 2. The original changes in the lake (another tool writes it): reconcile reprocesses it.
      const replacement = await mediaFixture('blackMp4');
      if (t.dailies.lake.kind === 'fs') {
        await copyFile(replacement, join(t.dataDir, 'lake', 'Day 01', 'A001.mp4'));
      } else {
        await t.dailies.lake.delete('Day 01/A001.mp4');
        await t.dailies.lake.write('Day 01/A001.mp4', createReadStream(replacement));
      }
      expect((await t.dailies.indexing.reconcile()).changed).toBe(1);
      const changed = await settled(asset.id);
      expect(changed).toMatchObject({ state: 'ready', width: 160, height: 120 });
      const third = await derivatives(asset.id);
      // No sound any more: no waveform.
      expect(third.rows.map((d) => d.kind).sort()).toEqual([
        'filmstrip',
        'filmstrip.vtt',
        'proxy',
        'thumbnail',
      ]);
      expect(third.stored).toEqual(third.recorded);
      expect(await served(asset.id, 'waveform')).toBe(404);

      // 3. A run that died after writing its proxy, before the catalog named it (the catalog
      // write fails once here, exactly where a SIGKILL would have stopped it).
      const processing = t.dailies.catalog.processing;
      const put = processing.putDerivative.bind(processing);
      let orphaned: Derivative | null = null;
      processing.putDerivative = async (derivative) => {
        if (derivative.kind === 'proxy' && !orphaned) {
          orphaned = derivative;
          throw new Error('the worker died here');
        }
        return put(derivative);
      };
      try {
        expect((await t.api('POST', `/api/assets/${asset.id}/retry`)).status).toBe(202);
        expect(await settled(asset.id)).toMatchObject({ state: 'ready', stateReason: null });
      } finally {
        processing.putDerivative = put;
      }
      expect(orphaned).not.toBeNull();
      const fourth = await derivatives(asset.id);
      // The dead run's proxy is gone with the other replaced ones; only what is named is kept.
      expect(fourth.stored).toEqual(fourth.recorded);
      expect(fourth.stored).not.toContain(orphaned!.key);
      expect(fourth.stored).toHaveLength(4);
      expect(await served(asset.id, 'proxy')).toBe(200);
    });
  },
);
