import { Invalid } from '../../lib/errors.js';
import { foldLogValue, normaliseCode, parseYesNo } from '../../lib/log-values.js';
import type { CustomLogField } from '../../ports/asset-log.js';
import type { SearchFilters } from '../../ports/search.js';

type LogFilters = Pick<
  SearchFilters,
  'cameras' | 'reels' | 'scenes' | 'takes' | 'circled' | 'ratingMin' | 'custom'
>;

/** `key:value` or `key:"two words"`; the key is letters, digits and _. */
const TERM = /(?<![\p{L}\p{N}_])([A-Za-z][A-Za-z0-9_]*):(?:"([^"]*)"|([^\s"]+))/gu;

const CODES = { camera: 'cameras', reel: 'reels', scene: 'scenes', take: 'takes' } as const;

/**
 * Takes the words of a query that name a logging field (`scene:12 circled:yes lens:35mm`)
 * out of the text and returns them as filters; other `x:y` words stay text. Values compare
 * as stored: codes in upper case, custom text case-folded, numbers exactly.
 */
export function logTerms(q: string, fields: CustomLogField[]): { text: string; filters: LogFilters } {
  const filters: LogFilters = {};
  const byKey = new Map(fields.map((f) => [f.key, f]));
  const text = q.replace(
    TERM,
    (whole, rawKey: string, quoted: string | undefined, bare: string | undefined) => {
      const key = rawKey.toLowerCase();
      const value = quoted ?? bare ?? '';
      if (key in CODES) {
        const code = normaliseCode(value, key);
        if (code === null) throw new Invalid(`Say which ${key} to find after "${key}:".`);
        const name = CODES[key as keyof typeof CODES];
        const list = filters[name] ?? [];
        if (!list.includes(code)) filters[name] = [...list, code];
        return ' ';
      }
      if (key === 'circled') {
        const yes = parseYesNo(value);
        if (yes === undefined || value.trim() === '')
          throw new Invalid(`"circled:" takes yes or no, not "${value}".`);
        filters.circled = yes;
        return ' ';
      }
      if (key === 'rating') {
        if (!/^[0-5]$/.test(value)) throw new Invalid(`"rating:" takes 0 to 5 stars, not "${value}".`);
        filters.ratingMin = Number(value);
        return ' ';
      }
      const field = byKey.get(key);
      if (!field) return whole;
      if (field.kind === 'number') {
        const number = Number(value);
        if (value.trim() === '' || !Number.isFinite(number))
          throw new Invalid(`"${field.key}:" takes a number, not "${value}".`);
        filters.custom = [...(filters.custom ?? []), { fieldId: field.id, number }];
      } else {
        filters.custom = [...(filters.custom ?? []), { fieldId: field.id, text: foldLogValue(value) }];
      }
      return ' ';
    },
  );
  return { text, filters };
}
