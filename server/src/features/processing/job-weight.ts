import type { TechnicalMetadata } from '../../ports/media.js';

/**
 * Whether an asset's derivative jobs are heavy: they take long enough that, run in every
 * worker at once, everyone else's quick assets would wait behind them. Heavy jobs never run in
 * the workers kept for light ones (`JobQueue`'s lanes, `jobs/work-options.ts`).
 */
/** Video: more than five minutes of 1080p25, in pixels decoded. */
export const HEAVY_VIDEO_PIXELS = 1920 * 1080 * 25 * 300;
/** Stills: more than 64 megapixels (8000×8000) in one decode. */
export const HEAVY_IMAGE_PIXELS = 64_000_000;
/** Audio alone: more than an hour. */
export const HEAVY_AUDIO_SECONDS = 3600;

export function heavyMedia(
  record: Pick<TechnicalMetadata, 'kind' | 'general' | 'video' | 'image' | 'audio'>,
): boolean {
  const duration = positive(record.general.durationSeconds);
  if (record.kind === 'image')
    return positive(record.image?.width) * positive(record.image?.height) > HEAVY_IMAGE_PIXELS;
  if (record.kind === 'video') {
    const video = record.video[0];
    const rate = positive(video?.frameRateValue) || 25;
    const pixels =
      positive(video?.width) *
      positive(video?.height) *
      rate *
      (duration || positive(video?.durationSeconds));
    return pixels > HEAVY_VIDEO_PIXELS;
  }
  if (record.kind === 'audio') return duration * Math.max(1, record.audio.length) > HEAVY_AUDIO_SECONDS;
  return false;
}

function positive(value: number | null | undefined): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
