import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';

/**
 * Real services for tests, started by scripts/test-services.sh. A missing service is an
 * error, never a skip: a suite that silently skips its real backend proves nothing.
 */
function requireEnv(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(
      `${name} is not set. Start the test services first: ` +
        '`sudo bash scripts/test-services.sh && . .test-services/env` (or run the tests with `npm test`).',
    );
  }
  return value;
}

function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(6).toString('hex')}`;
}

/** A fresh, empty PostgreSQL database; returns its URL. */
export async function testDatabaseUrl(): Promise<string> {
  const adminUrl = requireEnv('DAILIES_TEST_DATABASE_URL');
  // The run's name first (global-setup.ts drops its databases at the end); benches have none.
  const name = uniqueName(`dailies_test_${process.env.DAILIES_TEST_RUN ?? 'bench'}_`);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export interface TestS3Bucket {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
  forcePathStyle: true;
}

/** S3 connection settings of the test endpoint, without a bucket. */
export function testS3Connection(): Omit<TestS3Bucket, 'bucket'> {
  return {
    endpoint: requireEnv('DAILIES_TEST_S3_ENDPOINT'),
    accessKeyId: requireEnv('DAILIES_TEST_S3_ACCESS_KEY'),
    secretAccessKey: requireEnv('DAILIES_TEST_S3_SECRET_KEY'),
    region: process.env.DAILIES_TEST_S3_REGION || 'us-east-1',
    forcePathStyle: true,
  };
}

/** A fresh, empty bucket on the test S3 endpoint (Swift s3api). */
export async function testS3Bucket(): Promise<TestS3Bucket> {
  const connection = testS3Connection();
  const bucket = uniqueName('dailies-test-');
  const client = new S3Client({
    endpoint: connection.endpoint,
    region: connection.region,
    forcePathStyle: true,
    credentials: { accessKeyId: connection.accessKeyId, secretAccessKey: connection.secretAccessKey },
  });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } finally {
    client.destroy();
  }
  return { ...connection, bucket };
}

/** The config of a test lake: `s3://` in a fresh bucket on the test endpoint, or none (the data dir's fs lake). */
export async function testLakeConfig(
  kind: 'fs' | 's3',
): Promise<{ lake?: string; s3?: Omit<TestS3Bucket, 'bucket'> }> {
  if (kind === 'fs') return {};
  const { bucket, ...s3 } = await testS3Bucket();
  return { lake: `s3://${bucket}/lake`, s3 };
}
