import { Invalid } from '../../lib/errors.js';

export interface Cursor {
  value: string | number | null;
  id: string;
}

/** Opaque to clients: the last row's sort value and id. */
export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(text: string): Cursor {
  try {
    const [value, id] = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (typeof id !== 'string' || !['string', 'number', 'object'].includes(typeof value))
      throw new Error('shape');
    return { value, id };
  } catch {
    throw new Invalid('The cursor is not valid; start again from the first page.');
  }
}
