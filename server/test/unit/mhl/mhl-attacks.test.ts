import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { c4Of } from '../../../src/lib/mhl/hash-formats.js';
import { parseChain, parseGeneration } from '../../../src/lib/mhl/mhl-document.js';
import {
  allProblems,
  type HistorySource,
  readHistory,
  recordedFiles,
} from '../../../src/lib/mhl/mhl-history.js';
import { mhlPathProblem } from '../../../src/lib/mhl/mhl-paths.js';
import { verifyFiles } from '../../../src/lib/mhl/mhl-verify.js';
import { writeChain, writeGeneration } from '../../../src/lib/mhl/mhl-writer.js';

const XXH = '0ea03b369a463d9d';

function generation(paths: string[]): string {
  const hashes = paths
    .map((p) => `<hash><path size="5">${p}</path><xxh64 action="original">${XXH}</xxh64></hash>`)
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0"><creatorinfo><creationdate>2020-01-16T09:15:00+00:00</creationdate><hostname>h</hostname><tool>t</tool></creatorinfo><processinfo><process>in-place</process></processinfo><hashes>${hashes}</hashes></hashlist>`;
}

/** A history in memory: its generation files, and a chain naming them by their true C4 ids. */
function memoryHistory(files: Record<string, string>): HistorySource {
  const gens = Object.keys(files).filter((k) => k.startsWith('ascmhl/') && k.endsWith('.mhl'));
  const all: Record<string, string> = {
    ascmhl_chain: '',
    ...files,
  };
  all['ascmhl/ascmhl_chain.xml'] ??= writeChain(
    gens.map((g, i) => ({
      sequence: i + 1,
      path: g.slice('ascmhl/'.length),
      c4: c4Of(Buffer.from(files[g]!)),
    })),
  );
  return async (path) => (path in all && path !== 'ascmhl_chain' ? Buffer.from(all[path]!) : null);
}

