import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  frameDuration,
  framesPerDay,
  framesToRational,
  framesToSeconds,
  framesToTimecode,
  parseRate,
  type Rate,
  secondsToFrames,
  supportsDropFrame,
  timecodeToFrames,
} from '../../src/lib/timecode.js';

const r = (num: number, den = 1): Rate => ({ num, den });
const NTSC_30 = r(30000, 1001);
const NTSC_60 = r(60000, 1001);
const RATES = [r(24000, 1001), r(24), r(25), NTSC_30, r(30), r(48), r(50), NTSC_60, r(60), r(120)];
const rate = fc.constantFrom(...RATES);
const dfRate = fc.constantFrom(NTSC_30, NTSC_60);

describe('lib/timecode', () => {
  it('frames → timecode → frames is the identity within a day, NDF at every rate', () => {
    fc.assert(
      fc.property(rate, fc.nat(), (rate, seed) => {
        const frames = seed % framesPerDay(rate, false);
        expect(timecodeToFrames(framesToTimecode(frames, rate), rate)).toBe(frames);
      }),
      { numRuns: 2000 },
    );
  });

  it('frames → timecode → frames is the identity within a day, drop-frame at 29.97 and 59.94', () => {
    fc.assert(
      fc.property(dfRate, fc.nat(), (rate, seed) => {
        const frames = seed % framesPerDay(rate, true);
        const tc = framesToTimecode(frames, rate, true);
        expect(tc).toMatch(/^\d\d:\d\d:\d\d;\d\d$/);
        expect(timecodeToFrames(tc, rate)).toBe(frames);
      }),
      { numRuns: 2000 },
    );
  });

  it('consecutive drop-frame labels never name a skipped label, and the skipped ones are refused', () => {
    fc.assert(
      fc.property(dfRate, fc.nat(), (rate, seed) => {
        const frames = seed % (framesPerDay(rate, true) - 1);
        const a = timecodeToFrames(framesToTimecode(frames, rate, true), rate)!;
        const b = timecodeToFrames(framesToTimecode(frames + 1, rate, true), rate)!;
        expect(b - a).toBe(1);
      }),
      { numRuns: 1000 },
    );
    for (const minute of [1, 2, 9, 11, 59]) {
      expect(timecodeToFrames(`00:${String(minute).padStart(2, '0')}:00;00`, NTSC_30)).toBeNull();
      expect(timecodeToFrames(`00:${String(minute).padStart(2, '0')}:00;01`, NTSC_30)).toBeNull();
      expect(timecodeToFrames(`00:${String(minute).padStart(2, '0')}:00;02`, NTSC_30)).not.toBeNull();
      expect(timecodeToFrames(`00:${String(minute).padStart(2, '0')}:00;03`, NTSC_60)).toBeNull();
    }
    expect(timecodeToFrames('00:10:00;00', NTSC_30)).toBe(17982);
  });

  it('knows the well-known drop-frame labels', () => {
    // One hour of 29.97 DF is 107,892 frames: 3600 × 30 less 2 × 54 a minute.
    expect(framesToTimecode(107_892, NTSC_30, true)).toBe('01:00:00;00');
    expect(framesToTimecode(1799, NTSC_30, true)).toBe('00:00:59;29');
    expect(framesToTimecode(1800, NTSC_30, true)).toBe('00:01:00;02');
    expect(framesToTimecode(17_981, NTSC_30, true)).toBe('00:09:59;29');
    expect(framesToTimecode(17_982, NTSC_30, true)).toBe('00:10:00;00');
    expect(framesToTimecode(3600, NTSC_60, true)).toBe('00:01:00;04');
    expect(framesPerDay(NTSC_30, true)).toBe(2_589_408);
    // NDF 23.976 counts 24 labels a second.
    expect(framesToTimecode(86_400, r(24000, 1001))).toBe('01:00:00:00');
    expect(framesToTimecode(90_000, r(25))).toBe('01:00:00:00');
    expect(framesToTimecode(180_000 + 49, r(50))).toBe('01:00:00:49');
  });

  it('wraps at 24 hours, both ways', () => {
    fc.assert(
      fc.property(rate, fc.boolean(), fc.integer({ min: -1e9, max: 1e9 }), (rate, df, frames) => {
        const dropFrame = df && supportsDropFrame(rate);
        const day = framesPerDay(rate, dropFrame);
        expect(framesToTimecode(frames + day, rate, dropFrame)).toBe(
          framesToTimecode(frames, rate, dropFrame),
        );
      }),
    );
    expect(framesToTimecode(-1, r(25))).toBe('23:59:59:24');
  });

  it('refuses labels out of range and text that is no timecode', () => {
    for (const bad of [
      '24:00:00:00',
      '00:60:00:00',
      '00:00:60:00',
      '00:00:00:25',
      '1:00:00:00',
      '',
      'aa:bb:cc:dd',
      '00:00:00:00x',
      '-1:00:00:00',
    ]) {
      expect(timecodeToFrames(bad, r(25))).toBeNull();
    }
    // Drop-frame at a rate without it.
    expect(timecodeToFrames('00:00:00;00', r(25))).toBeNull();
    expect(() => framesToTimecode(0, r(25), true)).toThrow(RangeError);
    expect(() => framesToTimecode(Number.NaN, r(25))).toThrow(RangeError);
    expect(() => framesToTimecode(1.5, r(25))).toThrow(RangeError);
  });

  it('writes exact rational times the edit tools read', () => {
    expect(frameDuration(r(24000, 1001))).toBe('1001/24000s');
    expect(frameDuration(NTSC_30)).toBe('1001/30000s');
    expect(frameDuration(r(25))).toBe('1/25s');
    expect(framesToRational(0, r(25))).toBe('0s');
    expect(framesToRational(86_400, r(24000, 1001))).toBe('86486400/24000s');
    expect(framesToRational(90_000, r(25))).toBe('90000/25s');
    fc.assert(
      fc.property(rate, fc.nat({ max: 2 ** 40 }), (rate, frames) => {
        const m = /^(\d+)(?:\/(\d+))?s$/.exec(framesToRational(frames, rate));
        expect(m).not.toBeNull();
        const [num, den] = [BigInt(m![1]), BigInt(m![2] ?? '1')];
        // Exactly frames × den / num seconds, no float on the way.
        expect(num * BigInt(rate.num)).toBe(BigInt(frames) * BigInt(rate.den) * den);
      }),
    );
  });

  it('frames ↔ player seconds round-trips', () => {
    fc.assert(
      fc.property(rate, fc.nat({ max: 24 * 3600 * 120 }), (rate, frames) => {
        expect(secondsToFrames(framesToSeconds(frames, rate), rate)).toBe(frames);
      }),
    );
  });

  it('reads rates as ratios and as the names people use', () => {
    expect(parseRate('24000/1001')).toEqual(r(24000, 1001));
    expect(parseRate('48000/2002')).toEqual(r(24000, 1001));
    expect(parseRate('25/1')).toEqual(r(25));
    expect(parseRate('25')).toEqual(r(25));
    expect(parseRate('23.976')).toEqual(r(24000, 1001));
    expect(parseRate('29.97')).toEqual(r(30000, 1001));
    expect(parseRate('59.94')).toEqual(r(60000, 1001));
    for (const bad of [
      null,
      '',
      '0/1',
      '1/0',
      '-25',
      'NaN',
      '1e3',
      '25.5',
      '0',
      '99999999999/1',
      ' 25/1x',
      '25/1/1',
    ]) {
      expect(parseRate(bad)).toBeNull();
    }
    expect(supportsDropFrame(NTSC_30)).toBe(true);
    expect(supportsDropFrame(r(24000, 1001))).toBe(false);
    expect(supportsDropFrame(r(30))).toBe(false);
  });
});
