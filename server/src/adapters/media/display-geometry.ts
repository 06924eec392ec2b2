/**
 * How a picture is shown, from how it is stored: non-square pixels stretch it (the sample
 * aspect ratio), and a phone turned on its side stores a landscape picture with a rotation
 * for the player. Dailies lists, searches and facets the shown size: a portrait phone clip is
 * 1080×1920 9:16 even though its frames are coded 1920×1080.
 */
import type { DisplayGeometry } from '../../ports/media.js';

/**
 * Rotation as Dailies keeps it: clockwise degrees, the nearest quarter-turn. ffprobe's display
 * matrix says counter-clockwise degrees (`rotation: -90` for an upright phone clip), the old
 * `rotate` tag and mediainfo say clockwise. A value that is not a finite number is no rotation.
 */
export function clockwiseQuarterTurn(degrees: number, direction: 'clockwise' | 'counterclockwise'): number {
  if (!Number.isFinite(degrees)) return 0;
  const clockwise = direction === 'clockwise' ? degrees : -degrees;
  const turns = Math.round(clockwise / 90);
  return (((turns % 4) + 4) % 4) * 90;
}

/**
 * The shown geometry of a `width`×`height` picture with the given sample aspect ratio (`n:d`,
 * or the display aspect ratio the container states, which wins when both are known) turned by
 * `rotation` clockwise degrees (a quarter-turn).
 */
export function displayGeometry(input: {
  width: number;
  height: number;
  sampleAspectRatio?: string | null;
  displayAspectRatio?: string | null;
  rotation?: number;
}): DisplayGeometry {
  const width = positive(input.width);
  const height = positive(input.height);
  const rotation = clockwiseQuarterTurn(input.rotation ?? 0, 'clockwise');
  const stated = parseRatio(input.displayAspectRatio);
  let sar = parseRatio(input.sampleAspectRatio);
  if (stated && width && height) sar = reduce(stated[0] * height, stated[1] * width);
  sar ??= width && height ? [1, 1] : null;
  // Stretched along the side that grows, never shrunk: no detail is lost, and a 1-pixel side
  // of a tall pixel never rounds to nothing.
  const wide = !sar || sar[0] >= sar[1];
  const shownWidth = width && sar && wide ? Math.round((width * sar[0]) / sar[1]) : width;
  const shownHeight = height && sar && !wide ? Math.round((height * sar[1]) / sar[0]) : height;
  const dar = shownWidth && shownHeight && sar ? reduce(width * sar[0], height * sar[1]) : null;
  const turned = rotation === 90 || rotation === 270;
  const displayWidth = turned ? shownHeight : shownWidth;
  const displayHeight = turned ? shownWidth : shownHeight;
  const displayDar = dar ? (turned ? [dar[1], dar[0]] : dar) : null;
  return {
    rotation,
    sampleAspectRatio: sar ? `${sar[0]}:${sar[1]}` : null,
    displayWidth,
    displayHeight,
    displayAspectRatio: displayDar ? `${displayDar[0]}:${displayDar[1]}` : null,
    displayAspect: displayDar ? displayDar[0] / displayDar[1] : null,
  };
}

function positive(value: number): number {
  return Number.isFinite(value) && value > 0 ? Math.round(value) : 0;
}

/** `n:d` or `n/d` with both positive integers (ffprobe writes `0:1` for "unknown"). */
function parseRatio(value: string | null | undefined): [number, number] | null {
  const match = /^(\d{1,9})[:/](\d{1,9})$/.exec(value ?? '');
  if (!match) return null;
  const [n, d] = [Number(match[1]), Number(match[2])];
  return n > 0 && d > 0 ? reduce(n, d) : null;
}

function reduce(n: number, d: number): [number, number] {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(n, d) || 1;
  return [n / g, d / g];
}
