import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { startDailies, TEST_ADMIN_PASSWORD, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { untilSettled } from '../support/poll.js';
import { testS3Bucket } from '../support/services.js';

// Real: lake and derived store in buckets on the test S3 endpoint (Swift s3api), PostgreSQL
// catalog with pg-boss, the tools. The tools need a local file: the original is downloaded.
describe('processing with an S3 lake and derived store, on PostgreSQL', () => {
  let t: TestDailies | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('downloads the original, processes it and serves the derivatives from the bucket', async () => {
    const lake = await testS3Bucket();
    const derived = await testS3Bucket();
    const { bucket: _l, ...connection } = lake;
    t = await startDailies({
      catalog: 'postgres',
      config: { lake: `s3://${lake.bucket}/lake`, derived: `s3://${derived.bucket}`, s3: connection },
    });
    const imported = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01',
      'A001.mp4',
      createReadStream(await mediaFixture('h264Mp4')),
    );
    const asset: any = await untilSettled(
      async () => (await t!.api('GET', `/api/assets/${imported.id}`)).body,
      60_000,
    );
    expect(asset).toMatchObject({ state: 'ready', kind: 'video', videoCodec: 'h264' });
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: TEST_ADMIN_PASSWORD },
    });
    const cookie = `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`;
    const proxy = await t.app.inject({
      url: `/api/assets/${imported.id}/proxy`,
      headers: { range: 'bytes=0-1023', cookie },
    });
    expect(proxy.statusCode).toBe(206);
    expect(proxy.rawPayload.length).toBe(1024);
    expect(proxy.rawPayload.subarray(4, 8).toString()).toBe('ftyp');
    const keys: string[] = [];
    for await (const o of t.dailies.derived.listAll('')) keys.push(o.key);
    const recorded = await t.dailies.catalog.processing.derivatives([imported.id]);
    expect(keys.sort()).toEqual(recorded.map((d) => d.key).sort());
    expect(keys.map((key) => key.replace(/\/[0-9a-z]+-[0-9a-f]{8}\//, '/<generation>/')).sort()).toEqual(
      ['filmstrip.jpg', 'filmstrip.vtt', 'proxy.mp4', 'thumbnail.jpg', 'waveform.json'].map(
        (n) => `${imported.id}/<generation>/${n}`,
      ),
    );
    // Downloads are temporary: nothing is left in the work directory.
    expect(await readdir(join(t.dataDir, 'work')).catch(() => [])).toEqual([]);
  });
});
