import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SourceCopies } from '../../src/adapters/fs/source-copies.js';

// Real: files in a temporary work dir. The shared copy of an asset's original is fetched once
// whatever the jobs' order, never handed out half-written, and never outlives its use.
let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'dailies-source-copies-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const limits = { budgetBytes: 1000, minFreeFraction: 0, idleMs: 60_000 };
const request = (assetId: string, version = 'v1', sizeBytes = 100) => ({
  assetId,
  version,
  extension: '.mov',
  sizeBytes,
});

describe('shared copies of originals', () => {
  it('jobs of one asset arriving together fetch once and read the same complete file', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.nat(20), { minLength: 8, maxLength: 8 }),
        async (jobs, delays) => {
          const copies = new SourceCopies(root, limits);
          let fetches = 0;
          const fetch = async (file: string) => {
            fetches++;
            await new Promise((r) => setTimeout(r, 15));
            await writeFile(file, 'original bytes');
            return 'checksums';
          };
          const held = await Promise.all(
            Array.from({ length: jobs }, async (_, i) => {
              await new Promise((r) => setTimeout(r, delays[i]));
              const shared = await copies.acquire(request('a'), fetch);
              expect(await readFile(shared!.file, 'utf8')).toBe('original bytes');
              return shared!;
            }),
          );
          // Later jobs may come after the copy was complete; either way, one fetch.
          expect(fetches).toBe(1);
          expect(held.filter((h) => h.fetched === 'checksums')).toHaveLength(1);
          await copies.drop('a');
          // Held: still there until the last job lets go (releasing twice counts once).
          expect(await readdir(root)).toHaveLength(1);
          for (const h of held) {
            await h.release();
            await h.release();
          }
          expect(await readdir(root)).toEqual([]);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a failed fetch hands nothing out and the next job fetches again', async () => {
    const copies = new SourceCopies(root, limits);
    const failing = copies.acquire(request('a'), async (file) => {
      await writeFile(file, 'half');
      throw new Error('connection reset');
    });
    const waiting = copies.acquire(request('a'), async () => 'never');
    await expect(failing).rejects.toThrow('connection reset');
    await expect(waiting).rejects.toThrow('connection reset');
    expect(await readdir(root)).toEqual([]);
    const again = await copies.acquire(request('a'), async (file) => writeFile(file, 'whole'));
    expect(await readFile(again!.file, 'utf8')).toBe('whole');
  });

  it('a changed original is a new copy; the old one goes when its holder lets go', async () => {
    const copies = new SourceCopies(root, limits);
    const old = await copies.acquire(request('a', 'v1'), async (file) => writeFile(file, 'one'));
    const fresh = await copies.acquire(request('a', 'v2'), async (file) => writeFile(file, 'two'));
    expect(await readFile(old!.file, 'utf8')).toBe('one');
    expect(await readFile(fresh!.file, 'utf8')).toBe('two');
    await old!.release();
    expect(await readdir(root)).toHaveLength(1);
    await fresh!.release();
    await copies.drop('a');
    expect(await readdir(root)).toEqual([]);
  });

  it('keeps within the budget: idle copies go first, and a copy that cannot fit is not kept', async () => {
    const copies = new SourceCopies(root, limits);
    const write = async (file: string) => writeFile(file, 'x');
    const a = await copies.acquire(request('a', 'v1', 600), write);
    await a!.release();
    const b = await copies.acquire(request('b', 'v1', 600), write);
    // `a` was idle and made room for `b`.
    expect(copies.keptBytes()).toBe(600);
    // `b` is held: `c` does not fit beside it, so the caller downloads on its own.
    expect(await copies.acquire(request('c', 'v1', 600), write)).toBeNull();
    expect(await copies.acquire(request('d', 'v1', 5000), write)).toBeNull();
    expect(copies.keptBytes()).toBe(600);
    await b!.release();
  });

  it('a copy nobody used for the idle time is removed (its asset finished in another process)', async () => {
    const copies = new SourceCopies(root, { ...limits, idleMs: 1000 });
    const a = await copies.acquire(request('a'), async (file) => writeFile(file, 'x'));
    await a!.release();
    await copies.sweepIdle(Date.now() + 500);
    expect(await readdir(root)).toHaveLength(1);
    await copies.sweepIdle(Date.now() + 1500);
    expect(await readdir(root)).toEqual([]);
  });
});
