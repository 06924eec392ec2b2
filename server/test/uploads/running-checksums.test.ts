import { afterEach, describe, expect, it, vi } from 'vitest';
import { RunningChecksums, type SavedHashesPlace } from '../../src/adapters/uploads/running-checksums.js';
import { ChecksumAccumulator } from '../../src/lib/checksums.js';

function reference(text: string) {
  const sums = new ChecksumAccumulator();
  sums.update(Buffer.from(text));
  return sums.digest();
}

/** The staging's saved-hashes objects, in memory. */
function memoryPlace(): SavedHashesPlace & { saved: Map<string, Buffer> } {
  const saved = new Map<string, Buffer>();
  return {
    saved,
    load: async (id) => saved.get(id) ?? null,
    save: async (id, state) => void saved.set(id, state),
    remove: async (id) => void saved.delete(id),
  };
}

async function write(running: RunningChecksums, id: string, offset: number, text: string) {
  const lane = await running.lane(id, offset);
  await lane?.push(Buffer.from(text));
  await running.written(id, offset + text.length);
}

describe('running checksums of uploads', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('two servers take turns on one upload through the saved state; the finish needs no staged bytes', async () => {
    const place = memoryPlace();
    const [a, b] = [new RunningChecksums(place), new RunningChecksums(place)];
    await write(a, 'u1', 0, 'first ');
    await write(b, 'u1', 6, 'second ');
    await write(a, 'u1', 13, 'third');
    expect(await b.take('u1', 18)).toEqual(reference('first second third'));
    // A take at another size than the state covers is no answer (the store re-hashes).
    await write(a, 'u2', 0, 'abc');
    expect(await b.take('u2', 4)).toBeNull();
    await a.forget('u2');
    expect(place.saved.has('u2')).toBe(false);
  });

  it("lets go of lanes idle 10 minutes once their state is saved, never one under way, never an fs lake's", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const place = memoryPlace();
    const s3 = new RunningChecksums(place);
    const fs = new RunningChecksums(null);
    await write(s3, 'idle', 0, 'abc');
    const busy = await s3.lane('busy', 0); // a write under way: not yet `written`
    await busy?.push(Buffer.from('xyz'));
    await write(fs, 'local', 0, 'abc');
    vi.setSystemTime(Date.now() + 11 * 60_000);
    await s3.lane('other', 0);
    await fs.lane('other', 0);
    expect(s3.size).toBe(2); // busy and other
    expect(fs.size).toBe(2);
    // The idle one comes back from its saved state.
    await write(s3, 'idle', 3, 'def');
    expect(await s3.take('idle', 6)).toEqual(reference('abcdef'));
    await s3.written('busy', 3);
    expect(await s3.take('busy', 3)).toEqual(reference('xyz'));
    expect(await fs.take('local', 3)).toEqual(reference('abc'));
  });
});
