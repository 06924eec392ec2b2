import { randomBytes } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import { buffer } from 'node:stream/consumers';
import { ListMultipartUploadsCommand, S3Client } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { S3_UPLOADS_PREFIX } from '../../src/adapters/uploads/s3-upload-store.js';
import type { Config } from '../../src/config.js';
import { type TestS3Bucket, testS3Bucket } from '../support/services.js';
import { checksumsOf, createUpload, type RunningServer, startServer, tusUpload, waitFor } from './support.js';

// Real: Dailies on loopback with its lake in a fresh bucket of OpenStack Swift s3api
// (scripts/test-services.sh), tus-js-client over HTTP, SQLite.
const servers: RunningServer[] = [];
const relays: Array<{ cut(): Promise<void> }> = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
  for (const r of relays.splice(0)) await r.cut();
});

function s3Config(bucket: TestS3Bucket, endpoint = bucket.endpoint): Partial<Config> {
  return {
    lake: `s3://${bucket.bucket}/lake`,
    s3: {
      endpoint,
      region: bucket.region,
      forcePathStyle: true,
      accessKeyId: bucket.accessKeyId,
      secretAccessKey: bucket.secretAccessKey,
    },
  };
}

async function server(config: Partial<Config>, background = false): Promise<RunningServer> {
  const s = await startServer(config, { background });
  servers.push(s);
  return s;
}

async function assetsIn(s: RunningServer, folder: string) {
  const response = await fetch(`${s.url}/api/assets?folder=${encodeURIComponent(folder)}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Array<Record<string, unknown>> }).items;
}

async function stagedKeys(s: RunningServer): Promise<string[]> {
  const keys: string[] = [];
  for await (const object of s.dailies.lake.listAll(S3_UPLOADS_PREFIX)) keys.push(object.key);
  return keys;
}

async function multipartUploads(bucket: TestS3Bucket): Promise<string[]> {
  const client = new S3Client({
    endpoint: bucket.endpoint,
    region: bucket.region,
    forcePathStyle: true,
    credentials: { accessKeyId: bucket.accessKeyId, secretAccessKey: bucket.secretAccessKey },
  });
  try {
    const out = await client.send(new ListMultipartUploadsCommand({ Bucket: bucket.bucket }));
    return (out.Uploads ?? []).map((u) => u.Key!);
  } finally {
    client.destroy();
  }
}

/** A TCP relay to the S3 endpoint that the test can cut, to play "the endpoint is down". */
async function relay(
  target: URL,
): Promise<{ endpoint: string; cut(): Promise<void>; restore(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let port = 0;
  const listen = async () => {
    const proxy = createServer((client) => {
      const upstream = createConnection(Number(target.port), target.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('close', () => sockets.delete(s));
        s.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((r) => proxy.listen(port, '127.0.0.1', r));
    port = (proxy.address() as { port: number }).port;
    return proxy;
  };
  let proxy = await listen();
  const link = {
    endpoint: `http://127.0.0.1:${port}`,
    cut: async () => {
      // Open sockets (the SDK keeps them alive) are cut too, as a dead endpoint would.
      await new Promise((r) => {
        proxy.close(r);
        for (const s of sockets) s.destroy();
      });
    },
    restore: async () => {
      proxy = await listen();
    },
  };
  relays.push(link);
  return link;
}

