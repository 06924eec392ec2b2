import {
  framesToTimecode,
  parseTimecode,
  type Rate,
  rateText,
  supportsDropFrame,
  timecodeBase,
} from '../../lib/timecode.js';
import { type BinClip, effectiveDropFrame } from './bin-clip.js';

/**
 * A bin counts every clip in one timecode (ALE's FPS heading is one number). The bin's rate is
 * the one most of its clips have; a clip at another rate keeps its start label (10:00:00:00
 * at 25 stays 10:00:00:00) and its length in real time.
 */
export interface BinTiming {
  rate: Rate;
  dropFrame: boolean;
}

/** Used when no clip has a video rate (audio only, stills). */
export const FALLBACK_RATE: Rate = { num: 25, den: 1 };

export function binTiming(clips: BinClip[], fallback: Rate = FALLBACK_RATE): BinTiming {
  const counts = new Map<string, { rate: Rate; dropFrame: boolean; count: number }>();
  for (const clip of clips) {
    if (!clip.rate) continue;
    const dropFrame = effectiveDropFrame(clip);
    const key = `${rateText(clip.rate)}${dropFrame ? ';' : ':'}`;
    const entry = counts.get(key) ?? { rate: clip.rate, dropFrame, count: 0 };
    entry.count += 1;
    counts.set(key, entry);
  }
  let best: { rate: Rate; dropFrame: boolean; count: number } | null = null;
  for (const entry of counts.values()) if (!best || entry.count > best.count) best = entry;
  return best ? { rate: best.rate, dropFrame: best.dropFrame } : { rate: fallback, dropFrame: false };
}

const sameRate = (a: Rate, b: Rate) => a.num === b.num && a.den === b.den;

/** The clip's first frame and length counted in the bin's timing. */
export function clipSpan(clip: BinClip, timing: BinTiming): { start: number; frames: number } {
  if (clip.rate && sameRate(clip.rate, timing.rate) && effectiveDropFrame(clip) === timing.dropFrame) {
    return {
      start: clip.startFrame,
      frames: clip.frames ?? secondsToBinFrames(clip.durationSeconds, timing.rate),
    };
  }
  let start = 0;
  if (clip.rate) {
    const label = parseTimecode(framesToTimecode(clip.startFrame, clip.rate, effectiveDropFrame(clip)))!;
    const base = timecodeBase(timing.rate);
    const labelFrames = Math.min(label.frames, base - 1);
    // The same label in the bin's timecode, whose frame field may count fewer frames.
    start = labelToFrames(label.hours, label.minutes, label.seconds, labelFrames, timing);
  }
  return { start, frames: secondsToBinFrames(clip.durationSeconds, timing.rate) };
}

function labelToFrames(hh: number, mm: number, ss: number, ff: number, timing: BinTiming): number {
  const base = timecodeBase(timing.rate);
  const minutes = hh * 60 + mm;
  let n = (minutes * 60 + ss) * base + ff;
  if (timing.dropFrame && supportsDropFrame(timing.rate)) {
    const drop = (base / 30) * 2;
    // A label drop-frame skips is taken as the first that exists after it.
    const skipped = ss === 0 && ff < drop && mm % 10 !== 0 ? drop - ff : 0;
    n += skipped - drop * (minutes - Math.floor(minutes / 10));
  }
  return n;
}

function secondsToBinFrames(seconds: number | null, rate: Rate): number {
  if (seconds === null || !Number.isFinite(seconds) || seconds <= 0) return 0;
  return Math.round((seconds * rate.num) / rate.den);
}

/** The FPS heading Avid reads: 23.976, 25, 29.97, 59.94. */
export function aleFps(rate: Rate): string {
  return String(Math.round((rate.num / rate.den) * 1000) / 1000);
}
