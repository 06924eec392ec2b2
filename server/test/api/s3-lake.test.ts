import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { type TestS3Bucket, testS3Bucket } from '../support/services.js';

// Real: the whole server in-process with its lake in a Swift s3api bucket (signatures checked), SQLite.
describe('the API on an S3 lake', () => {
  let t: TestDailies;
  let bucket: TestS3Bucket;
  beforeEach(async () => {
    bucket = await testS3Bucket();
    const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
    t = await startDailies({
      config: {
        lake: `s3://${bucket.bucket}/lake`,
        s3: { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true },
      },
    });
  });
  afterEach(() => t.close());

  it('imports, renames, moves, trashes, restores and downloads through presigned URLs', async () => {
    const a = await importFile(t, '/Day 01', 'A001.mov', 'first clip');
    await importFile(t, '/Day 01', 'A002.mov', 'second clip');
    expect((await t.api('PATCH', `/api/assets/${a.id}`, { name: 'A001_v2.mov' })).status).toBe(200);
    await t.api('POST', '/api/folders', { path: '/Selects' });
    const move = await t.api('POST', '/api/assets/move', { ids: [a.id], folder: '/Selects' });
    expect((await waitForJob(t, move.body.jobId)).state).toBe('done');
    const { url } = (await t.api('POST', '/api/assets/download', { ids: [a.id] })).body.items[0];
    expect(url).toContain('X-Amz-Signature');
    const download = await fetch(url);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('first clip');
    expect(download.headers.get('content-disposition')).toContain('A001_v2.mov');
    const tampered = await fetch(url.replace('Selects', 'Selectz'));
    expect(tampered.status).toBe(403);

    expect((await t.api('POST', '/api/assets/delete', { ids: [a.id] })).status).toBe(200);
    expect(await t.dailies.lake.head('Selects/A001_v2.mov')).toBeNull();
    expect((await t.api('POST', '/api/assets/restore', { ids: [a.id] })).status).toBe(200);
    expect((await t.dailies.lake.head('Selects/A001_v2.mov'))?.size).toBe(10);
  });

  it('reconciles objects another tool put in the bucket, and keeps folder markers', async () => {
    const client = new S3Client({
      endpoint: bucket.endpoint,
      region: bucket.region,
      forcePathStyle: true,
      credentials: { accessKeyId: bucket.accessKeyId, secretAccessKey: bucket.secretAccessKey },
    });
    await client.send(
      new PutObjectCommand({ Bucket: bucket.bucket, Key: 'lake/Card 09/C009.mxf', Body: 'from rclone' }),
    );
    client.destroy();
    await t.api('POST', '/api/folders', { path: '/Empty Day' });
    const report = await t.api('POST', '/api/reconcile');
    expect(report.body).toMatchObject({ added: 1, removed: 0 });
    const listing = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Card 09')}`);
    expect(listing.body.items.map((a: any) => a.name)).toEqual(['C009.mxf']);
    // The empty folder survives a re-index because its marker is in the bucket.
    expect((await t.api('GET', `/api/folders?path=${encodeURIComponent('/Empty Day')}`)).status).toBe(200);
  });

  it('renames a folder with server-side copies, keeping asset ids', async () => {
    const a = await importFile(t, '/Old/Sub', 'x.mov', 'xx');
    const accepted = await t.api('PATCH', '/api/folders', { path: '/Old', newPath: '/New' });
    expect((await waitForJob(t, accepted.body.jobId)).state).toBe('done');
    expect((await t.api('GET', `/api/assets/${a.id}`)).body.folder).toBe('/New/Sub');
    expect(await t.dailies.lake.head('New/Sub/x.mov')).not.toBeNull();
    expect(await t.dailies.lake.head('Old/Sub/x.mov')).toBeNull();
  });
});

describe('storage errors', () => {
  it('an S3 lake whose endpoint is down gives a clear 503, writes no row, and the server stays up', async () => {
    const t = await startDailies({
      config: {
        lake: 's3://down-bucket/lake',
        s3: {
          endpoint: 'http://127.0.0.1:1',
          region: 'us-east-1',
          accessKeyId: 'x',
          secretAccessKey: 'y',
          forcePathStyle: true,
          maxAttempts: 1,
          connectionTimeoutMs: 500,
        } as never,
      },
      background: false,
    });
    try {
      const response = await t.api('POST', '/api/folders', { path: '/Day 01' });
      expect(response.status).toBe(503);
      expect(response.body.message).toMatch(/unreachable|reach|connect/i);
      expect(response.body.message).not.toMatch(/at .*\.ts:\d+/);
      expect(await t.dailies.catalog.folders.getByPath('/Day 01')).toBeNull();
      const imported = await importFile(t, '/', 'clip.mov', 'x').catch((error) => error);
      expect(imported.status).toBe(503);
      expect((await t.api('GET', '/api/assets?folder=/')).body.total).toBe(0);
      expect((await t.api('GET', '/healthz')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
