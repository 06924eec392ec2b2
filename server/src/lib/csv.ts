/**
 * CSV as RFC 4180 writes it, read as spreadsheets save it: a field in double quotes may hold
 * the delimiter, line breaks and `""` for a quote; records end with CRLF, LF or CR; the last
 * line break is optional. The delimiter is a comma unless the header line holds more
 * semicolons (European Excel) or tabs. Cells are returned as text, never evaluated: a cell
 * `=cmd|' /C calc'!A0` stays those characters.
 */

export class CsvError extends Error {}

export type CsvDelimiter = ',' | ';' | '\t';

/** The delimiter the header (first line, outside quotes) uses most; a comma on a tie. */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts: Record<CsvDelimiter, number> = { ',': 0, ';': 0, '\t': 0 };
  let quoted = false;
  for (const ch of text) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && ch in counts) counts[ch as CsvDelimiter]++;
  }
  return counts[';'] > counts[','] && counts[';'] >= counts['\t']
    ? ';'
    : counts['\t'] > counts[','] && counts['\t'] > counts[';']
      ? '\t'
      : ',';
}

/** Every record's cells. Throws CsvError (naming the line) on a quote left open or text after one. */
export function parseCsv(text: string, delimiter: CsvDelimiter = detectDelimiter(text)): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let line = 1;
  let i = 0;
  const n = text.length;
  // Whether the current record has begun (so a final line break adds no empty record).
  let started = false;
  // The current cell was quoted (so an empty one is still a field, and no quote reopens it).
  let quotedCell = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
    quotedCell = false;
  };
  while (i < n) {
    const ch = text[i];
    if (ch === '"' && cell === '' && !quotedCell) {
      const openedOn = line;
      i++;
      for (;;) {
        if (i >= n) throw new CsvError(`A quoted field that starts on line ${openedOn} never ends.`);
        const c = text[i];
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        cell += c;
        i++;
      }
      started = true;
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r')
        throw new CsvError(
          `Line ${line} has text after a closing quote; write "" for a quote inside a field.`,
        );
      quotedCell = true;
      continue;
    }
    if (ch === delimiter) {
      endCell();
      started = true;
      i++;
      continue;
    }
    if (ch === '\n' || ch === '\r') {
      endCell();
      rows.push(row);
      row = [];
      started = false;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      continue;
    }
    cell += ch;
    started = true;
    i++;
  }
  if (started) {
    endCell();
    rows.push(row);
  }
  return rows;
}

/** Writes records as RFC 4180 (CRLF); a field is quoted when it must be. */
export function writeCsv(rows: string[][], delimiter: CsvDelimiter = ','): string {
  const quote = (cell: string, only: boolean) =>
    cell.includes('"') ||
    cell.includes(delimiter) ||
    cell.includes('\n') ||
    cell.includes('\r') ||
    (only && cell === '')
      ? `"${cell.replaceAll('"', '""')}"`
      : cell;
  return `${rows.map((r) => r.map((c) => quote(c, r.length === 1)).join(delimiter)).join('\r\n')}\r\n`;
}

/**
 * Bytes to text: UTF-8 (a BOM is dropped). UTF-16 and anything that is not valid UTF-8
 * (Windows-1252 from "CSV (Windows)") is refused with what to do instead.
 */
export function decodeCsv(bytes: Uint8Array): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new CsvError('The CSV is UTF-16 text; save it as "CSV UTF-8" and try again.');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CsvError(
      'The CSV is not UTF-8 text (a spreadsheet\'s "CSV (Windows)" or "CSV (Macintosh)" is not); save it as "CSV UTF-8" and try again.',
    );
  }
  if (text.includes('\u0000')) throw new CsvError('The file holds NUL characters: it is not a CSV.');
  return text;
}
