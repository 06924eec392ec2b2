/**
 * Publishing a finished S3 upload is a server-side copy of the staged object to its final key.
 * Prints how long one CopyObject takes against UploadPartCopy by ranges, several in flight, for
 * one object on the test store (Swift s3api in the test services, or any S3 endpoint), in
 * rounds that alternate the ways (a shared machine's load moves between runs).
 *
 *   source .test-services/env; npx tsx bench/publish-copy.ts [MiB=200] [source=parts|whole] [rounds=2]
 *
 * `parts`: the source is a multipart object of 8 MiB parts, as tus stages an upload (on Swift a
 * large object of segments); `whole`: one PUT.
 */
import { randomBytes } from 'node:crypto';
import { CopyObjectCommand, CreateBucketCommand, DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createS3Client } from '../server/src/adapters/storage/s3-client.js';
import { multipartCopy } from '../server/src/adapters/storage/s3-multipart-copy.js';

const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 200) * MiB;
const whole = process.argv[3] === 'whole';
const rounds = Number(process.argv[4] ?? 2);
const client = createS3Client({
  endpoint: process.env.DAILIES_TEST_S3_ENDPOINT,
  region: process.env.DAILIES_TEST_S3_REGION ?? 'us-east-1',
  accessKeyId: process.env.DAILIES_TEST_S3_ACCESS_KEY,
  secretAccessKey: process.env.DAILIES_TEST_S3_SECRET_KEY,
  forcePathStyle: true,
});
const Bucket = `bench-publish-${Date.now()}`;
const CopySource = `${Bucket}/source`;

const ways: Array<[string, (Key: string) => Promise<unknown>]> = [
  ['CopyObject', (Key) => client.send(new CopyObjectCommand({ Bucket, Key, CopySource }))],
  ...[
    [16, 8],
    [32, 4],
    [32, 8],
    [64, 4],
  ].map(([partMiB, inFlight]): [string, (Key: string) => Promise<unknown>] => [
    `UploadPartCopy ${partMiB} MiB ranges, ${inFlight} in flight`,
    (Key) =>
      multipartCopy(client, { Bucket, Key, CopySource, size, partSize: partMiB * MiB, inFlight }, false),
  ]),
];

await client.send(new CreateBucketCommand({ Bucket }));
await new Upload({
  client,
  partSize: whole ? size + 1 : 8 * MiB,
  queueSize: 4,
  params: { Bucket, Key: 'source', Body: randomBytes(size), ContentLength: size },
}).done();
console.log(`${size / MiB} MiB, source ${whole ? 'one PUT' : 'multipart of 8 MiB parts (as tus stages)'}:`);
for (let round = 1; round <= rounds; round++) {
  for (const [label, copy] of ways) {
    const Key = `copy-${round}-${randomBytes(4).toString('hex')}`;
    const started = performance.now();
    await copy(Key);
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `  round ${round}, ${label}: ${seconds.toFixed(2)} s (${(size / 1e6 / seconds).toFixed(0)} MB/s)`,
    );
    await client.send(new DeleteObjectCommand({ Bucket, Key }));
  }
}
await client.send(new DeleteObjectCommand({ Bucket, Key: 'source' }));
