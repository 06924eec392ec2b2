import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { JobRecord } from '../../src/ports/job-queue.js';
import { importFromDisk } from '../support/builders.js';
import { CATALOGS, dailiesPerTest, settledAsset, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { shootFixture } from '../support/shoot-fixtures.js';

// Real: each catalog, the fs lake, the queue with workers in this process, ffprobe, mediainfo
// and ffmpeg on files ffmpeg made. Issue 14: rotation, content against name, failing once.
for (const catalog of CATALOGS) {
  describe(`shoot media on ${catalog}`, { timeout: 180_000 }, () => {
    const start = dailiesPerTest();

    /** A server whose probe jobs' outcomes are recorded as the queue reports them. */
    async function dailies() {
      const t = await start({ catalog, wiring: { jobBackoffMs: 50 } });
      const probes: JobRecord[] = [];
      t.dailies.jobs.onChange((job) => {
        if (job.name === 'asset.probe' && job.state !== 'running') probes.push({ ...job });
      });
      return { t, probes };
    }

    const settled = (t: TestDailies, id: string) => settledAsset(t, id, 150_000);

    it('lists, searches and facets a portrait phone clip as 1080×1920 9:16', async () => {
      const { t } = await dailies();
      const imported = await importFromDisk(t, '/Phone', 'IMG_0042.MOV', shootFixture('phoneRotatedMov'));
      const asset = await settled(t, imported.id);
      expect(asset).toMatchObject({ state: 'ready', kind: 'video', width: 1080, height: 1920 });
      const metadata = (await t.api('GET', `/api/assets/${imported.id}/metadata`)).body;
      expect(metadata.record.video[0]).toMatchObject({
        width: 1920,
        height: 1080,
        rotation: 90,
        sampleAspectRatio: '1:1',
        displayWidth: 1080,
        displayHeight: 1920,
        displayAspectRatio: '9:16',
      });
      const exact = await t.api('GET', '/api/search?q=img_0042&resolution=1080x1920');
      expect(exact.status).toBe(200);
      expect(exact.body.items.map((i: { id: string }) => i.id)).toEqual([imported.id]);
      expect(exact.body.items[0]).toMatchObject({ width: 1080, height: 1920 });
      const landscape = await t.api('GET', '/api/search?q=img_0042&resolution=1920x1080');
      expect(landscape.body.total).toBe(0);
      const facets = await t.api('GET', '/api/search?q=img_0042');
      expect(facets.body.facets.resolution).toEqual([{ value: 'HD', count: 1 }]);
      const listed = await t.api('GET', '/api/assets?folder=%2FPhone');
      expect(listed.body.items[0]).toMatchObject({ width: 1080, height: 1920 });
    });

    it('makes a JPEG named .mxf ready as an image, with a warning in the asset, the list and search', async () => {
      const { t } = await dailies();
      const imported = await importFromDisk(t, '/Wrong names', 'A001C003.mxf', mediaFixture('jpeg'));
      const asset = await settled(t, imported.id);
      expect(asset).toMatchObject({ state: 'ready', kind: 'image', format: 'MXF', stateReason: null });
      expect(asset.warning).toMatch(/content is JPEG, not what the name's "\.mxf" says \(MXF\)/);
      expect(asset.derivatives.proxy).not.toBeNull();
      const search = await t.api('GET', '/api/search?q=a001c003');
      expect(search.body.items[0].warning).toBe(asset.warning);
      const listed = await t.api('GET', '/api/assets?folder=%2FWrong%20names');
      expect(listed.body.items[0].warning).toBe(asset.warning);

      // Named rightly, the warning goes; a name that says JPEG in another spelling is right too.
      const renamed = await t.api('PATCH', `/api/assets/${imported.id}`, { name: 'A001C003.JPEG' });
      expect(renamed.status).toBe(200);
      expect(renamed.body.warning).toBeUndefined();
      // A real MXF is not warned about, nor a name without an extension.
      const mxf = await importFromDisk(t, '/Wrong names', 'real.mxf', mediaFixture('dnxhdMxf'));
      expect((await settled(t, mxf.id)).warning).toBeUndefined();
      const bare = await importFromDisk(t, '/Wrong names', 'README', mediaFixture('jpeg'));
      expect(await settled(t, bare.id)).toMatchObject({ kind: 'image', state: 'ready' });
      expect((await settled(t, bare.id)).warning).toBeUndefined();
    });

    it('fails a corrupt MXF once, without retries, and its /metadata keeps what the tools said', async () => {
      const { t, probes } = await dailies();
      const good = await readFile(await mediaFixture('dnxhdMxf'));
      const corrupt = Buffer.concat([good.subarray(0, 3000), randomBytes(100_000)]);
      const imported = await t.dailies.imports.importStream(
        SYSTEM_ACTOR,
        '/Bad',
        'B001C001.mxf',
        Readable.from([corrupt]),
      );
      const asset = await settled(t, imported.id);
      expect(asset.state).toBe('failed');
      expect(asset.stateReason).toMatch(/^Probe: The file looks like MXF/);
      expect(asset.stateReason).not.toMatch(/trying again|attempt/);
      const own = probes.filter((job) => (job.data as { assetId: string }).assetId === imported.id);
      expect(own.map((job) => [job.state, job.attempts])).toEqual([['failed', 1]]);

      expect(asset.derivatives.metadata).toBe(`/api/assets/${imported.id}/metadata`);
      const metadata = await t.api('GET', `/api/assets/${imported.id}/metadata?raw=true`);
      expect(metadata.status).toBe(200);
      expect(metadata.body.record.probeFailure).toBe(asset.stateReason.replace(/^Probe: /, ''));
      expect(metadata.body.record).toMatchObject({ kind: 'other', video: [], audio: [] });
      expect(JSON.stringify(metadata.body.raw.ffprobe)).toMatch(/error/);
      expect(metadata.body.raw.mediainfo.media.track[0]).toMatchObject({ '@type': 'General', Format: 'MXF' });
      expect(JSON.stringify(metadata.body.raw)).not.toContain(t.dataDir);

      // Fixed and retried: the failure record gives way to the real one.
      await import('node:fs/promises').then((fs) =>
        fs.writeFile(join(t.dataDir, 'lake', 'Bad', 'B001C001.mxf'), good),
      );
      expect((await t.api('POST', `/api/assets/${imported.id}/retry`)).status).toBe(202);
      const fixed = await settled(t, imported.id);
      expect(fixed).toMatchObject({ state: 'ready', kind: 'video' });
      const after = await t.api('GET', `/api/assets/${imported.id}/metadata`);
      expect(after.body.record.probeFailure).toBeUndefined();
    });

    it('fails at once an original that cannot be read (a folder where the file was)', async () => {
      const { t, probes } = await dailies();
      const imported = await importFromDisk(t, '/Bad', 'C001.mov', mediaFixture('h264Mp4'));
      await settled(t, imported.id);
      // Another tool swaps the file for a folder; the asset is processed again (no checksums yet).
      const file = join(t.dataDir, 'lake', 'Bad', 'C001.mov');
      await rm(file);
      await mkdir(file);
      await t.dailies.catalog.assets.update(imported.id, { checksumXxh64: null, checksumMd5: null });
      probes.length = 0;
      expect((await t.api('POST', `/api/assets/${imported.id}/retry`)).status).toBe(202);
      const asset = await settled(t, imported.id);
      expect(asset.state).toBe('failed');
      expect(asset.stateReason).toBe('Probe: The file cannot be read: it is a folder, not a file.');
      expect(probes.map((job) => [job.state, job.attempts])).toEqual([['failed', 1]]);
      const metadata = await t.api('GET', `/api/assets/${imported.id}/metadata`);
      expect(metadata.body.record.probeFailure).toBe('The file cannot be read: it is a folder, not a file.');
    });
  });
}
