import { Invalid } from '../../lib/errors.js';
import {
  MAX_CUSTOM_TEXT_LENGTH,
  MAX_DESCRIPTION_LENGTH,
  normaliseCode,
  normaliseText,
} from '../../lib/log-values.js';
import { type CustomLogField, LOG_CODES, type LogPatch } from '../../ports/asset-log.js';

/** A log edit as the API takes it: a patch's fields, custom ones by their key. */
export type LogInput = LogPatch;

/**
 * Checks an edit and turns it into what the catalog stores: codes normalised, text trimmed,
 * a rating a whole 0..5, custom values by field id and of their field's kind. A bad value is
 * a 400 naming the field.
 */
export function toLogPatch(input: LogInput, fields: CustomLogField[]): LogPatch {
  const patch: LogPatch = {};
  for (const code of LOG_CODES) {
    if (input[code] !== undefined) patch[code] = normaliseCode(input[code], code);
  }
  if (input.circled !== undefined) {
    if (typeof input.circled !== 'boolean') throw new Invalid('Circled is true or false.');
    patch.circled = input.circled;
  }
  if (input.rating !== undefined) {
    const r = input.rating;
    if (r !== null && !(Number.isInteger(r) && r >= 0 && r <= 5))
      throw new Invalid('The rating is a whole number of stars from 0 to 5, or null.');
    patch.rating = r;
  }
  if (input.description !== undefined)
    patch.description = normaliseText(input.description, 'description', MAX_DESCRIPTION_LENGTH);
  if (input.custom !== undefined) {
    const byKey = new Map(fields.map((f) => [f.key, f]));
    patch.custom = {};
    for (const [key, value] of Object.entries(input.custom)) {
      const field = byKey.get(key);
      if (!field) throw new Invalid(`There is no custom field "${key}".`, { field: `custom.${key}` });
      patch.custom[field.id] = customValue(field, value);
    }
  }
  if (
    Object.keys(patch).length === 0 ||
    (patch.custom && Object.keys(patch).length === 1 && Object.keys(patch.custom).length === 0)
  )
    throw new Invalid('Name at least one field to change.');
  return patch;
}

export function customValue(field: CustomLogField, value: unknown): string | number | null {
  if (value === null) return null;
  const label = `"${field.label}"`;
  if (field.kind === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value))
      throw new Invalid(`${label} takes a number.`, { field: `custom.${field.key}` });
    return value;
  }
  if (typeof value !== 'string') throw new Invalid(`${label} takes text.`, { field: `custom.${field.key}` });
  const text = normaliseText(value, field.label, MAX_CUSTOM_TEXT_LENGTH);
  if (text === null || field.kind === 'text') return text;
  const choice = field.choices.find((c) => c.toLowerCase() === text.toLowerCase());
  if (choice === undefined)
    throw new Invalid(`${label} is one of: ${field.choices.join(', ')}.`, { field: `custom.${field.key}` });
  return choice;
}
