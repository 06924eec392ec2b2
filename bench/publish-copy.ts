/**
 * Publishing a finished S3 upload is a server-side copy of the staged object to its final key.
 * Prints how long one CopyObject takes against UploadPartCopy by ranges, several in flight, for
 * one object size on the test store (Swift s3api in the test services, or any S3 endpoint).
 *
 *   source .test-services/env; npx tsx bench/publish-copy.ts [MiB=200]
 */
import { randomBytes } from 'node:crypto';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { createS3Client } from '../server/src/adapters/storage/s3-client.js';
import { multipartCopy } from '../server/src/adapters/storage/s3-multipart-copy.js';

const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 200) * MiB;
const client = createS3Client({
  endpoint: process.env.DAILIES_TEST_S3_ENDPOINT,
  region: process.env.DAILIES_TEST_S3_REGION ?? 'us-east-1',
  accessKeyId: process.env.DAILIES_TEST_S3_ACCESS_KEY!,
  secretAccessKey: process.env.DAILIES_TEST_S3_SECRET_KEY!,
  forcePathStyle: true,
});
const Bucket = `bench-publish-${Date.now()}`;

async function timed(label: string, run: (key: string) => Promise<void>) {
  const key = `copy-${randomBytes(4).toString('hex')}`;
  const started = performance.now();
  await run(key);
  const seconds = (performance.now() - started) / 1000;
  console.log(`${label}: ${seconds.toFixed(2)} s (${(size / 1e6 / seconds).toFixed(0)} MB/s)`);
  await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
}

await client.send(new CreateBucketCommand({ Bucket }));
await client.send(
  new PutObjectCommand({ Bucket, Key: 'source', Body: randomBytes(size), ContentLength: size }),
);
const CopySource = `${Bucket}/source`;
await timed('CopyObject', (Key) =>
  client.send(new CopyObjectCommand({ Bucket, Key, CopySource })).then(() => {}),
);
for (const [partMiB, inFlight] of [
  [16, 4],
  [32, 4],
  [32, 8],
  [64, 2],
  [64, 4],
  [64, 6],
  [128, 2],
]) {
  await timed(`UploadPartCopy ${partMiB} MiB parts, ${inFlight} in flight`, (Key) =>
    multipartCopy(client, { Bucket, Key, CopySource, size, partSize: partMiB * MiB, inFlight }, false),
  );
}
await timed('CopyObject again', (Key) =>
  client.send(new CopyObjectCommand({ Bucket, Key, CopySource })).then(() => {}),
);
await client.send(new DeleteObjectCommand({ Bucket, Key: 'source' }));
