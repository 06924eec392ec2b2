/**
 * A download is the same whichever lake holds the file (issue 18): the fs lake's signed URL,
 * served by Dailies, and the S3 lake's presigned URL, served by the bucket, answer one request
 * with the same status, the same headers and the same bytes — a whole file, a range, an
 * open-ended and a suffix range, a range past the end (416) — for a name that needs RFC 5987.
 *
 * Real: two servers in-process (SQLite), one on an fs lake and one on a Swift s3api bucket
 * (signatures checked); both fetched over real HTTP.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { testS3Bucket } from '../support/services.js';

const NAME = "Tōkyō 100%; (v2) 'day' ß.mov";
const CONTENT = 'abcdefghijklmnopqrstuvwxyz';
/**
 * Compared on every answer. Not `accept-ranges`: Swift's s3api leaves it out (AWS S3 and Dailies
 * send `bytes`, checked below). An error's own type and length are each server's error body.
 */
const COMPARED = ['content-type', 'content-disposition', 'cache-control', 'content-range', 'content-length'];
const ON_ERRORS = ['content-disposition', 'cache-control', 'content-range'];

describe('downloads from an fs and an S3 lake answer alike', () => {
  const lakes: Array<{ name: string; t: TestDailies; url: string }> = [];

  beforeAll(async () => {
    const bucket = await testS3Bucket();
    const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
    const configs = {
      fs: {},
      s3: {
        lake: `s3://${bucket.bucket}/lake`,
        s3: { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true },
      },
    };
    for (const [name, config] of Object.entries(configs)) {
      const t = await startDailies({ config });
      const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
      const asset = await importFile(t, '/Day 01', NAME, CONTENT);
      const link = (await t.api('POST', '/api/assets/download', { ids: [asset.id] })).body.items[0];
      lakes.push({ name, t, url: new URL(link.url, base).toString() });
    }
    expect(lakes.map((l) => new URL(l.url).pathname.startsWith('/api/downloads/'))).toEqual([true, false]);
  });
  afterAll(async () => {
    for (const { t } of lakes) await t.close();
  });

  async function answers(range?: string) {
    return Promise.all(
      lakes.map(async ({ url }) => {
        const response = await fetch(url, { headers: range ? { range } : {} });
        const body = await response.text();
        const ok = response.status < 300;
        return {
          status: response.status,
          headers: Object.fromEntries((ok ? COMPARED : ON_ERRORS).map((h) => [h, response.headers.get(h)])),
          body: ok ? body : null,
        };
      }),
    );
  }

  it.each([
    ['the whole file', undefined, 200, CONTENT],
    ['a range', 'bytes=2-5', 206, 'cdef'],
    ['a range past the end, clamped', 'bytes=20-99', 206, 'uvwxyz'],
    ['an open-ended range', 'bytes=24-', 206, 'yz'],
    ['a suffix range', 'bytes=-3', 206, 'xyz'],
    ['a range that starts past the end', 'bytes=26-', 416, null],
  ])('%s', async (_what, range, status, body) => {
    const [fs, s3] = await answers(range);
    expect(fs).toEqual(s3);
    expect(fs.status).toBe(status);
    expect(fs.body).toBe(body);
  });

  it('names the file for every browser: an ASCII stand-in and the exact UTF-8 name', async () => {
    const [fs] = await answers();
    const disposition = fs.headers['content-disposition']!;
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    const fallback = disposition.match(/filename="([^"]*)"/)![1];
    expect(fallback).not.toMatch(/["\\%;]/);
    const exact = decodeURIComponent(disposition.split("filename*=UTF-8''")[1]);
    expect(exact).toBe(NAME);
    expect(fs.headers['content-type']).toBe('application/octet-stream');
    expect(fs.headers['cache-control']).toBe('private, no-store');
    const direct = await fetch(lakes[0].url, { headers: { range: 'bytes=0-0' } });
    expect(direct.headers.get('accept-ranges')).toBe('bytes');
  });
});
