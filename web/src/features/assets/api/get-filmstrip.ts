import { useQuery } from '@tanstack/react-query';

export interface FilmstripCue {
  start: number;
  end: number;
  /** The sprite sheet, resolved against the cues' own address. */
  sprite: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

const seconds = (stamp: string) =>
  stamp
    .split(':')
    .map(Number)
    .reduce((total, part) => total * 60 + part, 0);

/** The filmstrip's WebVTT: each interval of the media and its tile (`sprite.jpg#xywh=x,y,w,h`). */
export function parseFilmstrip(vtt: string, base: string): FilmstripCue[] {
  const cues: FilmstripCue[] = [];
  const lines = vtt.split(/\r?\n/);
  for (let i = 0; i < lines.length - 1; i++) {
    const time = /^([\d:.]+)\s+-->\s+([\d:.]+)/.exec(lines[i]);
    const tile = time && /^(.+)#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(lines[i + 1].trim());
    if (!time || !tile) continue;
    cues.push({
      start: seconds(time[1]),
      end: seconds(time[2]),
      sprite: new URL(tile[1], new URL(base, window.location.origin)).pathname,
      x: Number(tile[2]),
      y: Number(tile[3]),
      width: Number(tile[4]),
      height: Number(tile[5]),
    });
  }
  return cues;
}

async function getFilmstrip(assetId: string, signal?: AbortSignal): Promise<FilmstripCue[]> {
  const url = `/api/assets/${assetId}/filmstrip.vtt`;
  const response = await fetch(url, { credentials: 'same-origin', signal });
  // No filmstrip (a still, audio, or not made yet): nothing to scrub, not an error to show.
  if (!response.ok) return [];
  return parseFilmstrip(await response.text(), url);
}

/** Asked for only once a pointer rests on the card, so a folder of cards does not fetch them all. */
export function useFilmstrip(assetId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['assets', 'filmstrip', assetId],
    queryFn: ({ signal }) => getFilmstrip(assetId, signal),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });
}
