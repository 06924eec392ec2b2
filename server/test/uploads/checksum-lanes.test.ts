import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChecksumLane, checksumsOf } from '../../src/lib/checksum-lanes.js';
import { ChecksumAccumulator } from '../../src/lib/checksums.js';

const MiB = 1024 * 1024;

function inMemory(bytes: Buffer) {
  const sums = new ChecksumAccumulator();
  sums.update(bytes);
  return sums.digest();
}

describe('checksum lanes (xxHash64 + MD5 on a worker thread)', () => {
  it('give the same digests as hashing in memory, across ring wraps and chunks larger than the ring', async () => {
    const bytes = randomBytes(13 * MiB + 777);
    const lane = new ChecksumLane();
    const sizes = [1, 64 * 1024, 5 * MiB, 3, 1_000_003];
    for (let at = 0, i = 0; at < bytes.length; i++) {
      const n = sizes[i % sizes.length];
      await lane.push(bytes.subarray(at, at + n));
      at += n;
    }
    expect(lane.bytes).toBe(bytes.length);
    expect(await lane.digest()).toEqual(inMemory(bytes));
  });

  it('keep concurrent streams apart', async () => {
    const a = randomBytes(6 * MiB);
    const b = randomBytes(5 * MiB + 1);
    const chunks = (bytes: Buffer) =>
      (async function* () {
        for (let at = 0; at < bytes.length; at += 100_000) yield bytes.subarray(at, at + 100_000);
      })();
    const [sumsA, sumsB] = await Promise.all([checksumsOf(chunks(a)), checksumsOf(chunks(b))]);
    expect(sumsA).toEqual(inMemory(a));
    expect(sumsB).toEqual(inMemory(b));
  });

  it('hash an empty stream, and refuse a digest after close or a second digest', async () => {
    expect(await new ChecksumLane().digest()).toEqual(inMemory(Buffer.alloc(0)));
    const closed = new ChecksumLane();
    await closed.push(Buffer.from('abc'));
    closed.close();
    expect(closed.push(Buffer.from('more'))).toBeUndefined();
    await expect(closed.digest()).rejects.toThrow(/closed/);
    const twice = new ChecksumLane();
    await twice.digest();
    await expect(twice.digest()).rejects.toThrow(/already been digested/);
  });
});
