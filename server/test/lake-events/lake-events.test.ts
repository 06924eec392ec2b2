/**
 * S3 event notifications: the exact message shapes AWS S3 (directly and inside an SNS
 * envelope) and MinIO send, posted to a real server whose lake is a Swift s3api bucket under a
 * prefix. Objects are written into the bucket with the AWS SDK, as another tool would, and the
 * catalog must follow from the message alone: no re-index runs (the interval is off and S3 has
 * no watcher).
 */
import {
  CompleteMultipartUploadCommand,
  CopyObjectCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseS3EventMessage } from '../../src/features/lake-events/s3-event-message.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { type TestS3Bucket, testS3Bucket } from '../support/services.js';

const TOKEN = 'lake-events-token-for-tests-0123456789';
const PREFIX = 'lake';

/** S3's key encoding in event messages: URL-encoded as a query value, a space as `+`. */
const s3Encoded = (key: string) => encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
/** MinIO escapes the slashes too. */
const minioEncoded = (key: string) => encodeURIComponent(key).replace(/%20/g, '+');

/** An AWS S3 record (event structure 2.1), as the S3 documentation shows it. */
function awsRecord(eventName: string, bucket: string, key: string, object: Record<string, unknown> = {}) {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '2026-12-03T05:00:00.000Z',
    eventName,
    userIdentity: { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {
      'x-amz-request-id': 'C3D13FE58DE4C810',
      'x-amz-id-2': 'FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'dailies-lake',
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: { key: s3Encoded(key), sequencer: '0055AED6DCD90281E5', ...object },
    },
  };
}

/** A MinIO webhook body: `EventName` and `Key` beside the records, names prefixed `s3:`. */
function minioMessage(eventName: string, bucket: string, key: string, size: number) {
  return {
    EventName: `s3:${eventName}`,
    Key: `${bucket}/${key}`,
    Records: [
      {
        eventVersion: '2.0',
        eventSource: 'minio:s3',
        awsRegion: '',
        eventTime: '2026-12-03T05:00:00.000Z',
        eventName: `s3:${eventName}`,
        userIdentity: { principalId: 'minioadmin' },
        requestParameters: { principalId: 'minioadmin', region: '', sourceIPAddress: '127.0.0.1' },
        responseElements: {
          'x-amz-request-id': '17D0B5B4C3B2A1F0',
          'x-minio-origin-endpoint': 'http://127.0.0.1:9000',
        },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'Config',
          bucket: {
            name: bucket,
            ownerIdentity: { principalId: 'minioadmin' },
            arn: `arn:aws:s3:::${bucket}`,
          },
          object: {
            key: minioEncoded(key),
            size,
            eTag: '9b2cf535f27731c974343645a3985328',
            contentType: 'video/quicktime',
            userMetadata: { 'content-type': 'video/quicktime' },
            sequencer: '17D0B5B4C3C8F2A1',
          },
        },
        source: { host: '127.0.0.1', port: '', userAgent: 'MinIO (linux; amd64) minio-go/v7.0.70' },
      },
    ],
  };
}

