import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { S3ObjectStore, type S3StoreOptions } from '../../src/adapters/storage/s3-object-store.js';
import { testS3Bucket, testS3Connection } from '../support/services.js';
import { objectStoreContract } from './object-store.contract.js';

// Real: OpenStack Swift with its s3api middleware (scripts/test-services.sh), which checks
// signatures, expiry and multipart like S3 does. A fresh bucket for every test.
const makeStore = async (extra: Partial<S3StoreOptions> = {}) =>
  new S3ObjectStore({ ...(await testS3Bucket()), ...extra });

objectStoreContract('s3 (Swift s3api)', () => makeStore());
objectStoreContract('s3 under a prefix (Swift s3api)', () => makeStore({ prefix: 'lake/2026' }));

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

async function bucketKeys(store: S3ObjectStore): Promise<string[]> {
  const out = await store.client.send(new ListObjectsV2Command({ Bucket: store.bucket }));
  return (out.Contents ?? []).map((c) => c.Key!);
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

describe('S3ObjectStore (S3 only)', () => {
  it('copies past the multipart threshold with UploadPartCopy, byte for byte', async () => {
    const MiB = 1024 * 1024;
    const store = await makeStore({ multipartCopyThreshold: 6 * MiB, multipartCopyPartSize: 5 * MiB });
    const body = randomBytes(11 * MiB + 123);
    await store.write('Day 01/big.mov', body, { contentType: 'video/quicktime' });
    const copied = await store.copy('Day 01/big.mov', 'Day 02/big copy.mov');
    expect(copied.size).toBe(body.length);
    // A multipart object's ETag ends in -<parts>: proof the part-copy path ran.
    expect(copied.etag).toMatch(/-3$/);
    // A multipart upload starts bare; the source's type must be carried over.
    const head = await store.client.send(
      new HeadObjectCommand({
        Bucket: store.bucket,
        Key: `${store.prefix ? `${store.prefix}/` : ''}Day 02/big copy.mov`,
      }),
    );
    expect(head.ContentType).toBe('video/quicktime');
    expect(md5(await buffer(await store.read('Day 02/big copy.mov')))).toBe(md5(body));
    await expect(store.copy('Day 01/big.mov', 'Day 02/big copy.mov')).rejects.toMatchObject({ status: 409 });
    const moved = await store.move('Day 01/big.mov', 'Day 03/big.mov');
    expect(moved.size).toBe(body.length);
    expect(await store.head('Day 01/big.mov')).toBeNull();
  });

  it('copies whole with CopyObject when the store answers UploadPartCopy with NotImplemented', async () => {
    const MiB = 1024 * 1024;
    const store = await makeStore({ multipartCopyThreshold: 6 * MiB, multipartCopyPartSize: 5 * MiB });
    const body = randomBytes(7 * MiB);
    await store.write('Day 01/big.mov', body);
    const sent: string[] = [];
    // As a store without UploadPartCopy answers (501 NotImplemented).
    store.client.middlewareStack.add(
      (next, context) => async (args) => {
        sent.push(context.commandName ?? '');
        if (context.commandName === 'UploadPartCopyCommand')
          throw Object.assign(
            new Error('A header you provided implies functionality that is not implemented'),
            {
              name: 'NotImplemented',
              $metadata: { httpStatusCode: 501 },
            },
          );
        return next(args);
      },
      { step: 'initialize' },
    );
    const copied = await store.copy('Day 01/big.mov', 'Day 02/big.mov');
    expect(copied.size).toBe(body.length);
    expect(md5(await buffer(await store.read('Day 02/big.mov')))).toBe(md5(body));
    expect(sent).toContain('AbortMultipartUploadCommand');
    // Learnt once: the next large copy goes straight to CopyObject.
    sent.length = 0;
    await store.copy('Day 01/big.mov', 'Day 03/big.mov');
    expect(sent).not.toContain('UploadPartCopyCommand');
    expect(sent).toContain('CopyObjectCommand');
  });

  it('streams a large body of unknown length as a multipart upload', async () => {
    const store = await makeStore({ uploadPartSize: 5 * 1024 * 1024 });
    const chunks = Array.from({ length: 12 }, () => randomBytes(1024 * 1024));
    const written = await store.write('card/A001.mxf', Readable.from(chunks));
    expect(written.size).toBe(12 * 1024 * 1024);
    expect(md5(await buffer(await store.read('card/A001.mxf')))).toBe(md5(Buffer.concat(chunks)));
  });

  it('mints a presigned URL a plain HTTP client can fetch, with the download name', async () => {
    const store = await makeStore();
    await store.write('Day 01/A001.mov', Buffer.from('movie bytes'));
    const url = await store.signedUrl('Day 01/A001.mov', {
      expiresInSeconds: 60,
      downloadName: 'Szene 1 – Ü.mov',
    });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('movie bytes');
    const disposition = response.headers.get('content-disposition') ?? '';
    expect(disposition).toContain('attachment');
    expect(disposition).toContain("filename*=UTF-8''Szene%201%20%E2%80%93%20%C3%9C.mov");
  });

  it('has Swift reject a tampered and an expired presigned URL', async () => {
    const store = await makeStore();
    await store.write('secret.mov', Buffer.from('s'));
    await store.write('other.mov', Buffer.from('o'));
    const url = new URL(await store.signedUrl('secret.mov', { expiresInSeconds: 60 }));
    const tampered = new URL(url);
    tampered.pathname = tampered.pathname.replace('secret.mov', 'other.mov');
    expect((await fetch(tampered)).status).toBe(403);
    const forged = new URL(url);
    forged.searchParams.set('X-Amz-Expires', '604800');
    expect((await fetch(forged)).status).toBe(403);

    const shortLived = await store.signedUrl('secret.mov', { expiresInSeconds: 1 });
    expect((await fetch(shortLived)).status).toBe(200);
    // Deliberate: the link must outlive its one second (S3 checks expiry to the second).
    await new Promise((r) => setTimeout(r, 2100));
    expect((await fetch(shortLived)).status).toBe(403);
  });

  it('says access is denied when the secret is wrong', async () => {
    const store = await makeStore({ secretAccessKey: 'not-the-secret', maxAttempts: 1 });
    const error = await store.check().catch((e) => e);
    expect(error).toMatchObject({ status: 503, code: 'storage_unavailable' });
    expect(error.message).toMatch(/denied/i);
    expect(error.message).toContain(store.bucket);
    await expect(store.list('')).rejects.toThrow(
      /denied.*SignatureDoesNotMatch|SignatureDoesNotMatch.*denied/i,
    );
  });

  it('says the bucket does not exist', async () => {
    const store = new S3ObjectStore({
      ...testS3Connection(),
      bucket: 'dailies-no-such-bucket',
      maxAttempts: 1,
    });
    await expect(store.check()).rejects.toThrow(/bucket "dailies-no-such-bucket" does not exist/);
    await expect(store.list('')).rejects.toThrow(/does not exist/);
  });

  it('fails fast and readably when the endpoint is down', async () => {
    const store = new S3ObjectStore({
      ...testS3Connection(),
      endpoint: 'http://127.0.0.1:1',
      bucket: 'lake',
      maxAttempts: 1,
      connectionTimeoutMs: 1000,
    });
    const started = Date.now();
    const error = await store.check().catch((e) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(error).toMatchObject({ status: 503, code: 'storage_unavailable' });
    expect(error.message).toBe(
      'The S3 endpoint for s3://lake at http://127.0.0.1:1 is unreachable (ECONNREFUSED): could not reach the bucket.',
    );
    await expect(store.read('a.mov')).rejects.toMatchObject({ status: 503 });
    await expect(store.head('a.mov')).rejects.toThrow(/unreachable/);
  });

  it('keeps folder markers, lists marker and implied folders, and only deletes empty ones', async () => {
    const store = await makeStore({ prefix: 'lake' });
    await store.createFolder('Day 01/Cam A');
    await store.write('Day 02/Cam B/B001.mov', Buffer.from('b'));
    expect(await bucketKeys(store)).toEqual([
      'lake/Day 01/',
      'lake/Day 01/Cam A/',
      'lake/Day 02/Cam B/B001.mov',
    ]);
    expect((await collect(store.listFolders(''))).sort()).toEqual([
      'Day 01',
      'Day 01/Cam A',
      'Day 02',
      'Day 02/Cam B',
    ]);
    expect(await collect(store.listFolders('Day 01'))).toEqual(['Day 01/Cam A']);
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['Day 02/Cam B/B001.mov']);
    await expect(store.deleteFolder('Day 01')).rejects.toMatchObject({ status: 409 });
    await expect(store.deleteFolder('Day 02/Cam B')).rejects.toMatchObject({ status: 409 });
    await store.deleteFolder('Day 01/Cam A');
    await store.deleteFolder('Day 01/Cam A');
    expect((await collect(store.listFolders(''))).sort()).toEqual(['Day 01', 'Day 02', 'Day 02/Cam B']);
  });

  it('stays inside its prefix', async () => {
    const store = await makeStore({ prefix: 'lake' });
    await store.client.send(new PutObjectCommand({ Bucket: store.bucket, Key: 'elsewhere.mov', Body: 'x' }));
    await store.client.send(
      new PutObjectCommand({ Bucket: store.bucket, Key: 'lake-other/x.mov', Body: 'x' }),
    );
    await store.write('inside.mov', Buffer.from('i'));
    expect((await store.list('')).objects.map((o) => o.key)).toEqual(['inside.mov']);
    expect(await collect(store.listFolders(''))).toEqual([]);
    await store.deletePrefix('');
    expect((await bucketKeys(store)).sort()).toEqual(['elsewhere.mov', 'lake-other/x.mov']);
    await expect(store.write('../elsewhere.mov', Buffer.from('x'))).rejects.toMatchObject({ status: 400 });
  });

  it('pages past a run of hidden keys, and lists them only when asked for their prefix', async () => {
    const store = await makeStore();
    for (const key of [
      '!first.mov',
      '.dailies-trash/a/1.mov',
      '.dailies-trash/b/2.mov',
      '.dailies-x',
      // Sorts after the point a listing jumps to when it skips the hidden run.
      '.dailies-\u{10ffff}tail',
      'z.mov',
    ]) {
      await store.write(key, Buffer.from(key));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.list('', { cursor, limit: 1 });
      seen.push(...page.objects.map((o) => o.key));
      cursor = page.cursor;
    } while (cursor);
    expect(seen).toEqual(['!first.mov', 'z.mov']);
    expect((await collect(store.listAll('.dailies-trash/'))).map((o) => o.key)).toEqual([
      '.dailies-trash/a/1.mov',
      '.dailies-trash/b/2.mov',
    ]);
    expect(await collect(store.listFolders(''))).toEqual([]);
    await store.deletePrefix('.dailies-trash/');
    expect(await store.head('.dailies-trash/a/1.mov')).toBeNull();
    expect(await store.head('.dailies-x')).not.toBeNull();
  });

  describe('with AWS_CA_BUNDLE set', () => {
    const saved = process.env.AWS_CA_BUNDLE;
    afterEach(() => {
      if (saved === undefined) delete process.env.AWS_CA_BUNDLE;
      else process.env.AWS_CA_BUNDLE = saved;
    });

    it('still talks to a plain-http endpoint (the JavaScript SDK ignores the bundle)', async () => {
      process.env.AWS_CA_BUNDLE = '/nonexistent/ca-bundle.pem';
      const store = await makeStore();
      await store.check();
      await store.write('a.mov', Buffer.from('a'));
      expect((await store.head('a.mov'))?.size).toBe(1);
    });

    it('refuses an https endpoint with an unreadable bundle, naming it', () => {
      process.env.AWS_CA_BUNDLE = '/nonexistent/ca-bundle.pem';
      expect(() => new S3ObjectStore({ endpoint: 'https://s3.example.com', bucket: 'lake' })).toThrow(
        /AWS_CA_BUNDLE names \/nonexistent\/ca-bundle.pem/,
      );
    });
  });
});
