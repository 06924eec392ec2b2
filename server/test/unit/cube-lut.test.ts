import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CUBE_MAX_BYTES, parseCube } from '../../src/features/looks/cube-lut.js';
import { AppError } from '../../src/lib/errors.js';
import { cube3d } from '../support/looks.js';

function refusal(text: string): string {
  try {
    parseCube(text);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).status).toBe(400);
    return (error as Error).message;
  }
  throw new Error('accepted');
}

describe('.cube LUTs', () => {
  it('reads 1D and 3D LUTs, comments, titles, domains and Windows line ends', () => {
    const three = parseCube(cube3d(2, (r, g, b) => [r, g, b]).replaceAll('\n', '\r\n'));
    expect(three).toMatchObject({ dimensions: 3, size: 2 });
    expect(three.cube.split('\n')[0]).toBe('LUT_3D_SIZE 2');
    expect(three.digest).toMatch(/^[0-9a-f]{64}$/);
    const one = parseCube(
      '# a curve\nLUT_1D_SIZE 3\nDOMAIN_MIN 0 0 0\nDOMAIN_MAX 1 1 1\n0 0 0\n0.5 0.5 0.5\n1 1 1\n',
    );
    expect(one).toMatchObject({ dimensions: 1, size: 3 });
    expect(one.cube).toContain('0.5 0.5 0.5');
    // Resolve's input range is a domain.
    expect(parseCube('LUT_1D_SIZE 2\nLUT_1D_INPUT_RANGE 0 4\n0 0 0\n1 1 1').cube).toContain(
      'DOMAIN_MAX 4 4 4',
    );
  });

  it('refuses what is not exactly one well-formed LUT, naming the line', () => {
    expect(refusal('0 0 0\n')).toMatch(/line 1: a row before LUT_1D_SIZE/);
    expect(refusal('TITLE "x"\n')).toMatch(/no LUT_1D_SIZE or LUT_3D_SIZE/);
    expect(refusal('LUT_3D_SIZE 2\n0 0 0\n')).toMatch(/a 2-point 3D LUT has 8 rows, this one has 1/);
    expect(refusal(`${cube3d(2, () => [0, 0, 0])}\n0 0 0`)).toMatch(/has 8 rows, this one has 9/);
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\nNaN 0 0')).toMatch(/line 3: "NaN" is not a number/);
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\nInfinity 0 0')).toMatch(/is not a number/);
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\n0x10 0 0')).toMatch(/is not a number/);
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\n1e400 0 0')).toMatch(/out of range|not a number/);
    expect(refusal('LUT_1D_SIZE 2\n0 0\n1 1 1')).toMatch(/line 2: expected three numbers, found 2/);
    expect(refusal('LUT_3D_SIZE 66\n')).toMatch(/from 2 to 65, not 66/);
    expect(refusal('LUT_3D_SIZE 1\n')).toMatch(/from 2 to 65, not 1/);
    expect(refusal('LUT_3D_SIZE -5\n')).toMatch(/one whole number/);
    expect(refusal('LUT_3D_SIZE 99999999999\n')).toMatch(/one whole number/);
    expect(refusal('LUT_1D_SIZE 65537\n')).toMatch(/from 2 to 65536/);
    expect(refusal('LUT_1D_SIZE 2\nLUT_3D_SIZE 2\n')).toMatch(/a second LUT size/);
    expect(refusal('LUT_1D_SIZE 2\nDOMAIN_MIN 1 0 0\nDOMAIN_MAX 1 1 1\n0 0 0\n1 1 1')).toMatch(
      /DOMAIN_MIN must be below/,
    );
    expect(refusal('LUT_1D_SIZE 2\nLUT_FILE /etc/passwd\n0 0 0\n1 1 1')).toMatch(
      /unknown keyword "LUT_FILE"/,
    );
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\n1 1 1\nTITLE "late"')).toMatch(/TITLE after the table/);
    expect(refusal('LUT_1D_SIZE 2\n0 0 0\u0000\n1 1 1')).toMatch(/not a text file/);
    expect(refusal(`LUT_1D_SIZE 2\n${'#'.repeat(CUBE_MAX_BYTES)}`)).toMatch(/larger than 16 MiB/);
  });

  it('writes back every value it read, whatever the spelling (property)', () => {
    const value = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(value, value, value), { minLength: 2, maxLength: 40 }), (rows) => {
        const text = `LUT_1D_SIZE ${rows.length}\n${rows.map((r) => r.map((v) => v.toExponential(12)).join('   ')).join('\n')}`;
        const parsed = parseCube(text);
        const back = parsed.cube
          .trim()
          .split('\n')
          .slice(3)
          .map((line) => line.split(' ').map(Number));
        expect(back).toHaveLength(rows.length);
        for (const [i, row] of back.entries()) {
          for (const [c, v] of row.entries()) {
            expect(Math.abs(v - rows[i][c])).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(rows[i][c])));
          }
        }
        // The normalised text is itself a valid cube with the same digest.
        expect(parseCube(parsed.cube).digest).toBe(parsed.digest);
      }),
    );
  });

  it('never throws anything but a 400 on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (junk) => {
        for (const text of [junk, `LUT_3D_SIZE 2\n${junk}`, `LUT_1D_SIZE 2\n0 0 0\n${junk}`]) {
          try {
            parseCube(text);
          } catch (error) {
            expect((error as AppError).status).toBe(400);
          }
        }
      }),
    );
  });
});
