import type { TechnicalMetadata } from '../../ports/media.js';

/**
 * Decoder options for a still image, so a huge one (16000×16000) fits a tool's memory limit.
 * One thread: a still is one frame, and a frame-threaded decoder holds a whole frame per
 * thread (a 12000×12000 PNG needed over 768 MiB of address space threaded, under it alone);
 * the JPEG encoder's frame threads likewise (`STILL_ENCODE`, an output option).
 * JPEG decodes straight to a half, quarter or eighth of its size (`-lowres`) when what is
 * made from it is that much smaller: the full picture is never in memory.
 */
export function stillDecodeOptions(
  source: TechnicalMetadata,
  wanted: { width: number } | { longestSide: number },
): string[] {
  if (source.kind !== 'image') return [];
  const stream = (
    source.raw.ffprobe as { streams?: Array<{ codec_type?: string; codec_name?: string }> } | null
  )?.streams?.find((s) => s.codec_type === 'video');
  const [side, target] =
    'width' in wanted
      ? [source.image?.width ?? 0, wanted.width]
      : [Math.max(source.image?.width ?? 0, source.image?.height ?? 0), wanted.longestSide];
  return ['-threads', '1', ...(stream?.codec_name === 'mjpeg' ? lowres(side, target) : [])];
}

/** The largest power-of-two reduction (at most 8, mjpeg's limit) that keeps `side` at least `wanted`. */
export function lowres(side: number, wanted: number): string[] {
  if (!Number.isFinite(side) || !Number.isFinite(wanted) || side <= 0 || wanted <= 0) return [];
  let level = 0;
  while (level < 3 && side / 2 ** (level + 1) >= wanted) level++;
  return level > 0 ? ['-lowres', String(level)] : [];
}

/** Output options for the one JPEG made from a still: no frame threads to allocate. */
export const STILL_ENCODE = ['-threads', '1'];
