import { createHash } from 'node:crypto';
import { Invalid } from '../../lib/errors.js';

/**
 * Reads an Adobe/Resolve `.cube` LUT and writes it back in the plain form ffmpeg's lut1d/lut3d
 * read. Everything is checked before a byte reaches ffmpeg: a file that is not exactly one
 * well-formed LUT is refused with the line and the reason, so a look never fails later in every
 * proxy of a folder.
 */

/** The largest file accepted (a 65-point 3D LUT with long numbers is about 9 MB). */
export const CUBE_MAX_BYTES = 16 * 1024 * 1024;
/** Points per axis of a 3D LUT: 2 to 65 (cameras and grading tools ship 17, 33 or 65). */
export const CUBE_3D_MAX = 65;
/** Entries of a 1D LUT: 2 to 65536 (ffmpeg's limit). */
export const CUBE_1D_MAX = 65536;
/** Output values outside this are no colour any display shows: a broken or hostile file. */
const VALUE_LIMIT = 1e6;

export interface ParsedCube {
  dimensions: 1 | 3;
  size: number;
  /** The normalised text: size, domain, then the rows, one per line. */
  cube: string;
  digest: string;
}

export function parseCube(text: string): ParsedCube {
  if (Buffer.byteLength(text, 'utf8') > CUBE_MAX_BYTES)
    throw new Invalid(`The LUT is larger than ${CUBE_MAX_BYTES / 1024 / 1024} MiB.`);
  if (text.includes('\u0000')) throw new Invalid('The LUT is not a text file.');
  let dimensions: 1 | 3 | null = null;
  let size = 0;
  let domainMin = [0, 0, 0];
  let domainMax = [1, 1, 1];
  const rows: number[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  const fail = (line: number, why: string): never => {
    throw new Invalid(`The LUT is not a valid .cube file: line ${line}: ${why}`);
  };
  for (let index = 0; index < lines.length; index++) {
    const number = index + 1;
    const line = lines[index].trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const keyword = words[0].toUpperCase();
    if (/^[A-Z_]/.test(keyword) && !/^(NAN|INF|INFINITY)$/.test(keyword)) {
      if (rows.length > 0) fail(number, `${words[0]} after the table's rows.`);
      switch (keyword) {
        case 'TITLE':
          break;
        case 'LUT_1D_SIZE':
        case 'LUT_3D_SIZE': {
          if (dimensions !== null) fail(number, 'a second LUT size; a file holds one LUT.');
          dimensions = keyword === 'LUT_1D_SIZE' ? 1 : 3;
          const max = dimensions === 1 ? CUBE_1D_MAX : CUBE_3D_MAX;
          if (words.length !== 2 || !/^\d{1,6}$/.test(words[1]))
            fail(number, `${keyword} needs one whole number.`);
          size = Number(words[1]);
          if (size < 2 || size > max) fail(number, `${keyword} must be from 2 to ${max}, not ${size}.`);
          break;
        }
        case 'DOMAIN_MIN':
          domainMin = triple(words, number, fail);
          break;
        case 'DOMAIN_MAX':
          domainMax = triple(words, number, fail);
          break;
        case 'LUT_1D_INPUT_RANGE':
        case 'LUT_3D_INPUT_RANGE': {
          if (words.length !== 3) fail(number, `${keyword} needs two numbers.`);
          const [low, high] = [finite(words[1], number, fail), finite(words[2], number, fail)];
          domainMin = [low, low, low];
          domainMax = [high, high, high];
          break;
        }
        default:
          fail(number, `unknown keyword ${JSON.stringify(words[0].slice(0, 40))}.`);
      }
      continue;
    }
    if (dimensions === null) fail(number, 'a row before LUT_1D_SIZE or LUT_3D_SIZE.');
    rows.push(...triple(words, number, fail));
  }
  if (dimensions === null)
    throw new Invalid('The LUT is not a valid .cube file: it has no LUT_1D_SIZE or LUT_3D_SIZE.');
  const expected = dimensions === 3 ? size ** 3 : size;
  if (rows.length / 3 !== expected) {
    throw new Invalid(
      `The LUT is not a valid .cube file: a ${size}-point ${dimensions}D LUT has ${expected} rows, this one has ${rows.length / 3}.`,
    );
  }
  for (let c = 0; c < 3; c++) {
    if (!(domainMin[c] < domainMax[c]))
      throw new Invalid(
        'The LUT is not a valid .cube file: DOMAIN_MIN must be below DOMAIN_MAX in each channel.',
      );
  }
  const out: string[] = [
    `LUT_${dimensions}D_SIZE ${size}`,
    `DOMAIN_MIN ${domainMin.map(format).join(' ')}`,
    `DOMAIN_MAX ${domainMax.map(format).join(' ')}`,
  ];
  for (let i = 0; i < rows.length; i += 3)
    out.push(`${format(rows[i])} ${format(rows[i + 1])} ${format(rows[i + 2])}`);
  const cube = `${out.join('\n')}\n`;
  return { dimensions, size, cube, digest: createHash('sha256').update(cube).digest('hex') };
}

function triple(words: string[], line: number, fail: (line: number, why: string) => never): number[] {
  const values =
    /^[A-Z_]/i.test(words[0]) && !/^(nan|inf|infinity)$/i.test(words[0]) ? words.slice(1) : words;
  if (values.length !== 3) fail(line, `expected three numbers, found ${values.length}.`);
  return values.map((word) => finite(word, line, fail));
}

function finite(word: string, line: number, fail: (line: number, why: string) => never): number {
  // Plain decimal numbers only: no NaN, Infinity, hex or empty strings that Number() accepts.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d{1,3})?$/.test(word))
    fail(line, `${JSON.stringify(word.slice(0, 40))} is not a number.`);
  const value = Number(word);
  if (!Number.isFinite(value) || Math.abs(value) > VALUE_LIMIT)
    fail(line, `${word.slice(0, 40)} is out of range.`);
  return value;
}

/** Enough digits to keep a float's value, none of JavaScript's exponent forms ffmpeg might misread. */
function format(value: number): string {
  // Below a trillionth is nothing a picture holds; -0 would print as "-0".
  if (Math.abs(value) < 1e-12) return '0';
  const text = Number(value.toPrecision(9)).toString();
  return /e/i.test(text) ? value.toFixed(12).replace(/\.?0+$/, '') : text;
}
