import { RangeNotSatisfiable } from './errors.js';

/** A byte range from a `Range` header, end inclusive; `end` may lie past the object (clamp it). */
export interface RequestedRange {
  start: number;
  end: number;
}

/** `bytes=a-b`, `bytes=a-`, `bytes=-n` (the last n bytes, once `size` is known); several ranges are served whole. */
export function parseRange(header: string | undefined, size?: number): RequestedRange | null {
  const match = header?.match(/^bytes=(\d*)-(\d*)$/);
  if (!match || (match[1] === '' && match[2] === '')) return null;
  if (match[1] === '') {
    if (size === undefined) return null;
    const suffix = Number(match[2]);
    return suffix > 0 ? { start: Math.max(0, size - suffix), end: size - 1 } : null;
  }
  const start = Number(match[1]);
  // Open-ended: to the end, however far the start lies (a start past the end is then 416, not ignored).
  const end = match[2] ? Number(match[2]) : Number.POSITIVE_INFINITY;
  return end >= start ? { start, end } : null;
}

/**
 * The bytes of a `size`-byte body a Range header asks for, clamped to the body: null for the
 * whole body (no header, or one this server serves whole), a 416 when it starts at or past the
 * end. Every ranged answer (downloads, derivatives) goes through here and `rangeReply`.
 */
export function satisfiableRange(
  header: string | undefined,
  size: number,
  what: string,
): RequestedRange | null {
  const range = parseRange(header, size);
  if (!range) return null;
  if (range.start >= size)
    throw new RangeNotSatisfiable(`The ${what} has ${size} bytes; the range starts at byte ${range.start}.`);
  return { start: range.start, end: Math.min(range.end, size - 1) };
}

/** Status and length headers of a body of `size` bytes sent whole or as `range`. */
export function rangeReply(
  size: number,
  range: RequestedRange | null,
): { status: 200 | 206; headers: Record<string, string | number> } {
  if (!range) return { status: 200, headers: { 'content-length': size } };
  return {
    status: 206,
    headers: {
      'content-range': `bytes ${range.start}-${range.end}/${size}`,
      'content-length': range.end - range.start + 1,
    },
  };
}
