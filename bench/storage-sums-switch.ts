/**
 * Turns the storage sums' triggers off and on again, so a bench can time the same write path
 * with and without the bookkeeping in one run (ratios on a shared machine, not absolute times).
 * "On" is what the migrations leave in place now.
 */
import type { Kysely } from 'kysely';
import {
  dropStorageTriggers,
  storageTriggers,
} from '../server/src/adapters/db/migrations/2026-12-03T0500-storage-sums.js';
import { up as leanTriggers } from '../server/src/adapters/db/migrations/2026-12-03T0910-storage-triggers-lean.js';

export type SumsSide = 'on' | 'off';

/** The sides each round times, in an order that rotates so neither always runs first. */
export function sidesOfRound(round: number): SumsSide[] {
  return round % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
}

/** A fresh catalog has the triggers on; `off` drops them. */
export async function setSums(db: Kysely<any>, from: SumsSide, to: SumsSide): Promise<void> {
  if (from === to) return;
  if (to === 'off') return dropStorageTriggers(db);
  await storageTriggers(db);
  await leanTriggers(db);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
