import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl, testS3Bucket } from './services.js';

// Real: the PostgreSQL and Swift s3api started by scripts/test-services.sh.
describe('test services', () => {
  it('gives a fresh, empty PostgreSQL database on every call', async () => {
    const [first, second] = [await testDatabaseUrl(), await testDatabaseUrl()];
    expect(first).not.toBe(second);
    const client = new pg.Client({ connectionString: first });
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT current_database() AS name, count(*)::int AS tables FROM information_schema.tables WHERE table_schema = 'public'",
      );
      expect(rows[0]).toEqual({ name: new URL(first).pathname.slice(1), tables: 0 });
    } finally {
      await client.end();
    }
  });

  it('gives a fresh, empty bucket on every call', async () => {
    const first = await testS3Bucket();
    const second = await testS3Bucket();
    expect(first.bucket).not.toBe(second.bucket);
    const client = new S3Client({ ...first, credentials: first });
    const out = await client.send(new ListObjectsV2Command({ Bucket: first.bucket }));
    expect(out.KeyCount ?? 0).toBe(0);
    client.destroy();
  });

  it('fails loudly, never skips, when the services are not configured', async () => {
    const saved = process.env.DAILIES_TEST_DATABASE_URL;
    delete process.env.DAILIES_TEST_DATABASE_URL;
    try {
      await expect(testDatabaseUrl()).rejects.toThrow(
        /DAILIES_TEST_DATABASE_URL is not set.*test-services\.sh/,
      );
    } finally {
      process.env.DAILIES_TEST_DATABASE_URL = saved;
    }
  });
});
