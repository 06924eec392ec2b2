import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChecksumLane } from '../../src/lib/checksum-lanes.js';
import { ChecksumAccumulator } from '../../src/lib/checksums.js';
import { decodeSavedHashes, encodeSavedHashes } from '../../src/lib/saved-hashes.js';

function reference(bytes: Uint8Array) {
  const sums = new ChecksumAccumulator(); // OpenSSL MD5 + @node-rs/xxhash
  sums.update(bytes);
  return sums.digest();
}

/** Hashes `bytes` cut at `cuts`, each piece in a fresh lane resumed from the last one's saved (and encoded) state. */
async function hashAcrossServers(bytes: Uint8Array, cuts: number[]) {
  const points = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  let saved: Buffer | null = null;
  let from = 0;
  for (const to of [...points, bytes.length]) {
    const resume = saved ? decodeSavedHashes(saved, 'u1') : null;
    if (saved) expect(resume?.bytes).toBe(from);
    const lane = new ChecksumLane(resume ? { resume } : { portable: true });
    await lane.push(bytes.subarray(from, to));
    if (to === bytes.length) return lane.digest();
    saved = encodeSavedHashes(await lane.save(), 'u1');
    lane.close();
    from = to;
  }
  throw new Error('unreachable');
}

describe('saved running hashes (an upload moving between servers)', () => {
  it('resumed at any split points, the digests equal hashing the whole in one go', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ minLength: 0, maxLength: 40_000 }),
        fc.array(fc.nat({ max: 40_000 }), { maxLength: 8 }),
        async (bytes, cuts) => {
          expect(await hashAcrossServers(bytes, cuts)).toEqual(reference(bytes));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('across ring wraps: 13 MiB in pieces that straddle the 4 MiB ring, saved between each', async () => {
    const bytes = randomBytes(13 * 1024 * 1024 + 5);
    const cuts = [1, 4 * 1024 * 1024 - 1, 4 * 1024 * 1024 + 3, 9_000_001, 12 * 1024 * 1024];
    expect(await hashAcrossServers(bytes, cuts)).toEqual(reference(bytes));
  });

  it('a lane saved twice without new bytes gives the same state; saving after digest is refused', async () => {
    const lane = new ChecksumLane({ portable: true });
    await lane.push(Buffer.from('abc'));
    const [a, b] = await Promise.all([lane.save(), lane.save()]);
    expect(Buffer.from(a.md5)).toEqual(Buffer.from(b.md5));
    expect(a.bytes).toBe(3);
    await lane.digest();
    await expect(lane.save()).rejects.toThrow(/digested/);
  });

  it('a native lane cannot be saved: the save fails and says so', async () => {
    const lane = new ChecksumLane();
    await lane.push(Buffer.from('abc'));
    await expect(lane.save()).rejects.toThrow(/cannot be saved/);
  });

  it('a state that is not one (torn, foreign, another version, absurd offsets) is refused, never trusted', () => {
    const good = encodeSavedHashes(
      { bytes: 7, md5: new Uint8Array([1, 2]), xxh64: new Uint8Array([3]) },
      'u1',
    );
    expect(decodeSavedHashes(good, 'u1')?.bytes).toBe(7);
    // Another upload's state, copied beside this one's bytes.
    expect(decodeSavedHashes(good, 'u2')).toBeNull();
    expect(decodeSavedHashes(good, 'U1')).toBeNull();
    const bad = [
      good.subarray(0, good.length - 3),
      Buffer.from('{}'),
      Buffer.from('null'),
      Buffer.from(JSON.stringify({ v: 1, bytes: 7, md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 2, upload: 'u1', bytes: 7, md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 1, upload: 'u1', bytes: -1, md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 1, upload: 'u1', bytes: Number.NaN, md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 1, upload: 'u1', bytes: 2 ** 60, md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 1, upload: 'u1', bytes: '7', md5: 'AQI=', xxh64: 'Aw==' })),
      Buffer.from(JSON.stringify({ v: 1, upload: 'u1', bytes: 7, md5: '', xxh64: 'Aw==' })),
      Buffer.alloc(100_000, 0x20),
    ];
    for (const raw of bad) expect(decodeSavedHashes(raw, 'u1')).toBeNull();
  });

  it('a resumed lane whose state bytes are garbage fails its digest (the store then re-hashes), not the thread', async () => {
    const lane = new ChecksumLane({ resume: { bytes: 5, md5: new Uint8Array(9), xxh64: new Uint8Array(9) } });
    await lane.push(Buffer.from('more'));
    await expect(lane.digest()).rejects.toThrow(/Checksumming failed/);
    // The thread still serves other lanes.
    const next = new ChecksumLane({ portable: true });
    await next.push(Buffer.from('ok'));
    expect(await next.digest()).toEqual(reference(Buffer.from('ok')));
  });
});
