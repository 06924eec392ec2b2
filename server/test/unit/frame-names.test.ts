import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  frameFileName,
  groupFrames,
  missingRanges,
  parseFrameName,
  sequenceName,
} from '../../src/features/sequences/frame-names.js';

/** Prefixes an attacker or a careless day would write: patterns, globs, brackets, Unicode twins. */
const prefix = fc.oneof(
  fc.constantFrom(
    'plate',
    'plate%d',
    'plate%04d',
    'a*b',
    'shot[1-3]',
    'v2',
    'Ｐlate',
    'platé',
    'plate\u0301',
    'x.y',
    '%',
    '_',
  ),
  fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('/') && !s.includes('\0')),
);
const extension = fc.constantFrom('dpx', 'DPX', 'exr', 'png', 'PNG', 'jpg', 'jpeg', 'tif', 'tiff');
const separator = fc.constantFrom('.', '_', '');

/** One sequence as its parts: a bare or `_` form only where the rule accepts it. */
const sequence = fc
  .record({
    prefix,
    separator,
    extension,
    padding: fc.integer({ min: 1, max: 9 }),
    numbers: fc.uniqueArray(fc.integer({ min: 0, max: 999_999_999 }), { minLength: 1, maxLength: 30 }),
  })
  .map((s) => {
    const bare = s.separator !== '.';
    const extension = bare ? (s.extension.toLowerCase().startsWith('d') ? 'dpx' : 'exr') : s.extension;
    // Without a dot the number is the trailing digits, so the prefix must not end in one.
    // Without a separator the number is the trailing digits, and a trailing `.` or `_` would
    // be read as the separator: such a prefix is the other form's, so it gets a letter.
    const prefix = s.separator === '' && /[\d._]$/.test(s.prefix) ? `${s.prefix}x` : s.prefix;
    const separator = s.separator;
    const padding = bare ? Math.max(3, s.padding) : s.padding;
    const numbers = s.numbers.filter((n) => String(n).length <= padding);
    return { ...s, prefix, separator, extension, padding, numbers: numbers.length > 0 ? numbers : [1] };
  });

describe('frame names', () => {
  it('reads the VFX forms and refuses what is no frame', () => {
    expect(parseFrameName('plate.0001.dpx')).toMatchObject({
      prefix: 'plate',
      separator: '.',
      number: 1,
      digits: '0001',
    });
    expect(parseFrameName('plate_0001.exr')).toMatchObject({ prefix: 'plate', separator: '_', number: 1 });
    expect(parseFrameName('plate0100.dpx')).toMatchObject({ prefix: 'plate', separator: '', number: 100 });
    expect(parseFrameName('shot.v2.0010.PNG')).toMatchObject({
      prefix: 'shot.v2',
      extension: 'PNG',
      number: 10,
    });
    // Cameras' and phones' stills are pictures, not a shot.
    for (const still of ['IMG_0001.JPG', 'DSC_0001.jpg', 'scan_001.tif', 'photo0001.png'])
      expect(parseFrameName(still)).toBeNull();
    for (const other of [
      'clip.0001.mov',
      'plate.dpx',
      '0001.dpx',
      '.0001.png',
      'plate.0001.',
      'take2.exr',
      'p.1234567890.dpx',
      'plate.0001.dpx.bak',
    ])
      expect(parseFrameName(other)).toBeNull();
  });

  it('a frame name parses back into itself', () => {
    fc.assert(
      fc.property(sequence, (s) => {
        for (const n of s.numbers) {
          const name = frameFileName(s, n, s.padding);
          const frame = parseFrameName(name);
          expect(frame).not.toBeNull();
          expect(frameFileName(frame!, frame!.number, frame!.digits.length)).toBe(name);
          expect(frame!.number).toBe(n);
        }
      }),
    );
  });

  it('groups each sequence into one, in frame order, whatever the listing order and the other files', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(sequence, {
          minLength: 1,
          maxLength: 4,
          selector: (s) => [s.prefix, s.separator, s.extension, s.padding].join('\0'),
        }),
        fc.array(fc.constantFrom('notes.txt', 'A001.mov', 'IMG_0001.JPG', 'plate.dpx', 'readme'), {
          maxLength: 5,
        }),
        fc.integer(),
        (sequences, others, seed) => {
          const names = [
            ...sequences.flatMap((s) => s.numbers.map((n) => frameFileName(s, n, s.padding))),
            ...others,
          ];
          // A listing in any order.
          const shuffled = names
            .map((name, i) => ({ name, k: Math.imul(i + 1, seed | 1) >>> 0 }))
            .sort((a, b) => a.k - b.k)
            .map((x) => x.name);
          const { groups, others: rest } = groupFrames(shuffled, (n) => n);
          expect(rest.sort()).toEqual([...others].sort());
          expect(groups).toHaveLength(sequences.length);
          for (const s of sequences) {
            const group = groups.find(
              (g) =>
                g.frame.prefix === s.prefix &&
                g.frame.separator === s.separator &&
                g.frame.extension === s.extension &&
                g.padding === s.padding,
            );
            expect(group).toBeDefined();
            expect(group!.frames.map((f) => f.number)).toEqual([...s.numbers].sort((a, b) => a - b));
          }
        },
      ),
    );
  });

  it('names a sequence by its range and lists its gaps', () => {
    const frame = parseFrameName('plate.0001.dpx')!;
    expect(sequenceName(frame, 1, 10, 4)).toBe('plate.[0001-0010].dpx');
    expect(missingRanges([1, 2, 3, 5, 6, 10])).toEqual([
      [4, 4],
      [7, 9],
    ]);
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 200 }),
        (numbers) => {
          const missing = missingRanges(numbers).flatMap(([a, b]) =>
            Array.from({ length: b - a + 1 }, (_, i) => a + i),
          );
          const min = Math.min(...numbers);
          const max = Math.max(...numbers);
          expect(missing.length + numbers.length).toBe(max - min + 1);
          const present = new Set(numbers);
          expect(missing.filter((m) => present.has(m))).toEqual([]);
        },
      ),
    );
  });
});
