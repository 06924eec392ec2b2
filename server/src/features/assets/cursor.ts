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
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded) || decoded.length !== 2) throw new Error('shape');
    const [value, id] = decoded;
    // Only what a page can end on goes on to the database: an object or array (typeof
    // 'object' too) would reach the query as a parameter no driver can bind.
    const sortValue =
      value === null || typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
    if (typeof id !== 'string' || id.length > 256 || !sortValue) throw new Error('shape');
    return { value, id };
  } catch {
    throw new Invalid('The cursor is not valid; start again from the first page.');
  }
}
