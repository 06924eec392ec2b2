import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automaticLog } from '../../src/features/logging/automatic-log.js';
import { parseCameraName } from '../../src/features/logging/camera-names.js';

const letter = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
const digits = (n: number) => fc.integer({ min: 0, max: 10 ** n - 1 }).map((v) => String(v).padStart(n, '0'));
const alnum = (n: number) =>
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789'), minLength: n, maxLength: n });
const ext = fc.constantFrom('mxf', 'MXF', 'mov', 'R3D', 'braw', 'MP4', 'ari');

/** Names as each camera writes them, with what they must parse to. */
const cameraNames = fc
  .record({
    cam: letter,
    reel: digits(3),
    clip: digits(3),
    date6: digits(6),
    date4: digits(4),
    time: digits(8),
    tail: alnum(4),
    pair: alnum(2),
    segment: digits(3),
    ext,
    scheme: fc.constantFrom('arri', 'sony', 'canon', 'red', 'bmd'),
    lower: fc.boolean(),
  })
  .map((p) => {
    const base = {
      arri: `${p.cam}${p.reel}C${p.clip}_${p.date6}_R${p.tail.slice(0, 3)}`,
      sony: `${p.cam}${p.reel}C${p.clip}_${p.date6}${p.pair}`,
      canon: `${p.cam}${p.reel}C${p.clip}_${p.date6}${p.pair}_CANON`,
      red: `${p.cam}${p.reel}_C${p.clip}_${p.date4}${p.pair}_${p.segment}`,
      bmd: `${p.cam}${p.reel}_${p.time}_C${p.clip}`,
    }[p.scheme];
    const name = `${p.lower ? base.toLowerCase() : base}.${p.ext}`;
    return {
      name,
      expected: { camera: p.cam, reel: `${p.cam}${p.reel}`, clip: `${p.cam}${p.reel}C${p.clip}` },
    };
  });

describe('camera file names', () => {
  it('reads the examples of each maker', () => {
    expect(parseCameraName('A001C003_220314_R1AB.mxf')).toEqual({
      camera: 'A',
      reel: 'A001',
      clip: 'A001C003',
    });
    expect(parseCameraName('A001_C003_0314AB_001.R3D')).toEqual({
      camera: 'A',
      reel: 'A001',
      clip: 'A001C003',
    });
    expect(parseCameraName('B002C017_220314XY.MXF')).toEqual({ camera: 'B', reel: 'B002', clip: 'B002C017' });
    expect(parseCameraName('C004_03141230_C012.braw')).toEqual({
      camera: 'C',
      reel: 'C004',
      clip: 'C004C012',
    });
    expect(parseCameraName('a001c003.mov')).toEqual({ camera: 'A', reel: 'A001', clip: 'A001C003' });
    // The Kelvin sign is canonically a K (NFC), as the catalog stores the name.
    expect(parseCameraName('\u212a001C003.mov')).toEqual({ camera: 'K', reel: 'K001', clip: 'K001C003' });
  });

  it('every name a camera writes parses to its camera, reel and clip (any case, any extension)', () => {
    fc.assert(
      fc.property(cameraNames, ({ name, expected }) => {
        expect(parseCameraName(name)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('names that only look similar are not guessed at', () => {
    for (const name of [
      'IMG_0001.MOV',
      'A1C3.mov',
      'A001C03_x.mov',
      'AA001C003.mov',
      'A001C003X.mov',
      'A001D003_220314.mxf',
      '_A001C003.mxf',
      'ＡＢ001C003.mov',
      'Å001C003.mov',
      'A００1C003.mov',
      'ſ001C003.mov',
      '',
    ])
      expect(parseCameraName(name), name).toBeNull();
  });

  it('any text parses or not, never throws, and a result is upper case ASCII', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (name) => {
        const parsed = parseCameraName(name);
        if (parsed) {
          expect(parsed.reel).toMatch(/^[A-Z]\d{3}$/);
          expect(parsed.clip.startsWith(parsed.reel)).toBe(true);
          expect(parsed.camera).toBe(parsed.reel[0]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});

describe('automatic log values', () => {
  const withReel = (reelName: string | null) => ({
    general: {
      format: null,
      formatProfile: null,
      durationSeconds: null,
      sizeBytes: 0,
      overallBitrate: null,
      startTimecode: null,
      reelName,
    },
  });

  it('the name gives camera and reel; a recorded reel wins over the name', () => {
    expect(automaticLog('A001C003_220314_R1AB.mxf')).toEqual({
      camera: { value: 'A', source: 'name' },
      reel: { value: 'A001', source: 'name' },
    });
    expect(automaticLog('A001C003_220314_R1AB.mxf', withReel(' tape 7 '))).toEqual({
      camera: { value: 'A', source: 'name' },
      reel: { value: 'TAPE 7', source: 'metadata' },
    });
    expect(automaticLog('interview.mov', withReel('R1AB'))).toEqual({
      reel: { value: 'R1AB', source: 'metadata' },
    });
    expect(automaticLog('interview.mov', withReel(null))).toEqual({});
  });

  it('a recorded reel that no person could type is left out', () => {
    expect(automaticLog('interview.mov', withReel('x'.repeat(65)))).toEqual({});
    expect(automaticLog('interview.mov', withReel('a\nb'))).toEqual({});
    expect(automaticLog('interview.mov', withReel('   '))).toEqual({});
  });
});
