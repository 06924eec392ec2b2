import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keepBothName } from '../../src/features/uploads/keep-both-name.js';
import { checkName, extensionOf, isReservedName, nameKey } from '../../src/lib/paths.js';

/** Valid names, with odd parts: `%`, `_`, dots, Unicode, long runs, a number already there. */
const part = fc.stringMatching(/^[A-Za-z0-9éÉßσΣ_%()\u{1F3AC}-][A-Za-z0-9éÉßσΣ _%().\u{1F3AC}-]{0,300}$/u);
const validName = fc
  .tuple(part, fc.option(fc.stringMatching(/^[A-Za-z0-9]{1,8}$/)))
  .map(([stem, ext]) => (ext ? `${stem}.${ext}` : stem))
  .filter((name) => {
    try {
      checkName(name);
      return !isReservedName(name);
    } catch {
      return false;
    }
  });

describe('keepBothName', () => {
  it('names the second and third copy as desktops do', () => {
    expect(keepBothName('A001C003.mov', 2)).toBe('A001C003 (2).mov');
    expect(keepBothName('A001C003.mov', 3)).toBe('A001C003 (3).mov');
    expect(keepBothName('A001C003 (2).mov', 2)).toBe('A001C003 (3).mov');
    expect(keepBothName('README', 2)).toBe('README (2)');
    expect(keepBothName('.env', 2)).toBe('.env (2)');
    expect(keepBothName('Take 50% (final)_v2.wav', 2)).toBe('Take 50% (final)_v2 (2).wav');
    expect(keepBothName('scene.tar.gz', 2)).toBe('scene.tar (2).gz');
  });

  it('refuses a number that is not a copy: 0, 1, negative, fractional, NaN', () => {
    for (const n of [0, 1, -2, 2.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => keepBothName('a.mov', n)).toThrow(RangeError);
  });

  it('gives a valid name, never the original nor its twin, keeping the extension, within 255 bytes', () => {
    fc.assert(
      fc.property(validName, fc.integer({ min: 2, max: 1_000_000 }), (name, n) => {
        const next = keepBothName(name, n);
        expect(() => checkName(next)).not.toThrow();
        expect(Buffer.byteLength(next, 'utf8')).toBeLessThanOrEqual(255);
        expect(nameKey(next)).not.toBe(nameKey(name));
        if (Buffer.byteLength(name, 'utf8') < 200) expect(extensionOf(next)).toBe(extensionOf(name));
      }),
      { numRuns: 500 },
    );
  });

  it('gives distinct names for distinct numbers', () => {
    fc.assert(
      fc.property(
        validName,
        fc.integer({ min: 2, max: 1000 }),
        fc.integer({ min: 2, max: 1000 }),
        (name, a, b) => {
          fc.pre(a !== b);
          expect(nameKey(keepBothName(name, a))).not.toBe(nameKey(keepBothName(name, b)));
        },
      ),
    );
  });
});
