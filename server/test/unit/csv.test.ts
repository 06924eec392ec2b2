import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvError, decodeCsv, detectDelimiter, parseCsv, writeCsv } from '../../src/lib/csv.js';

const cell = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: fc.constantFrom('"', ',', ';', '\t', '\r', '\n', 'a', ' ', '=', 'é'), maxLength: 12 }),
);
const table = fc.array(fc.array(cell, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 20 });

describe('CSV (RFC 4180)', () => {
  it('reads back every table it writes, with each delimiter', () => {
    fc.assert(
      fc.property(table, fc.constantFrom(',' as const, ';' as const, '\t' as const), (rows, delimiter) => {
        expect(parseCsv(writeCsv(rows, delimiter), delimiter)).toEqual(rows);
      }),
      { numRuns: 3000 },
    );
  });

  it('the last line break is optional and LF, CR and CRLF all end a record', () => {
    expect(parseCsv('a,b\r\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\nc,d\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('a,b\rc,d\r')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('"x\r\ny",z\n')).toEqual([['x\r\ny', 'z']]);
    expect(parseCsv('"",""\n')).toEqual([['', '']]);
  });

  it('formulas stay text', () => {
    expect(parseCsv(`clip,notes\nA001C001,"=cmd|' /C calc'!A0"\nA001C002,+SUM(1;2)\n`)).toEqual([
      ['clip', 'notes'],
      ['A001C001', "=cmd|' /C calc'!A0"],
      ['A001C002', '+SUM(1;2)'],
    ]);
  });

  it('a quote left open or text after a closing quote is an error naming the line', () => {
    expect(() => parseCsv('a,b\n"open,c\nd')).toThrow(/starts on line 2 never ends/);
    expect(() => parseCsv('a,b\n"x"y,c')).toThrow(/Line 2 has text after a closing quote/);
  });

  it('any text is read or refused with a CsvError, never anything else', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('"', ',', '\n', '\r', 'a', ';'), maxLength: 40 }),
        (text) => {
          try {
            const rows = parseCsv(text);
            for (const r of rows) expect(r.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(CsvError);
          }
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds the delimiter from the header, outside quotes', () => {
    expect(detectDelimiter('Clip;Scene;Take\n1,2;3;4')).toBe(';');
    expect(detectDelimiter('Clip\tScene\tTake\n')).toBe('\t');
    expect(detectDelimiter('"Clip;Name",Scene,Take\n')).toBe(',');
    expect(detectDelimiter('Clip\n')).toBe(',');
  });

  it('decodes UTF-8 (dropping a BOM) and refuses UTF-16, Windows-1252 and binary', () => {
    expect(decodeCsv(Buffer.from('\ufeffclip,scène\n'))).toBe('clip,scène\n');
    expect(() => decodeCsv(Buffer.from('\ufeffclip\n', 'utf16le'))).toThrow(/UTF-16/);
    expect(() =>
      decodeCsv(Buffer.from([0x63, 0x6c, 0x69, 0x70, 0x2c, 0x73, 0x63, 0xe8, 0x6e, 0x65])),
    ).toThrow(/not UTF-8/);
    expect(() => decodeCsv(Buffer.from('clip\u0000\n'))).toThrow(/NUL/);
  });
});
