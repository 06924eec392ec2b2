/**
 * Range requests never make the server fail (issue 11.11): a range past the end of an fs-lake
 * download or of a derivative is 416 (it was a 500 for downloads); malformed, reversed,
 * suffix, multiple and huge ranges are served whole, partially or refused with 416 — generated
 * by fast-check, every answer is 200, 206 or 416 with bytes that match what it says.
 *
 * Real: the whole server in-process on SQLite, an fs lake and an fs derivative store.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies } from '../support/harness.js';

const ORIGINAL = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
const PROXY = Buffer.from(Array.from({ length: 777 }, (_, i) => (i * 7) % 256));

let t: TestDailies;
let downloadPath: string;
let proxyPath: string;

beforeAll(async () => {
  // No workers: the junk original is never processed, the proxy below stays as written.
  t = await startDailies({ background: false });
  const asset = await importFile(t, '/Day 01', 'A001.mov', ORIGINAL);
  const key = `${asset.id}/proxy.mp4`;
  await t.dailies.derived.write(key, PROXY);
  await t.dailies.catalog.processing.putDerivative({
    assetId: asset.id,
    kind: 'proxy',
    key,
    contentType: 'video/mp4',
    size: PROXY.length,
    createdAt: Date.now(),
  });
  const links = await t.api('POST', '/api/assets/download', { ids: [asset.id] });
  downloadPath = new URL(links.body.items[0].url, 'http://x').pathname;
  proxyPath = `/api/assets/${asset.id}/proxy`;
});
afterAll(async () => {
  await t.close();
});

/** The admin's session, for the proxy route (a download's token is its own credential). */
let adminSession: Record<string, string> = {};
beforeAll(async () => {
  const login = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: t.config.adminPassword },
  });
  adminSession = {
    cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
  };
});

function get(path: string, range: string) {
  return t.app.inject({
    method: 'GET',
    url: path,
    headers: { range, ...(path === proxyPath ? adminSession : {}) },
  });
}

/** Checks one answer against the bytes it claims to carry. */
function checkAnswer(response: Awaited<ReturnType<typeof get>>, whole: Buffer, range: string): void {
  expect([200, 206, 416], `${range} → ${response.statusCode} ${response.body.slice(0, 200)}`).toContain(
    response.statusCode,
  );
  if (response.statusCode === 200) expect(response.rawPayload.equals(whole)).toBe(true);
  if (response.statusCode === 206) {
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(response.headers['content-range']));
    expect(match, range).not.toBeNull();
    const [start, end, size] = match!.slice(1).map(Number);
    expect(size).toBe(whole.length);
    expect(start <= end && end < size).toBe(true);
    expect(response.rawPayload.equals(whole.subarray(start, end + 1))).toBe(true);
  }
  if (response.statusCode === 416) expect(response.json().message).toMatch(/bytes/);
}

describe('range requests', () => {
  it.each([
    ['a download', () => downloadPath, ORIGINAL],
    ['a proxy', () => proxyPath, PROXY],
  ])('%s: a range that starts at or past the end is 416', async (_, path, whole) => {
    for (const range of [
      `bytes=${whole.length}-`,
      `bytes=${whole.length}-${whole.length + 10}`,
      'bytes=99999999999999999999999999-',
      `bytes=${2 ** 53}-${2 ** 53 + 1}`,
    ]) {
      const response = await get(path(), range);
      expect(response.statusCode, range).toBe(416);
    }
    const last = await get(path(), `bytes=${whole.length - 1}-`);
    expect(last.statusCode).toBe(206);
    expect(last.rawPayload.equals(whole.subarray(whole.length - 1))).toBe(true);
  });

  it('generated Range headers: never a 500, every answer true to its bytes', async () => {
    const digits = fc.oneof(
      fc.nat({ max: 2000 }).map(String),
      fc.bigInt({ min: 0n, max: 10n ** 40n }).map(String),
      fc.constantFrom('', '0', '00', '-0', '1e3', '0x10', ' 1', '１'),
    );
    const header = fc.oneof(
      fc.tuple(digits, digits).map(([a, b]) => `bytes=${a}-${b}`),
      digits.map((n) => `bytes=-${n}`),
      fc
        .array(fc.tuple(digits, digits), { minLength: 2, maxLength: 4 })
        .map((ranges) => `bytes=${ranges.map(([a, b]) => `${a}-${b}`).join(',')}`),
      fc.tuple(fc.constantFrom('items', 'Bytes', 'bytes ', ''), digits).map(([unit, n]) => `${unit}=${n}-`),
      fc.string({ maxLength: 40 }).filter((s) => /^[\x20-\x7e]*$/.test(s)),
    );
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(header, fc.boolean(), async (range, proxy) => {
        const response = await get(proxy ? proxyPath : downloadPath, range);
        requests++;
        checkAnswer(response, proxy ? PROXY : ORIGINAL, range);
      }),
      { numRuns: 400 },
    );
    console.log(`range fuzzing: ${requests} requests, none answered 500`);
    expect(requests).toBeGreaterThanOrEqual(400);
  });
});
