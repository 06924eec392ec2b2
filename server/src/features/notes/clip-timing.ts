import {
  durationFrames,
  parseRate,
  type Rate,
  supportsDropFrame,
  timecodeToFrames,
} from '../../lib/timecode.js';
import type { Asset, StoredMetadata } from '../../ports/catalog.js';

/**
 * How an asset counts frames: its video rate, the frame its source timecode gives the first
 * frame (drop-frame when the timecode says `;`), and its length in frames. A note's position
 * and a bin's timecodes are computed from it. Null for assets with no video rate (audio,
 * stills, files not probed yet).
 */
export interface ClipTiming {
  rate: Rate;
  dropFrame: boolean;
  startFrame: number;
  /** Null when neither the probe's frame count nor a duration is known. */
  frames: number | null;
}

export function clipTiming(asset: Asset, record: StoredMetadata['record'] | null): ClipTiming | null {
  const video = record?.video[0];
  const rate = parseRate(video?.frameRate ?? asset.frameRate);
  if (!rate) return null;
  const timecode = record?.general.startTimecode ?? null;
  const dropFrame = timecode !== null && /[;,]/.test(timecode) && supportsDropFrame(rate);
  const startFrame = (timecode && timecodeToFrames(timecode, rate, dropFrame)) || 0;
  const seconds = video?.durationSeconds ?? record?.general.durationSeconds ?? asset.duration;
  const counted = video?.frameCount;
  const frames =
    counted !== null && counted !== undefined && Number.isSafeInteger(counted) && counted >= 0
      ? counted
      : seconds !== null && seconds !== undefined && Number.isFinite(seconds) && seconds >= 0
        ? durationFrames(seconds, rate)
        : null;
  return { rate, dropFrame, startFrame, frames };
}
