/**
 * The MHL repository (card verifications and asset verdicts) on both catalogs: a card's save
 * replaces its verdicts, an asset moves between nested cards, lists past the bound-parameter
 * limit, summaries keep Unicode and odd text, epoch times survive as numbers.
 *
 * Real: an in-memory SQLite database and a fresh PostgreSQL database, migrated.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KyselyMhlRepository } from '../../src/adapters/db/mhl.repository.js';
import type { AssetMhlCheck, MhlCard } from '../../src/ports/mhl.js';
import { migratedDatabase } from '../support/migrated-catalog.js';
import { testDatabaseUrl } from '../support/services.js';

const mhlOf = async (databaseUrl?: string) => new KyselyMhlRepository(await migratedDatabase(databaseUrl));

const card = (folderId: string, patch: Partial<MhlCard> = {}): MhlCard => ({
  folderId,
  checkedAt: 1_796_000_000_123,
  generations: 2,
  verified: 1,
  mismatched: 0,
  unlisted: 0,
  missing: [],
  problems: [],
  ...patch,
});
const check = (
  assetId: string,
  cardFolderId: string,
  verdict: AssetMhlCheck['verdict'] = 'verified',
): AssetMhlCheck => ({
  assetId,
  cardFolderId,
  verdict,
  formats: 'xxh64',
  reason: null,
  checkedAt: 1_796_000_000_123,
});

describe.each([
  ['SQLite', () => mhlOf()],
  ['PostgreSQL', async () => mhlOf(await testDatabaseUrl())],
])('MHL repository (%s)', (_name, make) => {
  it('a save replaces the card and its verdicts; odd text and big times round-trip', async () => {
    const repo = await make();
    const a = randomUUID();
    const b = randomUUID();
    await repo.saveCard(card('c1'), [check(a, 'c1'), check(b, 'c1', 'mismatch')]);
    const missing = ['Clips/Café\u0301 %_\'".mov', '日本/🎬.mov'];
    await repo.saveCard(card('c1', { verified: 0, missing, problems: ['<x> & "y"'] }), [
      check(a, 'c1', 'unlisted'),
    ]);
    expect(await repo.card('c1')).toEqual(card('c1', { verified: 0, missing, problems: ['<x> & "y"'] }));
    expect(await repo.checksFor([a, b])).toEqual([check(a, 'c1', 'unlisted')]);
    expect(await repo.card('nope')).toBeNull();
  });

  it('an asset under two nested cards keeps the verdict of the last saved', async () => {
    const repo = await make();
    const a = randomUUID();
    await repo.saveCard(card('inner'), [check(a, 'inner')]);
    await repo.saveCard(card('outer'), [check(a, 'outer', 'mismatch')]);
    expect(await repo.checksFor([a])).toEqual([check(a, 'outer', 'mismatch')]);
    // The inner card saved again takes it back; the outer card's save without it leaves it there.
    await repo.saveCard(card('inner'), [check(a, 'inner')]);
    await repo.saveCard(card('outer'), []);
    expect(await repo.checksFor([a])).toEqual([check(a, 'inner')]);
  });

  it('cards and verdicts past the bound-parameter limit', async () => {
    const repo = await make();
    const ids = Array.from({ length: 1_234 }, () => randomUUID());
    await repo.saveCard(
      card('big'),
      ids.map((id) => check(id, 'big')),
    );
    expect((await repo.checksFor(ids)).length).toBe(1_234);
    const folders = Array.from({ length: 1_100 }, (_, i) => `f${i}`);
    await repo.saveCard(card('f777'), []);
    expect(await repo.cardsAmong([...folders, 'big'])).toEqual(new Set(['f777', 'big']));
    expect(await repo.cardsAmong([])).toEqual(new Set());
  });
});
