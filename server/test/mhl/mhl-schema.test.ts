import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { c4Of, hashAll } from '../../src/lib/mhl/hash-formats.js';
import { writeChain, writeGeneration } from '../../src/lib/mhl/mhl-writer.js';
import { schemaErrors } from './xmllint.js';

const EXAMPLES = '/work/shared/reference/ascmhl/examples';

function historyFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.parentPath.endsWith('ascmhl'))
    .map((e) => join(e.parentPath, e.name));
}

describe('MHL files against the ASC schemas (xmllint)', () => {
  it('the validator accepts the standard examples and refuses a broken file', () => {
    const files = historyFiles(EXAMPLES);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files)
      expect(
        schemaErrors(readFileSync(file), file.endsWith('.xml') ? 'chain' : 'generation'),
        file,
      ).toBeNull();
    const broken = readFileSync(files.find((f) => f.endsWith('.mhl'))!, 'utf8').replace(
      'in-place',
      'teleport',
    );
    expect(schemaErrors(broken, 'generation')).toMatch(/teleport|not an element of the set/);
  });

  it('a generation Dailies writes validates, with every format, odd names, references and a comment', () => {
    const bytes = Buffer.from('some bytes');
    const all = hashAll(['c4', 'md5', 'sha1', 'xxh64'], bytes);
    const text = writeGeneration({
      createdAt: Date.UTC(2026, 11, 3, 9, 30, 0),
      hostname: 'edit-01 & <co>',
      toolVersion: '0.1.0',
      process: 'transfer',
      comment: 'Copied to "Edit SAN" by ana',
      files: [
        {
          path: 'Day 01/Cam A/A001C003_%_<x>&\'y".mov',
          size: bytes.length,
          lastModified: Date.UTC(2026, 11, 2),
          values: Object.fromEntries(
            Object.entries(all).map(([f, v]) => [f, { value: v, action: 'verified' as const, hashDate: 0 }]),
          ),
        },
        {
          path: 'Sound/日本 🎬.wav',
          size: 0,
          values: { xxh64: { value: all.xxh64!, action: 'original', hashDate: 0 } },
        },
        {
          path: 'Sidecar.txt',
          size: 3,
          values: { xxh64: { value: all.xxh64!, action: 'failed', hashDate: 0 } },
        },
      ],
      references: [{ path: 'A002R2EC/ascmhl/0002_A002R2EC_2020-01-17_143000Z.mhl', c4: c4Of(bytes) }],
    });
    expect(schemaErrors(text, 'generation')).toBeNull();
  });

  it('an empty generation (nothing copied yet) and a chain of several validate', () => {
    const empty = writeGeneration({
      createdAt: 0,
      hostname: 'h',
      toolVersion: '1',
      process: 'in-place',
      files: [],
    });
    expect(schemaErrors(empty, 'generation')).toBeNull();
    const chain = writeChain([
      { sequence: 2, path: '0002_A_2026-12-03_093000Z.mhl', c4: c4Of(Buffer.from(empty)) },
      { sequence: 1, path: '0001_A_2026-12-02_093000Z.mhl', c4: c4Of(Buffer.from('x')) },
    ]);
    expect(schemaErrors(chain, 'chain')).toBeNull();
    expect(chain.indexOf('sequencenr="1"')).toBeLessThan(chain.indexOf('sequencenr="2"'));
  });
});