describe('hostile MHL files', () => {
  it('a DTD with entities (billion laughs) is refused without expanding anything', async () => {
    let lol = '<!ENTITY l0 "lol">';
    for (let i = 1; i < 10; i++) lol += `<!ENTITY l${i} "${`&l${i - 1};`.repeat(10)}">`;
    const doc = `<?xml version="1.0"?><!DOCTYPE hashlist [${lol}]><hashlist version="2.0" xmlns="urn:ASC:MHL:v2.0">&l9;</hashlist>`;
    const started = process.memoryUsage().heapUsed;
    expect(() => parseGeneration(doc)).toThrow(/document type/);
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(50 * 1024 * 1024);
  });

  it('an external entity (XXE) is never fetched: the file is refused', () => {
    const doc = `<?xml version="1.0"?><!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><ascmhldirectory xmlns="urn:ASC:MHL:DIRECTORY:v2.0"><hashlist sequencenr="1"><path>&x;</path><c4>c4</c4></hashlist></ascmhldirectory>`;
    expect(() => parseChain(doc)).toThrow(/document type/);
    // An entity used without a DTD is an error, not an empty string.
    expect(() => parseChain(doc.replace(/<!DOCTYPE[^\]]*\]>/, ''))).toThrow(/undefined entity/);
  });

  it('a chain refused for its DTD is a problem of the history, not a crash', async () => {
    const source = memoryHistory({
      'ascmhl/ascmhl_chain.xml': '<?xml version="1.0"?><!DOCTYPE x SYSTEM "http://127.0.0.1:1/x"><x/>',
    });
    const history = await readHistory(source);
    expect(history!.generations).toEqual([]);
    expect(allProblems(history!)).toEqual([expect.stringMatching(/document type/)]);
  });

  it('paths that climb out, start at a root, or hold NUL or control characters are ignored and reported', async () => {
    const bad = [
      '../../etc/passwd',
      'Clips/../../x',
      '/etc/passwd',
      'C:\\Windows\\x',
      'a//b',
      './a',
      'a/.',
      'a\u0085b',
      '',
    ];
    const source = memoryHistory({
      'ascmhl/0001_c_2020-01-16_091500Z.mhl': generation([
        ...bad.map((b) => b.replace('&', '&amp;')),
        'Clips/ok.mov',
      ]),
    });
    const history = await readHistory(source);
    expect([...recordedFiles(history!).keys()]).toEqual(['Clips/ok.mov']);
    expect(allProblems(history!)).toHaveLength(bad.length);
    // NUL cannot even be written in XML 1.0: the file is not well-formed.
    expect(() => parseGeneration(generation(['a&#0;b']))).toThrow(/well-formed/);
  });

  it('a chain that names a generation outside ascmhl/ is ignored', async () => {
    const source = memoryHistory({
      'ascmhl/ascmhl_chain.xml': writeChain([
        { sequence: 1, path: '../../secret.mhl', c4: c4Of(Buffer.from('x')) },
      ]),
    });
    const asked: string[] = [];
    const history = await readHistory(async (p) => {
      asked.push(p);
      return source(p);
    });
    expect(asked).toEqual(['ascmhl/ascmhl_chain.xml']);
    expect(allProblems(history!)).toEqual([expect.stringContaining('".." segment')]);
  });

  it('a nested reference that is not a subfolder history is not followed', async () => {
    const gen = generation(['a.mov']).replace(
      '</hashlist>',
      `<references><hashlistreference><path>../other/ascmhl/0001.mhl</path><c4>${c4Of(Buffer.from('x'))}</c4></hashlistreference><hashlistreference><path>sub/0001.mhl</path><c4>${c4Of(Buffer.from('x'))}</c4></hashlistreference></references></hashlist>`,
    );
    const history = await readHistory(memoryHistory({ 'ascmhl/0001_c_2020-01-16_091500Z.mhl': gen }));
    expect(history!.children).toEqual([]);
    expect(allProblems(history!)).toHaveLength(2);
  });

  it('sizes and values of the wrong shape are reported, not compared', () => {
    const doc = generation(['a.mov']).replace('size="5"', 'size="-5"').concat('');
    expect(parseGeneration(doc).problems).toEqual([expect.stringContaining('size')]);
    const huge = generation(['a.mov']).replace('size="5"', 'size="99999999999999999999"');
    expect(parseGeneration(huge).files).toEqual([]);
    const nan = generation(['a.mov']).replace(XXH, 'NaN');
    expect(parseGeneration(nan).files[0]!.values).toEqual({});
    expect(parseGeneration(nan).problems).toEqual([expect.stringContaining('xxh64')]);
  });

  it('elements nested absurdly deep are refused', () => {
    const deep = `${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}`;
    expect(() => parseGeneration(deep)).toThrow(/deeper/);
  });

  it('a huge history (100,000 files) is read', { timeout: 60_000 }, async () => {
    const paths = Array.from({ length: 100_000 }, (_, i) => `Clips/C${String(i).padStart(6, '0')}.mov`);
    const doc = generation(paths);
    expect(doc.length).toBeGreaterThan(10_000_000);
    const parsed = parseGeneration(doc);
    expect(parsed.files).toHaveLength(100_000);
    expect(parsed.files.at(-1)!.path).toBe('Clips/C099999.mov');
  });

  it('a source that refuses an oversized file makes a problem, not a crash', async () => {
    const source = memoryHistory({ 'ascmhl/0001_c_2020-01-16_091500Z.mhl': generation(['a.mov']) });
    const history = await readHistory(async (p) => {
      if (p.endsWith('.mhl'))
        throw new Error('"x" is larger than 64 MiB; an MHL file that large is not read.');
      return source(p);
    });
    expect(allProblems(history!)).toEqual([expect.stringContaining('larger than 64 MiB')]);
  });
});

