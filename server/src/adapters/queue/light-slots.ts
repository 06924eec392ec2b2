/**
 * How many of a job name's `concurrency` workers take only light jobs: as asked, but never
 * all of them (heavy jobs need a worker too) and never below zero; a bad number is none.
 */
export function lightSlotCount(concurrency: number, asked: number | undefined): number {
  if (asked === undefined || !Number.isFinite(asked) || asked <= 0) return 0;
  return Math.max(0, Math.min(Math.floor(asked), concurrency - 1));
}
