import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';

interface Deps {
  catalog: Catalog;
  clock: Clock;
  processing: ProcessingTrigger;
  /** How long frames must stay unchanged before the sequence is processed. */
  quietMs: number;
}

/** Sequences handed to processing per turn; the rest wait for the next (a turn is a second). */
const PER_TURN = 500;

/**
 * The debounce of image sequences: indexing only marks a sequence dirty when its frames change;
 * this hands it to processing once nothing changed for `quietMs`. The mark is cleared only if it
 * is still the one read (a frame arriving meanwhile keeps it dirty), so several processes may
 * run this at once and a sequence is queued once per quiet spell (the probe job's key does the
 * rest). The mark is in the catalog, so a restart forgets nothing.
 */
export class SequenceSettler {
  constructor(private readonly deps: Deps) {}

  async settleQuiet(): Promise<number> {
    const { catalog, clock, processing, quietMs } = this.deps;
    let queued = 0;
    for (const { assetId, dirtyAt } of await catalog.sequences.quiet(clock.now() - quietMs, PER_TURN)) {
      if (!(await catalog.sequences.settle(assetId, dirtyAt))) continue;
      const asset = await catalog.assets.get(assetId);
      if (!asset || asset.trashedAt !== null) continue;
      await processing.assetsIngested([asset]);
      queued++;
    }
    return queued;
  }
}