describe('S3 event notifications on the Swift lake', () => {
  let t: TestDailies;
  let bucket: TestS3Bucket;
  let s3: S3Client;

  beforeAll(async () => {
    bucket = await testS3Bucket();
    const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
    t = await startDailies({
      config: {
        lake: `s3://${bucket.bucket}/${PREFIX}`,
        s3: { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true },
        lakeEventsToken: TOKEN,
        reconcileInterval: 0,
      },
    });
    s3 = new S3Client({
      endpoint,
      region,
      forcePathStyle: true,
      credentials: { accessKeyId, secretAccessKey },
    });
  });
  afterAll(async () => {
    s3.destroy();
    await t.close();
  });

  const put = (key: string, body: string | Buffer) =>
    s3.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: `${PREFIX}/${key}`, Body: body }));
  const post = (body: unknown, headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) =>
    t.app.inject({
      method: 'POST',
      url: '/api/lake/events',
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': 'application/json', ...headers },
    });
  const assetAt = async (folderPath: string, name: string) => {
    const folder = await t.dailies.catalog.folders.getByPath(folderPath);
    return folder ? t.dailies.catalog.assets.findLive(folder.id, name) : null;
  };

  it('ObjectCreated:Put (AWS) indexes the key at once, from the lake, not from what the message says', async () => {
    const key = 'Day 03/Cam A+B/A003C012 ünï.mov';
    await put(key, 'camera original bytes');
    // The message lies about the size: the lake is asked.
    const response = await post({
      Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/${key}`, { size: 1, eTag: 'x' })],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ records: 1, indexed: 1, removed: 0, deferred: 0, ignored: [] });
    const asset = await assetAt('/Day 03/Cam A+B', 'A003C012 ünï.mov');
    expect(asset).toMatchObject({ size: 21 });
    // The same message again changes nothing.
    expect(
      (await post({ Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/${key}`)] }))
        .statusCode,
    ).toBe(200);
    expect((await assetAt('/Day 03/Cam A+B', 'A003C012 ünï.mov'))?.id).toBe(asset?.id);
  });

  it('ObjectCreated:CompleteMultipartUpload and ObjectCreated:Copy index what they made', async () => {
    const key = 'Day 04/B001C001.mov';
    const full = `${PREFIX}/${key}`;
    const { UploadId } = await s3.send(
      new CreateMultipartUploadCommand({ Bucket: bucket.bucket, Key: full }),
    );
    const first = Buffer.alloc(5 * 1024 * 1024, 1);
    const parts = [];
    for (const [n, body] of [first, Buffer.from('tail')].entries()) {
      const { ETag } = await s3.send(
        new UploadPartCommand({ Bucket: bucket.bucket, Key: full, UploadId, PartNumber: n + 1, Body: body }),
      );
      parts.push({ ETag, PartNumber: n + 1 });
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket.bucket,
        Key: full,
        UploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    const multipart = await post({
      Records: [
        awsRecord('ObjectCreated:CompleteMultipartUpload', bucket.bucket, full, { size: first.length + 4 }),
      ],
    });
    expect(multipart.json()).toMatchObject({ indexed: 1 });
    expect(await assetAt('/Day 04', 'B001C001.mov')).toMatchObject({ size: 5 * 1024 * 1024 + 4 });

    await s3.send(
      new CopyObjectCommand({
        Bucket: bucket.bucket,
        CopySource: `${bucket.bucket}/${full}`,
        Key: `${PREFIX}/Day 04/copy of B001C001.mov`,
      }),
    );
    const copy = await post({
      Records: [awsRecord('ObjectCreated:Copy', bucket.bucket, `${PREFIX}/Day 04/copy of B001C001.mov`)],
    });
    expect(copy.json()).toMatchObject({ indexed: 1 });
    expect(await assetAt('/Day 04', 'copy of B001C001.mov')).toMatchObject({ size: 5 * 1024 * 1024 + 4 });
  });

  it('ObjectRemoved:Delete drops the asset once the lake has no such key, and keeps one the lake still has', async () => {
    await put('Day 05/gone.wav', 'riff');
    await put('Day 05/kept.wav', 'riff');
    await post({
      Records: [
        awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 05/gone.wav`),
        awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 05/kept.wav`),
      ],
    });
    expect(await assetAt('/Day 05', 'gone.wav')).not.toBeNull();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.bucket, Key: `${PREFIX}/Day 05/gone.wav` }));
    const removed = await post({
      Records: [
        awsRecord('ObjectRemoved:Delete', bucket.bucket, `${PREFIX}/Day 05/gone.wav`),
        // Out of order or forged: the lake still has it.
        awsRecord('ObjectRemoved:Delete', bucket.bucket, `${PREFIX}/Day 05/kept.wav`),
      ],
    });
    expect(removed.statusCode, removed.body).toBe(200);
    expect(await assetAt('/Day 05', 'gone.wav')).toBeNull();
    expect(await assetAt('/Day 05', 'kept.wav')).not.toBeNull();
    // A created message for a key deleted since is a removal too.
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.bucket, Key: `${PREFIX}/Day 05/kept.wav` }));
    expect(
      (
        await post({ Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 05/kept.wav`)] })
      ).json(),
    ).toMatchObject({
      indexed: 0,
      removed: 1,
    });
    expect(await assetAt('/Day 05', 'kept.wav')).toBeNull();
  });

  it("MinIO's webhook (s3: names, escaped slashes, its auth_token sent as set) and AWS through SNS (text/plain) are followed", async () => {
    await put('Day 06/M 01.mov', 'minio bytes');
    const minio = await post(
      minioMessage('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 06/M 01.mov`, 11),
    );
    expect(minio.statusCode, minio.body).toBe(200);
    expect(await assetAt('/Day 06', 'M 01.mov')).toMatchObject({ size: 11 });

    await put('Day 06/S 01.mov', 'sns bytes');
    const inner = {
      Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 06/S 01.mov`, { size: 9 })],
    };
    const sns = await t.app.inject({
      method: 'POST',
      url: '/api/lake/events',
      // An SNS HTTPS subscription to https://dailies:<token>@host/api/lake/events sends Basic.
      headers: {
        'content-type': 'text/plain; charset=UTF-8',
        authorization: `Basic ${Buffer.from(`dailies:${TOKEN}`).toString('base64')}`,
        'x-amz-sns-message-type': 'Notification',
      },
      payload: JSON.stringify({
        Type: 'Notification',
        MessageId: '22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324',
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:dailies-lake',
        Subject: 'Amazon S3 Notification',
        Message: JSON.stringify(inner),
        Timestamp: '2026-12-03T05:00:00.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertURL: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000.pem',
        UnsubscribeURL: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
      }),
    });
    expect(sns.statusCode, sns.body).toBe(200);
    expect(await assetAt('/Day 06', 'S 01.mov')).toMatchObject({ size: 9 });
    // S3's test event when notifications are set up: nothing to do.
    const test = await post({
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2026-12-03T05:00:00.000Z',
      Bucket: bucket.bucket,
    });
    expect(test.json()).toMatchObject({ records: 0, indexed: 0 });
    // A subscription confirmation is not followed: Dailies never fetches a URL it is sent.
    const confirm = await post({
      Type: 'SubscriptionConfirmation',
      SubscribeURL: 'http://127.0.0.1:1/confirm',
      Token: 'x',
    });
    expect(confirm.statusCode).toBe(422);
    expect(confirm.json().message).toMatch(/SubscribeURL/);
  });

  it('a folder marker (a key ending in /) made or removed by another tool makes or drops the folder', async () => {
    await put('Day 09/Empty Reel/', '');
    const made = await post({
      Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 09/Empty Reel/`)],
    });
    expect(made.json()).toMatchObject({ indexed: 1 });
    expect(await t.dailies.catalog.folders.getByPath('/Day 09/Empty Reel')).not.toBeNull();
    await s3.send(new DeleteObjectCommand({ Bucket: bucket.bucket, Key: `${PREFIX}/Day 09/Empty Reel/` }));
    const removed = await post({
      Records: [awsRecord('ObjectRemoved:Delete', bucket.bucket, `${PREFIX}/Day 09/Empty Reel/`)],
    });
    expect(removed.json()).toMatchObject({ removed: 1 });
    expect(await t.dailies.catalog.folders.getByPath('/Day 09/Empty Reel')).toBeNull();
  });

  it('refuses callers without the token: 401, whatever they try', async () => {
    await put('Day 07/x.mov', 'x');
    const message = { Records: [awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 07/x.mov`)] };
    for (const headers of [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
      { authorization: `Bearer ${TOKEN.slice(0, -1)}` },
      { authorization: TOKEN },
      { authorization: `Basic ${Buffer.from('dailies:wrong').toString('base64')}` },
      { authorization: `Basic ${Buffer.from(TOKEN).toString('base64')}` },
    ] as Record<string, string>[]) {
      const response = await post(message, headers);
      expect(response.statusCode, JSON.stringify(headers)).toBe(401);
      expect(response.json().message).toMatch(/DAILIES_LAKE_EVENTS_TOKEN/);
    }
    expect(await assetAt('/Day 07', 'x.mov')).toBeNull();
  });

  it('ignores other buckets, other prefixes and Dailies own data; refuses traversal, absolute keys and NUL (422, nothing indexed)', async () => {
    await put('Day 08/ok.mov', 'ok');
    const ok = awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/Day 08/ok.mov`);
    const ignored = await post({
      Records: [
        awsRecord('ObjectCreated:Put', 'another-bucket', `${PREFIX}/Day 08/ok.mov`),
        awsRecord('ObjectCreated:Put', bucket.bucket, 'elsewhere/Day 08/ok.mov'),
        awsRecord('ObjectCreated:Put', bucket.bucket, 'lakeside/Day 08/ok.mov'),
        awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/.dailies-trash/some-id/ok.mov`),
        awsRecord('ObjectCreated:Put', bucket.bucket, `${PREFIX}/.DAILIES-staging/ok.mov`),
        awsRecord('ObjectRestore:Completed', bucket.bucket, `${PREFIX}/Day 08/ok.mov`),
      ],
    });
    expect(ignored.statusCode, ignored.body).toBe(200);
    expect(ignored.json().ignored.map((i: { reason: string }) => i.reason)).toEqual([
      'another bucket',
      "outside the lake's prefix",
      "outside the lake's prefix",
      "Dailies' own data",
      "Dailies' own data",
      'ObjectRestore:Completed is not a change Dailies follows',
    ]);
    expect(await assetAt('/Day 08', 'ok.mov')).toBeNull();
    for (const raw of [
      `${PREFIX}/%2e%2e/secret`,
      `${PREFIX}/Day 08/%2E%2E/%2e%2e/etc/passwd`,
      `${PREFIX}/Day 08/./ok.mov`,
      `${PREFIX}//etc/passwd`,
      `${PREFIX}/Day 08/ok.mov%00.txt`,
      `${PREFIX}/Day 08//ok.mov`,
    ]) {
      const record = awsRecord('ObjectCreated:Put', bucket.bucket, 'placeholder');
      record.s3.object.key = raw;
      const response = await post({ Records: [ok, record] });
      expect(response.statusCode, raw).toBe(422);
      expect(response.json().message).toMatch(/never indexes/);
    }
    // Nothing of a refused message was acted on, not even its good record.
    expect(await assetAt('/Day 08', 'ok.mov')).toBeNull();
  });

  it('answers malformed, huge and crowded messages with 400 and 413', async () => {
    const notJson = await post('{"Records": [', { authorization: `Bearer ${TOKEN}` });
    expect(notJson.statusCode).toBe(400);
    expect((await post({ records: [] })).statusCode).toBe(400);
    expect((await post({ Records: 'x' })).statusCode).toBe(400);
    expect((await post({ Records: [{ eventName: 'ObjectCreated:Put' }] })).json().message).toMatch(
      /s3.bucket.name/,
    );
    const badEncoding = awsRecord('ObjectCreated:Put', bucket.bucket, 'x');
    badEncoding.s3.object.key = `${PREFIX}/100%.mov`;
    expect((await post({ Records: [badEncoding] })).json().message).toMatch(/not URL-encoded/);
    const huge = await post({ Records: [], padding: 'x'.repeat(1024 * 1024) });
    expect(huge.statusCode).toBe(413);
    const crowded = await post({
      Records: Array.from({ length: 1000 }, (_, i) => ({
        eventName: 'ObjectCreated:Put',
        s3: { bucket: { name: bucket.bucket }, object: { key: `${PREFIX}/many/${i}` } },
      })),
    });
    expect(crowded.statusCode).toBe(413);
    expect(crowded.json().message).toMatch(/at most 100 objects; this one names 1000/);
  });

  it('decodes any key S3 or MinIO encodes back to itself', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (key, minio) => {
          const encoded = minio ? minioEncoded(key) : s3Encoded(key);
          const [record] = parseS3EventMessage({
            Records: [
              { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key: encoded } } },
            ],
          });
          expect(record?.key).toBe(key);
        },
      ),
    );
  });
});

describe('S3 event notifications without a token, or on a directory lake', () => {
  it('answers 404 as for a route that does not exist when no token is configured, 409 on an fs lake', async () => {
    const off = await startDailies();
    try {
      const response = await off.app.inject({
        method: 'POST',
        url: '/api/lake/events',
        payload: { Records: [] },
        headers: { authorization: 'Bearer anything' },
      });
      expect(response.statusCode).toBe(404);
      expect(response.json().message).toBe('No route POST /api/lake/events.');
    } finally {
      await off.close();
    }
    const fsLake = await startDailies({ config: { lakeEventsToken: TOKEN } });
    try {
      const response = await fsLake.app.inject({
        method: 'POST',
        url: '/api/lake/events',
        payload: { Records: [] },
        headers: { authorization: `Bearer ${TOKEN}` },
      });
      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/directory, not an S3 bucket/);
    } finally {
      await fsLake.close();
    }
  });
});
