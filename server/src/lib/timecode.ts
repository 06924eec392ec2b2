/**
 * SMPTE timecode over exact rational frame rates: frames ↔ `HH:MM:SS:FF`, drop-frame
 * (`HH:MM:SS;FF`) for 29.97 and 59.94, and frames as exact rational seconds (`1001/24000s`),
 * which FCPXML needs. Pure: no I/O, no floating point in anything that is written out.
 */

/** A frame rate as an exact ratio: 24000/1001, 25/1. */
export interface Rate {
  num: number;
  den: number;
}

const DAY_SECONDS = 24 * 60 * 60;

/** `24000/1001`, `25/1`, `25`, and the usual decimal names (`23.976`, `29.97`, `59.94`); null when not a rate. */
export function parseRate(text: string | null | undefined): Rate | null {
  if (!text) return null;
  const trimmed = text.trim();
  const ratio = /^(\d{1,9})\/(\d{1,9})$/.exec(trimmed);
  if (ratio) return checkedRate(Number(ratio[1]), Number(ratio[2]));
  const decimal = /^\d{1,4}(\.\d{1,6})?$/.exec(trimmed);
  if (!decimal) return null;
  const value = Number(trimmed);
  // A decimal a camera or tool writes for an NTSC rate means the /1001 rate, never the float.
  const nominal = Math.round(value);
  if (!decimal[1]) return checkedRate(nominal, 1);
  if (Math.abs(value - (nominal * 1000) / 1001) < 0.01) return checkedRate(nominal * 1000, 1001);
  return null;
}

function checkedRate(num: number, den: number): Rate | null {
  if (!Number.isSafeInteger(num) || !Number.isSafeInteger(den) || num <= 0 || den <= 0) return null;
  const g = gcd(num, den);
  const rate = { num: num / g, den: den / g };
  // Below 1 fps or above 1000 fps is no video rate a timecode counts.
  const value = rate.num / rate.den;
  return value >= 1 && value <= 1000 ? rate : null;
}

export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y) [x, y] = [y, x % y];
  return x;
}

export function rateText(rate: Rate): string {
  return `${rate.num}/${rate.den}`;
}

/** Frames a timecode counts per second: 24 for 23.976, 30 for 29.97. */
export function timecodeBase(rate: Rate): number {
  return Math.round(rate.num / rate.den);
}

/** Drop-frame exists only for the NTSC rates whose base is a multiple of 30 (29.97, 59.94). */
export function supportsDropFrame(rate: Rate): boolean {
  const base = timecodeBase(rate);
  return rate.den === 1001 && rate.num === base * 1000 && base % 30 === 0;
}

/** Frame labels skipped at each minute not divisible by ten: 2 at 29.97, 4 at 59.94. */
function droppedPerMinute(rate: Rate): number {
  return (timecodeBase(rate) / 30) * 2;
}

/** Frames in a 24-hour timecode day: where a timecode wraps. */
export function framesPerDay(rate: Rate, dropFrame: boolean): number {
  const base = timecodeBase(rate);
  if (!dropFrame) return base * DAY_SECONDS;
  const drop = droppedPerMinute(rate);
  // 24 hours × (60 minutes, 54 of which drop).
  return base * DAY_SECONDS - 24 * 54 * drop;
}

/**
 * The label of frame `frames` (counted from 00:00:00:00), wrapping at 24 hours; `;` before the
 * frames when drop-frame.
 */