describe('names that differ only in case or Unicode form', () => {
  const nfd = 'Clips/Cafe\u0301.mov';
  const nfc = 'Clips/Caf\u00e9.mov';

  async function verdicts(recordedPaths: string[], present: string[]) {
    const history = await readHistory(
      memoryHistory({ 'ascmhl/0001_c_2020-01-16_091500Z.mhl': generation(recordedPaths) }),
    );
    const result = await verifyFiles(
      recordedFiles(history!),
      present.map((path) => ({ path, size: 5 })),
      async () => ({ xxh64: XXH }),
    );
    return {
      files: Object.fromEntries(result.files.map((f) => [f.file.path, f.verdict])),
      missing: result.missing,
    };
  }

  it('a decomposed name in the history matches the composed name in the lake', async () => {
    expect(await verdicts([nfd], [nfc])).toEqual({ files: { [nfc]: 'verified' }, missing: [] });
    expect(await verdicts([nfc], [nfd])).toEqual({ files: { [nfd]: 'verified' }, missing: [] });
  });

  it('both forms present: each matches only itself', async () => {
    expect(await verdicts([nfd], [nfc, nfd])).toEqual({
      files: { [nfc]: 'unlisted', [nfd]: 'verified' },
      missing: [],
    });
  });

  it('case is never folded', async () => {
    expect(await verdicts(['clips/a.mov'], ['Clips/a.mov'])).toEqual({
      files: { 'Clips/a.mov': 'unlisted' },
      missing: ['clips/a.mov'],
    });
  });

  it('any set of names: every present file gets one verdict and every record is matched at most once', async () => {
    const name = fc.constantFrom('a', 'A', 'e\u0301', '\u00e9', '%', '_', 'x y');
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(
          fc.array(name, { minLength: 1, maxLength: 3 }).map((n) => n.join('')),
          { maxLength: 6 },
        ),
        fc.uniqueArray(
          fc.array(name, { minLength: 1, maxLength: 3 }).map((n) => n.join('')),
          { maxLength: 6 },
        ),
        async (recorded, present) => {
          const r = await verdicts(recorded, present);
          expect(Object.keys(r.files).sort()).toEqual([...present].sort());
          const matched = Object.values(r.files).filter((v) => v === 'verified').length;
          expect(matched + r.missing.length).toBe(recorded.length);
          for (const p of present) if (recorded.includes(p)) expect(r.files[p]).toBe('verified');
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('what Dailies writes reads back the same', () => {
  it('any names (XML specials, Unicode) and hashes round-trip through a generation and a chain', async () => {
    const segment = fc
      .string({
        minLength: 1,
        maxLength: 12,
        unit: fc.constantFrom(
          'a',
          'Z',
          '&',
          '<',
          '>',
          '"',
          "'",
          ' ',
          '%',
          '_',
          'é',
          '\u0301',
          '日',
          '🎬',
          '.',
        ),
      })
      .filter((s) => s !== '.' && s !== '..');
    const file = fc.record({
      path: fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/')),
      size: fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
      xxh64: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((n) => n.toString(16).padStart(16, '0')),
    });
    fc.assert(
      fc.property(fc.uniqueArray(file, { selector: (f) => f.path, maxLength: 20 }), (files) => {
        const text = writeGeneration({
          createdAt: Date.UTC(2026, 11, 3, 9, 0, 0),
          hostname: 'host & <co>',
          toolVersion: '0.1.0',
          process: 'transfer',
          files: files.map((f) => ({
            path: f.path,
            size: f.size,
            values: { xxh64: { value: f.xxh64, action: 'original' as const, hashDate: 0 } },
          })),
        });
        const parsed = parseGeneration(text);
        expect(parsed.problems).toEqual([]);
        expect(parsed.hostname).toBe('host & <co>');
        expect(parsed.tool.name).toBe('Dailies');
        expect(
          parsed.files.map((f) => [f.path, f.size, f.values.xxh64?.value, f.values.xxh64?.action]),
        ).toEqual(files.map((f) => [f.path, f.size, f.xxh64, 'original']));
        const chain = writeChain([{ sequence: 1, path: 'x.mhl', c4: c4Of(Buffer.from(text)) }]);
        expect(parseChain(chain).entries).toEqual([
          { sequence: 1, path: 'x.mhl', c4: c4Of(Buffer.from(text)) },
        ]);
      }),
      { numRuns: 200 },
    );
  });

  it('mhlPathProblem accepts every path Dailies would write', () => {
    expect(mhlPathProblem('Day 01/Cam A/A001C003_%_x.mov')).toBeNull();
  });
});
