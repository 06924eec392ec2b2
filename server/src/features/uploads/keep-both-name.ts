import { validateName } from '../../lib/paths.js';

const MAX_NAME_BYTES = 255;
/** `Clip (2)` → base `Clip`, number 2: a copy of a copy counts on instead of nesting `(2) (2)`. */
const NUMBERED = /^(.*\S) \((\d{1,9})\)$/;

/**
 * The name "keep both" gives the `n`th file (n ≥ 2) arriving under a taken name, as desktops do:
 * `A001.mov` → `A001 (2).mov`, `A001 (2).mov` → `A001 (3).mov` (n counts from the number already
 * there), `README` → `README (2)`. The extension stays, so the file still opens in its
 * application; a base too long for 255 bytes is shortened by whole characters. The result is a
 * valid name whenever the original is.
 */
export function keepBothName(name: string, n: number): string {
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`keepBothName: n must be an integer ≥ 2, got ${n}`);
  const dot = name.lastIndexOf('.');
  // A leading dot names a hidden file (`.env`), not an extension.
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const numbered = NUMBERED.exec(stem);
  const base = numbered ? numbered[1] : stem;
  const number = numbered ? Number(numbered[2]) + n - 1 : n;
  const suffix = ` (${number})${extension}`;
  const room = MAX_NAME_BYTES - Buffer.byteLength(suffix, 'utf8');
  const kept = fitBytes(base, room).trimEnd();
  // An extension too long to leave room for any of the name: the number goes at the very end.
  if (kept === '')
    return validateName(`${fitBytes(name, MAX_NAME_BYTES - 12).trimEnd()} (${number})`, 'file name');
  return validateName(`${kept}${suffix}`, 'file name');
}

/** The longest prefix of whole code points that fits in `bytes` UTF-8 bytes. */
function fitBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text, 'utf8') <= bytes) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const size = Buffer.byteLength(char, 'utf8');
    if (used + size > bytes) break;
    out += char;
    used += size;
  }
  return out;
}
