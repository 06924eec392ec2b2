/**
 * Which lake names are frames of an image sequence, and how frames group into one. Pure: no
 * I/O, so indexing, reconcile and the tests share one answer (fast-check in
 * server/test/unit/frame-names.test.ts).
 *
 * A frame is `<prefix><separator><digits>.<ext>` for the image formats renders and scans
 * write. `plate.0001.dpx` (a dot before the number) is the VFX convention and counts for
 * every format listed. `plate_0001.dpx` and `plate0001.dpx` count only for DPX and EXR:
 * cameras and phones name their stills `IMG_0001.JPG`, `DSC_0001.JPG`, scanners `scan_001.tif`,
 * and those are separate pictures, not a shot. Frames belong together when prefix, separator,
 * extension (as spelt) and the number's width (its padding) are equal; the name never becomes
 * a pattern anywhere (frames are always listed one by one).
 */

export interface FrameName {
  /** Everything before the separator, as spelt (may hold `%`, `*`, `[`: it is only text). */
  prefix: string;
  separator: '.' | '_' | '';
  /** The frame number's digits as written; its length is the padding. */
  digits: string;
  number: number;
  /** The extension as spelt, without the dot. */
  extension: string;
}

const DOT_FORMATS = new Set(['dpx', 'exr', 'tif', 'tiff', 'png', 'jpg', 'jpeg']);
const BARE_FORMATS = new Set(['dpx', 'exr']);
/** More digits than this is an id or a date, not a frame (and stays an exact integer). */
const MAX_DIGITS = 9;
/** Fewer than this without a dot (`take2.exr`) is part of a name. */
const MIN_BARE_DIGITS = 3;

/** The frame a name is, or null for any other name. */
export function parseFrameName(name: string): FrameName | null {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return null;
  const extension = name.slice(dot + 1);
  const format = extension.toLowerCase();
  if (!DOT_FORMATS.has(format)) return null;
  const stem = name.slice(0, dot);
  const match = /^([\s\S]*?)(\d+)$/.exec(stem);
  if (!match) return null;
  const [, before, digits] = match;
  if (digits.length > MAX_DIGITS) return null;
  let prefix: string;
  let separator: FrameName['separator'];
  if (before.endsWith('.')) {
    prefix = before.slice(0, -1);
    separator = '.';
  } else {
    if (!BARE_FORMATS.has(format) || digits.length < MIN_BARE_DIGITS) return null;
    if (before.endsWith('_') && before.length > 1) {
      prefix = before.slice(0, -1);
      separator = '_';
    } else {
      prefix = before;
      separator = '';
    }
  }
  // A name that is all number (`0001.dpx`, `.0001.dpx`) has nothing to call the shot by.
  if (prefix.length === 0) return null;
  return { prefix, separator, digits, number: Number(digits), extension };
}

/**
 * What frames of one sequence share: equal keys, one sequence (within one folder). Joined by
 * `/`, which no name holds (and PostgreSQL's text refuses NUL).
 */
export function sequenceKey(frame: FrameName): string {
  return [frame.prefix, frame.separator, frame.extension, String(frame.digits.length)].join('/');
}

/** A frame's file name again from its parts (`parseFrameName`'s inverse). */
export function frameFileName(
  frame: Pick<FrameName, 'prefix' | 'separator' | 'extension'>,
  number: number,
  padding: number,
): string {
  return `${frame.prefix}${frame.separator}${String(number).padStart(padding, '0')}.${frame.extension}`;
}

/** The name a sequence is shown and searched by: `plate.[0001-0010].dpx`. */
export function sequenceName(
  frame: Pick<FrameName, 'prefix' | 'separator' | 'extension'>,
  first: number,
  last: number,
  padding: number,
): string {
  const pad = (n: number) => String(n).padStart(padding, '0');
  return `${frame.prefix}${frame.separator}[${pad(first)}-${pad(last)}].${frame.extension}`;
}

/** The frame numbers missing between the first and last, as ranges: `[[4, 4], [7, 9]]`. */
export function missingRanges(numbers: readonly number[]): Array<[number, number]> {
  const sorted = [...numbers].sort((a, b) => a - b);
  const out: Array<[number, number]> = [];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] - sorted[i - 1] > 1) out.push([sorted[i - 1] + 1, sorted[i] - 1]);
  }
  return out;
}

export interface FrameGroup<T> {
  key: string;
  /** The first frame's parts (every frame of the group shares them but the number). */
  frame: FrameName;
  padding: number;
  /** By frame number, ascending. */
  frames: Array<{ number: number; item: T }>;
}

/**
 * Groups items (lake objects, names) of ONE folder by sequence. Items whose name is no frame
 * come back in `others`. A group may hold one frame: whether that is a sequence or a still is
 * the caller's rule (a lone frame is a still).
 */
export function groupFrames<T>(
  items: Iterable<T>,
  nameOf: (item: T) => string,
): { groups: FrameGroup<T>[]; others: T[] } {
  const groups = new Map<string, FrameGroup<T>>();
  const others: T[] = [];
  for (const item of items) {
    const frame = parseFrameName(nameOf(item));
    if (!frame) {
      others.push(item);
      continue;
    }
    const key = sequenceKey(frame);
    let group = groups.get(key);
    if (!group) {
      group = { key, frame, padding: frame.digits.length, frames: [] };
      groups.set(key, group);
    }
    group.frames.push({ number: frame.number, item });
  }
  for (const group of groups.values()) group.frames.sort((a, b) => a.number - b.number);
  return { groups: [...groups.values()], others };
}
