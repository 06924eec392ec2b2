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