describe('tus uploads into an S3 lake (Swift s3api)', () => {
  it('uploads a small and a multi-part file: exact bytes, checksums on the asset, staging emptied', async () => {
    const s = await server(s3Config(await testS3Bucket()));
    const small = Buffer.from('hello s3');
    const large = randomBytes(12 * 1024 * 1024 + 5);
    const a = await tusUpload(s.url, small, { metadata: { filename: 'hello.txt', folder: '/' } });
    // 5 MiB requests against 8 MiB parts: exercises tus's incomplete-part path too.
    const b = await tusUpload(s.url, large, {
      metadata: { filename: 'A001.mov', folder: '/Card01/CLIP' },
      chunkSize: 5 * 1024 * 1024,
    });
    expect(a.assetId).toBeTruthy();
    expect(b.assetId).toBeTruthy();
    expect(await buffer(await s.dailies.lake.read('hello.txt'))).toEqual(small);
    expect((await buffer(await s.dailies.lake.read('Card01/CLIP/A001.mov'))).equals(large)).toBe(true);
    expect(await assetsIn(s, '/')).toEqual([
      expect.objectContaining({ id: a.assetId, name: 'hello.txt', checksums: checksumsOf(small) }),
    ]);
    expect(await assetsIn(s, '/Card01/CLIP')).toEqual([
      expect.objectContaining({ id: b.assetId, size: large.length, checksums: checksumsOf(large) }),
    ]);
    // Only the small published markers stay staged.
    expect((await stagedKeys(s)).every((k) => k.endsWith('.info'))).toBe(true);
    // Staging is hidden from the lake's listing.
    const listed: string[] = [];
    for await (const o of s.dailies.lake.listAll('')) listed.push(o.key);
    expect(listed.sort()).toEqual(['Card01/CLIP/A001.mov', 'hello.txt']);
  });

  it('resumes an upload aborted half-way, after a restart too, and refuses an existing name', async () => {
    const bucket = await testS3Bucket();
    const data = randomBytes(11 * 1024 * 1024 + 1);
    const s1 = await server(s3Config(bucket));
    const first = await tusUpload(s1.url, data, {
      metadata: { filename: 'clip.mxf', folder: '/Resume' },
      chunkSize: 5 * 1024 * 1024,
      abortAt: 5 * 1024 * 1024,
    });
    expect(await assetsIn(s1, '/Resume')).toEqual([]);
    const dataDir = s1.config.dataDir;
    await s1.stop({ keepData: true });
    servers.splice(servers.indexOf(s1), 1);

    const s2 = await server({ ...s3Config(bucket), dataDir });
    const done = await tusUpload(s2.url, data, {
      metadata: { filename: 'clip.mxf', folder: '/Resume' },
      uploadUrl: `${s2.url}${new URL(first.url).pathname}`,
      chunkSize: 5 * 1024 * 1024,
    });
    const stored = await buffer(await s2.dailies.lake.read('Resume/clip.mxf'));
    expect(checksumsOf(stored).md5).toBe(checksumsOf(data).md5);
    expect(await assetsIn(s2, '/Resume')).toEqual([
      expect.objectContaining({ id: done.assetId, checksums: checksumsOf(data) }),
    ]);

    const again = await createUpload(s2.url, { filename: 'clip.mxf', folder: '/Resume' }, 10);
    expect(again.status).toBe(409);
    const bad = await createUpload(s2.url, { filename: 'a:b', folder: '/Resume' }, 10);
    expect(bad.status).toBe(400);
  });

  it('expires an abandoned upload: its multipart upload and staging objects are removed, no asset', async () => {
    const bucket = await testS3Bucket();
    const s = await server({ ...s3Config(bucket), uploadExpiryHours: 8 / 3600 }, true);
    await tusUpload(s.url, randomBytes(3 * 1024 * 1024), {
      metadata: { filename: 'gone.mov', folder: '/Abandoned' },
      chunkSize: 1024 * 1024,
      abortAt: 1024 * 1024,
    });
    expect((await stagedKeys(s)).length).toBeGreaterThan(0);
    expect(await multipartUploads(bucket)).toHaveLength(1);
    await waitFor(async () => (await stagedKeys(s)).length === 0, 30_000);
    expect(await multipartUploads(bucket)).toEqual([]);
    expect(await assetsIn(s, '/Abandoned')).toEqual([]);
  });

  it('answers 503 while the S3 endpoint is down, keeps no partial asset, stays up, and resumes after', async () => {
    const bucket = await testS3Bucket();
    const link = await relay(new URL(bucket.endpoint));
    const s = await server(s3Config(bucket, link.endpoint));
    const data = randomBytes(7 * 1024 * 1024);
    const started = await tusUpload(s.url, data, {
      metadata: { filename: 'outage.mov', folder: '/Outage' },
      chunkSize: 5 * 1024 * 1024,
      abortAt: 5 * 1024 * 1024,
    });

    await link.cut();
    const created = await createUpload(s.url, { filename: 'other.mov', folder: '/Outage' }, 10);
    expect(created.status).toBe(503);
    expect(((await created.json()) as { message: string }).message).toMatch(/unreachable/);
    await expect(
      tusUpload(s.url, data, {
        metadata: { filename: 'outage.mov', folder: '/Outage' },
        uploadUrl: started.url,
      }),
    ).rejects.toThrow(/503/);
    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    expect(await assetsIn(s, '/Outage')).toEqual([]);

    await link.restore();
    const done = await tusUpload(s.url, data, {
      metadata: { filename: 'outage.mov', folder: '/Outage' },
      uploadUrl: started.url,
    });
    expect(done.assetId).toBeTruthy();
    expect(await assetsIn(s, '/Outage')).toEqual([
      expect.objectContaining({ name: 'outage.mov', checksums: checksumsOf(data) }),
    ]);
  });
});
