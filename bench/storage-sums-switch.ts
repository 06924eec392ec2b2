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

/**
 * A fresh catalog has the triggers on; `off` drops them, `on` makes them again as the lean
 * migration left them (a later migration that changes the triggers must be added here too).
 */
export async function setSums(db: Kysely<any>, from: SumsSide, to: SumsSide): Promise<void> {
  if (from === to) return;
  if (to === 'off') return dropStorageTriggers(db);
  await storageTriggers(db);
  await leanTriggers(db);
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Overhead in percent of `on` over `off`, two ways: the ratio of the medians, and the median of
 * each round's own ratio (sample i of both sides ran in the same round, a moment apart, so a
 * change in the machine's load between rounds cancels out).
 */
export function overhead(off: number[], on: number[]) {
  const paired = off.map((o, i) => on[i]! / o);
  return {
    off: Math.round(median(off) * 100) / 100,
    on: Math.round(median(on) * 100) / 100,
    overheadPercent: Math.round((median(on) / median(off) - 1) * 1000) / 10,
    pairedOverheadPercent: Math.round((median(paired) - 1) * 1000) / 10,
  };
}
