import { Invalid, NotFound } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DownloadLink, DownloadService } from '../downloads/download.service.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';
import { rateOf } from '../processing/sequence-input.js';
import { missingRanges } from './frame-names.js';

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  clock: Clock;
  events: EventBus;
  processing: ProcessingTrigger;
  downloads: DownloadService;
}

export interface SequenceView {
  assetId: string;
  first: number;
  last: number;
  /** Frames present. */
  frameCount: number;
  /** Frames the range spans, missing ones included (what the proxy plays). */
  span: number;
  /** Missing frame numbers as inclusive ranges. */
  missing: Array<[number, number]>;
  padding: number;
  /** The rate it plays at, and the one a person chose (null: the default, 24). */
  frameRate: string;
  chosenFrameRate: string | null;
  frames: Array<{ number: number; name: string; size: number }>;
}

/** Highest rate a person may choose; past it a typo (`24000` for `24000/1001`) is likelier. */
const MAX_RATE = 1000;

/**
 * An image sequence as an asset's detail: its range, gaps and frames, its frame rate (chosen
 * per asset; changing it makes the derivatives again) and links to single frames. Every call
 * checks the asset as any asset is checked: a hidden and a missing one are the same 404.
 */
export class SequencesService {
  constructor(private readonly deps: Deps) {}

  async describe(actor: Actor, id: string): Promise<SequenceView> {
    const { sequence, frames } = await this.visibleSequence(actor, id);
    const rate = rateOf(sequence);
    const first = frames[0].number;
    const last = frames[frames.length - 1].number;
    return {
      assetId: id,
      first,
      last,
      frameCount: frames.length,
      span: last - first + 1,
      missing: missingRanges(frames.map((f) => f.number)),
      padding: sequence.padding,
      frameRate: `${rate.num}/${rate.den}`,
      chosenFrameRate: sequence.frameRate,
      frames: frames.map((f) => ({ number: f.number, name: f.name, size: f.size })),
    };
  }

  /** Chooses the rate (`25`, `24000/1001`; null: back to the default) and makes the derivatives again. */
  async setFrameRate(actor: Actor, id: string, frameRate: string | null): Promise<SequenceView> {
    const { catalog, audit, processing, events } = this.deps;
    const { folderPath } = await this.visibleSequence(actor, id);
    const chosen = frameRate === null ? null : parseRate(frameRate);
    await catalog.sequences.update(id, { frameRate: chosen });
    await catalog.assets.update(id, { state: 'pending', stateReason: null, currentJob: null });
    const asset = await catalog.assets.get(id);
    if (asset) await processing.assetsIngested([asset]);
    await audit.record(actor, 'asset.sequence.rate', { type: 'asset', id }, { frameRate: chosen });
    events.publish({ type: 'asset.changed', assetId: id, folderPath });
    return this.describe(actor, id);
  }

  frameLinks(actor: Actor, id: string, numbers: number[], address?: string): Promise<DownloadLink[]> {
    return this.deps.downloads.links(actor, [id], address, numbers);
  }

  private async visibleSequence(actor: Actor, id: string) {
    const { catalog, access } = this.deps;
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, [id]);
    const sequence = await catalog.sequences.get(id);
    const frames = sequence ? await catalog.sequences.frames(id) : [];
    if (!sequence || frames.length < 2) throw new NotFound('The asset is not an image sequence.');
    return { sequence, frames, folderPath: folderPaths.get(assets[0].folderId) ?? '/' };
  }
}

/** `24`, `25/1`, `24000/1001` → a reduced `num/den`; anything else (0, NaN, huge, `1e3`) is refused. */
export function parseRate(text: string): string {
  const match = /^\s*(\d{1,7})(?:\s*\/\s*(\d{1,7}))?\s*$/.exec(text);
  const num = match ? Number(match[1]) : Number.NaN;
  const den = match?.[2] !== undefined ? Number(match[2]) : 1;
  if (!(num > 0 && den > 0) || num / den > MAX_RATE || num / den < 1 / 1000)
    throw new Invalid(
      `"${text}" is not a frame rate: give frames per second as a whole number (24) or a ratio (24000/1001), at most ${MAX_RATE}.`,
    );
  const g = gcd(num, den);
  return `${num / g}/${den / g}`;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
