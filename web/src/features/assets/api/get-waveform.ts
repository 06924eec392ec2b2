import { useQuery } from '@tanstack/react-query';

/** The server's audio peaks (`asset.waveform` job): min/max pairs in -1..1, all tracks together. */
export interface Waveform {
  durationSeconds: number;
  /** `[min0, max0, min1, max1, …]`. */
  peaks: number[];
  /** The same per audio track, when the server drew each (absent in older waveforms). */
  tracks?: number[][];
}

async function getWaveform(assetId: string, signal?: AbortSignal): Promise<Waveform | null> {
  const response = await fetch(`/api/assets/${assetId}/waveform`, { credentials: 'same-origin', signal });
  // None made (yet): the view shows the audio without it.
  if (!response.ok) return null;
  const body = (await response.json()) as Partial<Waveform>;
  if (!Array.isArray(body.peaks) || typeof body.durationSeconds !== 'number') return null;
  const tracks = Array.isArray(body.tracks) && body.tracks.every(Array.isArray) ? body.tracks : undefined;
  return { durationSeconds: body.durationSeconds, peaks: body.peaks, ...(tracks ? { tracks } : {}) };
}

export function useWaveform(assetId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['assets', 'waveform', assetId],
    queryFn: ({ signal }) => getWaveform(assetId, signal),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** At most `columns` min/max pairs: each column keeps the extremes of the peaks it covers. */
export function downsample(peaks: number[], columns: number): Array<[number, number]> {
  const pairs = Math.floor(peaks.length / 2);
  const count = Math.max(1, Math.min(columns, pairs));
  const out: Array<[number, number]> = [];
  for (let c = 0; c < count; c++) {
    const from = Math.floor((c * pairs) / count);
    const to = Math.max(from + 1, Math.floor(((c + 1) * pairs) / count));
    let min = 0;
    let max = 0;
    for (let i = from; i < to && i < pairs; i++) {
      min = Math.min(min, peaks[2 * i]);
      max = Math.max(max, peaks[2 * i + 1]);
    }
    out.push([min, max]);
  }
  return out;
}