export function framesToTimecode(frames: number, rate: Rate, dropFrame = false): string {
  if (!Number.isSafeInteger(frames)) throw new RangeError(`Not a frame count: ${frames}`);
  if (dropFrame && !supportsDropFrame(rate)) throw new RangeError(`No drop-frame at ${rateText(rate)}`);
  const base = timecodeBase(rate);
  const day = framesPerDay(rate, dropFrame);
  let n = ((frames % day) + day) % day;
  if (dropFrame) {
    const drop = droppedPerMinute(rate);
    const perTenMinutes = base * 600 - drop * 9;
    const perMinute = base * 60 - drop;
    const tens = Math.floor(n / perTenMinutes);
    const rest = n % perTenMinutes;
    // The first minute of each ten keeps all its labels; the other nine skip `drop` at their start.
    n += drop * 9 * tens + (rest > drop ? drop * Math.floor((rest - drop) / perMinute) : 0);
  }
  const ff = n % base;
  const totalSeconds = Math.floor(n / base);
  const ss = totalSeconds % 60;
  const mm = Math.floor(totalSeconds / 60) % 60;
  const hh = Math.floor(totalSeconds / 3600);
  const framesWidth = Math.max(2, String(base - 1).length);
  return `${two(hh)}:${two(mm)}:${two(ss)}${dropFrame ? ';' : ':'}${String(ff).padStart(framesWidth, '0')}`;
}

const two = (n: number) => String(n).padStart(2, '0');

/** What a timecode says: its fields and whether it is drop-frame (`;` or `.` before the frames). */
export interface TimecodeFields {
  hours: number;
  minutes: number;
  seconds: number;
  frames: number;
  dropFrame: boolean;
}

export function parseTimecode(text: string): TimecodeFields | null {
  const match = /^(\d{2}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$/.exec(text.trim());
  if (!match) return null;
  return {
    hours: Number(match[1]),
    minutes: Number(match[2]),
    seconds: Number(match[3]),
    frames: Number(match[5]),
    dropFrame: match[4] === ';' || match[4] === ',',
  };
}

/**
 * The frame a timecode labels, counted from 00:00:00:00. Null when it is no label at this
 * rate: a field out of range, or a drop-frame label that is skipped (00:01:00;00 at 29.97).
 * Drop-frame follows the text's `;` unless `dropFrame` says otherwise.
 */
export function timecodeToFrames(text: string, rate: Rate, dropFrame?: boolean): number | null {
  const fields = parseTimecode(text);
  if (!fields) return null;
  const df = dropFrame ?? fields.dropFrame;
  if (df && !supportsDropFrame(rate)) return null;
  const base = timecodeBase(rate);
  const { hours, minutes, seconds, frames } = fields;
  if (hours > 23 || minutes > 59 || seconds > 59 || frames >= base) return null;
  const totalMinutes = hours * 60 + minutes;
  let n = (totalMinutes * 60 + seconds) * base + frames;
  if (df) {
    const drop = droppedPerMinute(rate);
    if (seconds === 0 && frames < drop && minutes % 10 !== 0) return null;
    n -= drop * (totalMinutes - Math.floor(totalMinutes / 10));
  }
  return n;
}

/** `n` frames as exact rational seconds, the way FCPXML writes times: `86486400/24000s`, `0s`. */
export function framesToRational(frames: number, rate: Rate): string {
  if (!Number.isSafeInteger(frames) || frames < 0) throw new RangeError(`Not a frame count: ${frames}`);
  if (frames === 0) return '0s';
  // Kept over the rate's numerator (the timescale), as the edit tools write them.
  const value = frames * rate.den;
  return rate.num === 1 ? `${value}s` : `${value}/${rate.num}s`;
}

/** One frame's duration as FCPXML writes it: `1001/24000s`, `1/25s`. */
export function frameDuration(rate: Rate): string {
  return rate.num === 1 ? `${rate.den}s` : `${rate.den}/${rate.num}s`;
}

/** Seconds from the clip's start to frame `frames`, for a player's clock. */
export function framesToSeconds(frames: number, rate: Rate): number {
  return (frames * rate.den) / rate.num;
}

/** The frame shown at `seconds` (the one that started at or before it). */
export function secondsToFrames(seconds: number, rate: Rate): number {
  // A hair of slack so 1001/24000 × n read back from a float lands on n, not n − 1.
  return Math.floor((seconds * rate.num) / rate.den + 1e-6);
}

/** Frames a clip of `seconds` holds at this rate, to the nearest frame. */
export function durationFrames(seconds: number, rate: Rate): number {
  return Math.round((seconds * rate.num) / rate.den);
}
