import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FolderMoveUnderWay,
  LakeIntents,
  STALE_INTENT_MS,
} from '../../src/features/indexing/lake-intents.js';
import { PROCESS_TAG, processStartTime } from '../../src/lib/process-identity.js';
import type { LakeIntent } from '../../src/ports/catalog.js';
import { migratedCatalog } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';

// Real: the intents table on an in-memory SQLite and a fresh PostgreSQL database.
describe.each([
  ['SQLite', () => migratedCatalog()],
  ['PostgreSQL', async () => migratedCatalog(await testDatabaseUrl())],
])('lake intents on %s', (_label, makeCatalog) => {
  it('keep a step under way: written, read back whole, covering its keys exactly, removed', async () => {
    const catalog = await makeCatalog();
    const intents = new LakeIntents({ catalog, clock: { now: () => 1_000 } });
    const rename = await intents.begin('rename', {
      assetId: 'a1',
      fromKey: 'Day_01/A%.mov',
      toKey: 'Day_01/B.mov',
      detail: { from: 'A%.mov', to: 'B.mov', folderPath: '/Day_01' },
    });
    const move = await intents.begin('folder.move', { fromKey: 'Cam A', toKey: 'Cam B' });
    expect(await catalog.intents.all()).toEqual([rename, move]);
    const covers = await intents.cover();
    for (const key of ['Day_01/A%.mov', 'Day_01/B.mov', 'Cam A', 'Cam A/x.mov', 'Cam B/Sub/y.mov'])
      expect(covers(key), key).toBe(true);
    // Exact: no case folding, no LIKE wildcards, no prefix of a longer name.
    for (const key of [
      'day_01/a%.mov',
      'Day_01/AX.mov',
      'Day-01/A%.mov',
      'Cam AB/x.mov',
      'cam a/x.mov',
      'Cam',
    ])
      expect(covers(key), key).toBe(false);
    await catalog.intents.remove(rename.id);
    await catalog.intents.remove(move.id);
    expect(await catalog.intents.all()).toEqual([]);
    expect((await intents.cover())('Cam A')).toBe(false);
  });

  it('refuse an asset step inside a folder move, or on the same asset or key; other steps go on', async () => {
    const catalog = await makeCatalog();
    const intents = new LakeIntents({ catalog, clock: { now: () => 1 } });
    await intents.begin('folder.move', { fromKey: 'A', toKey: 'B' });
    const inside = await intents.begin('restore', {
      assetId: 'x',
      fromKey: '.dailies-trash/x/c.mov',
      toKey: 'A/c.mov',
    });
    await expect(intents.refuseConflicting(inside)).rejects.toMatchObject({ status: 409 });
    const beside = await intents.begin('rename', { assetId: 'y', fromKey: 'AB/c.mov', toKey: 'AB/d.mov' });
    await expect(intents.refuseConflicting(beside)).resolves.toBeUndefined();
    const sameAsset = await intents.begin('trash', {
      assetId: 'y',
      fromKey: 'AB/c.mov',
      toKey: '.dailies-trash/y/c.mov',
    });
    await expect(intents.refuseConflicting(sameAsset)).rejects.toMatchObject({ status: 409 });
    const sameName = await intents.begin('move', { assetId: 'z', fromKey: 'C/d.mov', toKey: 'AB/d.mov' });
    await expect(intents.refuseConflicting(sameName)).rejects.toMatchObject({ status: 409 });
  });

  it('settle at recovery only the steps of processes that ended (a reused pid too), or stale ones', async () => {
    const catalog = await makeCatalog();
    let now = 10_000_000;
    const intents = new LakeIntents({ catalog, clock: { now: () => now } });
    const settled: string[] = [];
    intents.settleWith('rename', async (intent) => {
      settled.push(intent.owner);
      await catalog.intents.remove(intent.id);
    });
    const base: Omit<LakeIntent, 'id' | 'owner'> = {
      kind: 'rename',
      assetId: 'a',
      fromKey: 'x',
      toKey: 'y',
      detail: {},
      createdAt: now,
    };
    const [host] = PROCESS_TAG.split(':');
    const dead = `${host}:999999:1:run`; // no such pid (above pid_max)
    const parent = `${host}:${process.ppid}:${processStartTime(process.ppid)}:run`; // alive
    const reused = `${host}:${process.ppid}:1:run`; // that pid, but a process long gone
    const elsewhere = 'another-host:1:1:run';
    for (const [id, owner] of [
      ['mine', PROCESS_TAG],
      ['dead', dead],
      ['alive', parent],
      ['remote', elsewhere],
      ['reused', reused],
    ])
      await catalog.intents.add({ ...base, id, owner });
    expect(await intents.recover()).toBe(2);
    expect(settled.sort()).toEqual([dead, reused].sort());
    now += STALE_INTENT_MS + 1;
    expect(await intents.recover()).toBe(2);
    expect(settled.sort()).toEqual([dead, reused, elsewhere, parent].sort());
    expect((await catalog.intents.all()).map((i) => i.id)).toEqual(['mine']);
  });

  it('begin a write under a moving folder only once the move is done: refused (409) or waited out, never held against the move', async () => {
    const catalog = await makeCatalog();
    const intents = new LakeIntents({ catalog, clock: { now: () => 1_000 } });
    const move = await intents.begin('folder.move', { fromKey: 'Day_01', toKey: 'Day 02/Day_01' });
    // Generated keys, with the spellings that must not count as inside (case, prefix, `_` as a wildcard).
    const segment = fc.constantFrom('Day_01', 'day_01', 'Day-01', 'Day_011', 'Day 02', 'Sub', 'x%.mov');
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { minLength: 1, maxLength: 3 }), async (parts) => {
        const key = parts.join('/');
        const inside =
          key === 'Day_01' ||
          key.startsWith('Day_01/') ||
          key.startsWith('Day 02/Day_01/') ||
          key === 'Day 02/Day_01';
        const begun = await intents
          .beginClearOfMoves('folder.create', { fromKey: key, toKey: key }, { wait: false })
          .catch((error) => error);
        if (inside) {
          expect(begun).toBeInstanceOf(FolderMoveUnderWay);
          expect(begun.status).toBe(409);
          expect(begun.message).toBe(
            'The folder "/Day_01" is being moved to "/Day 02/Day_01"; try again once it is done.',
          );
        } else {
          expect(begun).not.toBeInstanceOf(Error);
          await catalog.intents.remove(begun.id);
        }
        // A refused step takes its intent back: the move is never held by it.
        expect((await catalog.intents.all()).map((i) => i.id)).toEqual([move.id]);
      }),
      { numRuns: 60 },
    );
    // Waiting: the step begins once the move's intent is gone, and not before.
    let moveDone = false;
    const waiting = intents
      .beginClearOfMoves('upload', { fromKey: 'u1', toKey: 'Day_01/U.mov' }, { wait: true })
      .then((intent) => ({ intent, moveDone }));
    // Deliberate: a while in which the step must not begin (a "not yet" has no state to poll for).
    await new Promise((r) => setTimeout(r, 300));
    expect((await catalog.intents.all()).map((i) => i.id)).toEqual([move.id]);
    moveDone = true;
    await catalog.intents.remove(move.id);
    const { intent, moveDone: afterMove } = await waiting;
    expect(afterMove).toBe(true);
    expect((await catalog.intents.all()).map((i) => i.id)).toEqual([intent.id]);
  });

  it('let a folder move wait for an earlier overlapping move, not for one elsewhere', async () => {
    const catalog = await makeCatalog();
    let now = 1_000;
    const intents = new LakeIntents({ catalog, clock: { now: () => now++ } });
    const first = await intents.begin('folder.move', { fromKey: 'A', toKey: 'B' });
    const elsewhere = await intents.begin('folder.move', { fromKey: 'D', toKey: 'E/D' });
    const second = await intents.begin('folder.move', { fromKey: 'C', toKey: 'A/X' });
    // The earlier one does not wait for the later; one elsewhere waits for neither.
    await intents.waitForAssetSteps(first);
    await intents.waitForAssetSteps(elsewhere);
    let firstDone = false;
    const waiting = intents.waitForAssetSteps(second).then(() => firstDone);
    // Deliberate: a while in which the later move must keep waiting.
    await new Promise((r) => setTimeout(r, 300));
    firstDone = true;
    await catalog.intents.remove(first.id);
    expect(await waiting).toBe(true);
  });
});
