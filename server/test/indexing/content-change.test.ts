import { randomBytes } from 'node:crypto';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { testS3Bucket } from '../support/services.js';
import { type RunningServer, startServer, tusUpload, waitFor } from '../uploads/support.js';

// Real: Dailies on loopback with in-process workers, tus-js-client over HTTP, SQLite, the lake
// on an fs directory or in a Swift s3api bucket, the tools. Swift's HEAD after the publishing
// copy says `<md5>-1` where its listing says the content's MD5; every reconcile after an upload
// took that for a changed file and processed a ready asset again.
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function server(config: Partial<Config>): Promise<RunningServer> {
  const s = await startServer({ ...config, inProcessWorkers: true }, { background: true });
  servers.push(s);
  return s;
}

async function ready(s: RunningServer, id: string) {
  return waitFor(async () => {
    const asset = await s.dailies.catalog.assets.get(id);
    if (asset?.state === 'failed') throw new Error(`failed: ${asset.stateReason}`);
    return asset?.state === 'ready' ? asset : null;
  }, 120_000);
}

/** How many probe jobs the asset has had: one per time it was (re)processed. */
async function probes(s: RunningServer, id: string): Promise<number> {
  const rows = await s.dailies.connection.db
    .selectFrom('jobs')
    .select('id')
    .where('key', '=', `${id}:asset.probe`)
    .execute();
  return rows.length;
}

describe('an object is changed only when its size or content changed', { timeout: 240_000 }, () => {
  it('Swift lake: an upload (single part and multipart) reconciled twice stays ready, not reprocessed', async () => {
    const bucket = await testS3Bucket();
    const { bucket: name, ...s3 } = bucket;
    const s = await server({ lake: `s3://${name}/lake`, s3: { ...s3, forcePathStyle: true } });
    const clip = await readFile(await mediaFixture('h264Mp4'));
    // A clip in one part, and the same bytes padded past a part into a multipart upload.
    const small = await tusUpload(s.url, clip, { metadata: { filename: 'A001.mp4', folder: '/Day 01' } });
    const large = Buffer.concat([clip, randomBytes(6 * 1024 * 1024)]);
    const big = await tusUpload(s.url, large, {
      metadata: { filename: 'A002.bin', folder: '/Day 01' },
      chunkSize: 5 * 1024 * 1024,
    });
    const ids = [small.assetId!, big.assetId!];
    for (const id of ids) await ready(s, id);
    await s.dailies.jobs.drain(60_000);
    const before = await Promise.all(ids.map((id) => s.dailies.catalog.assets.get(id)));
    for (let pass = 0; pass < 2; pass++) {
      const report = await s.dailies.indexing.reconcile();
      expect(report).toMatchObject({ changed: 0, added: 0, removed: 0 });
      await s.dailies.jobs.drain(60_000);
    }
    const listed = new Map<string, string>();
    for await (const o of s.dailies.lake.listAll('')) listed.set(o.key, o.etag);
    for (const [i, id] of ids.entries()) {
      const after = await s.dailies.catalog.assets.get(id);
      expect(after).toMatchObject({ state: 'ready', stateReason: null, checksumMd5: before[i]!.checksumMd5 });
      expect(await probes(s, id)).toBe(1);
      // The listing's ETag is kept, so the next pass compares equal without reading anything.
      expect(after!.etag).toBe(listed.get(id === small.assetId ? 'Day 01/A001.mp4' : 'Day 01/A002.bin'));
      expect((await s.dailies.catalog.processing.getMetadata(id))?.etag).toBe(after!.etag);
    }

    // Content that really changed, with the same size, is processed again.
    const changed = Buffer.from(clip);
    changed[changed.length - 1] ^= 0xff;
    await s.dailies.lake.delete('Day 01/A001.mp4');
    await s.dailies.lake.write('Day 01/A001.mp4', changed);
    expect((await s.dailies.indexing.reconcile()).changed).toBe(1);
    await s.dailies.jobs.drain(60_000);
    expect(await probes(s, small.assetId!)).toBe(2);
  });

  it('fs lake: a touched file is not changed, the same size with other bytes is', async () => {
    const s = await server({});
    const clip = await readFile(await mediaFixture('h264Mp4'));
    const upload = await tusUpload(s.url, clip, { metadata: { filename: 'A001.mp4', folder: '/Day 01' } });
    const id = upload.assetId!;
    await ready(s, id);
    await s.dailies.jobs.drain(60_000);
    const file = join(s.config.dataDir, 'lake', 'Day 01', 'A001.mp4');
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);
    expect(await s.dailies.indexing.reconcile()).toMatchObject({ changed: 0 });
    // The watcher's path (one key) judges the same way.
    const touchedAgain = new Date(Date.now() + 120_000);
    await utimes(file, touchedAgain, touchedAgain);
    const object = (await s.dailies.lake.head('Day 01/A001.mp4'))!;
    expect(object.etag).not.toBe((await s.dailies.catalog.assets.get(id))?.etag);
    await s.dailies.indexing.indexObject(object);
    expect((await s.dailies.catalog.assets.get(id))?.etag).toBe(object.etag);
    await s.dailies.jobs.drain(60_000);
    expect(await probes(s, id)).toBe(1);
    expect((await s.dailies.catalog.assets.get(id))?.state).toBe('ready');

    const changed = Buffer.from(clip);
    changed[changed.length - 1] ^= 0xff;
    await writeFile(file, changed);
    expect((await s.dailies.indexing.reconcile()).changed).toBe(1);
    await s.dailies.jobs.drain(60_000);
    expect(await probes(s, id)).toBe(2);
  });
});
