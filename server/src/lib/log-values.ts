import { Invalid } from './errors.js';

/** Control characters other than tab and line breaks, and text-direction controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const LINE_BREAK = /[\t\r\n\u2028\u2029]/;

export const MAX_CODE_LENGTH = 64;
export const MAX_DESCRIPTION_LENGTH = 4000;
export const MAX_CUSTOM_TEXT_LENGTH = 500;

/**
 * A slate code (camera, reel, scene, take) as stored: trimmed, inner spaces collapsed, NFC,
 * upper case, so `12a`, ` 12A ` and a decomposed accent are one scene on every catalog.
 * Empty is null. Line breaks and control characters are refused.
 */
export function normaliseCode(value: string | null | undefined, what: string): string | null {
  if (value === null || value === undefined) return null;
  const text = value.normalize('NFC').trim().replace(/ +/g, ' ');
  if (text === '') return null;
  if (CONTROL.test(text) || LINE_BREAK.test(text))
    throw new Invalid(`The ${what} cannot contain line breaks or control characters.`);
  if ([...text].length > MAX_CODE_LENGTH)
    throw new Invalid(`The ${what} is longer than ${MAX_CODE_LENGTH} characters.`);
  return text.toUpperCase();
}

/** Free text (description, custom text): NFC, trimmed, line breaks kept, at most `max` characters. */
export function normaliseText(value: string | null | undefined, what: string, max: number): string | null {
  if (value === null || value === undefined) return null;
  const text = value.normalize('NFC').replace(/\r\n?/g, '\n').trim();
  if (text === '') return null;
  if (CONTROL.test(text)) throw new Invalid(`The ${what} cannot contain control characters.`);
  if ([...text].length > max) throw new Invalid(`The ${what} is longer than ${max} characters.`);
  return text;
}

/** What a search compares a custom text value by: NFC, case folded, spaces collapsed. */
export function foldLogValue(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** `yes`/`no` spelled the ways a person or a spreadsheet says them; undefined when neither. */
export function parseYesNo(value: string): boolean | undefined {
  const v = value.normalize('NFC').trim().toLowerCase();
  if (['yes', 'y', 'true', '1', 'x', '✓', '✔', '*', 'circled', 'circle', 'ok', 'good'].includes(v))
    return true;
  if (['no', 'n', 'false', '0', '', '-', 'not circled'].includes(v)) return false;
  return undefined;
}
