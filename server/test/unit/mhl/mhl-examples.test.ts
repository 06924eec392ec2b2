import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allGenerations, allProblems, readHistory, recordedFiles } from '../../../src/lib/mhl/mhl-history.js';
import { verifyFiles } from '../../../src/lib/mhl/mhl-verify.js';
import { directorySource, EXAMPLES, hashFile, presentFiles } from './mhl-fixtures.js';

async function verifyFolder(root: string) {
  const history = await readHistory(directorySource(root));
  expect(history).not.toBeNull();
  const result = await verifyFiles(recordedFiles(history!), presentFiles(root), hashFile);
  const verdicts = Object.fromEntries(result.files.map((f) => [f.file.path, f.verdict]));
  return { history: history!, result, verdicts };
}

const CARD_FILES = ['Clips/A002C006_141024_R2EC.mov', 'Clips/A002C007_141024_R2EC.mov', 'Sidecar.txt'];

describe('the ASC MHL reference examples', () => {
  it('scenario 01: one generation on the travel drive; every file verified', async () => {
    const { history, result, verdicts } = await verifyFolder(
      join(EXAMPLES, 'scenario_01/travel_01/A002R2EC'),
    );
    expect(history.generations.map((g) => g.sequence)).toEqual([1]);
    expect(history.generations[0]!.generation.tool.name).toBe('ascmhl.py');
    expect(verdicts).toEqual(Object.fromEntries(CARD_FILES.map((p) => [p, 'verified'])));
    expect(result.missing).toEqual([]);
    expect(allProblems(history)).toEqual([]);
  });

  it('scenario 02: two generations (travel drive, file server); each chain entry matches its file', async () => {
    const { history, verdicts } = await verifyFolder(join(EXAMPLES, 'scenario_02/file_server/A002R2EC'));
    expect(history.generations.map((g) => [g.sequence, g.path])).toEqual([
      [1, '0001_A002R2EC_2020-01-16_091500Z.mhl'],
      [2, '0002_A002R2EC_2020-01-17_143000Z.mhl'],
    ]);
    expect(history.generations[1]!.generation.files.map((f) => f.values.xxh64?.action)).toEqual([
      'verified',
      'verified',
      'verified',
    ]);
    expect(Object.values(verdicts)).toEqual(['verified', 'verified', 'verified']);
    expect(allProblems(history)).toEqual([]);
  });

  it('scenario 03: MD5 joins xxh64 in the second generation; both are compared', async () => {
    const { history, result } = await verifyFolder(join(EXAMPLES, 'scenario_03/file_server/A002R2EC'));
    const sidecar = recordedFiles(history).get('Sidecar.txt')!;
    expect(sidecar.values).toEqual({ md5: '6425c5a180ca0f420dd2b25be4536a91', xxh64: '3ab5a4166b9bde44' });
    for (const file of result.files) {
      expect(file.verdict).toBe('verified');
      expect(file.compared.map((c) => c.format).sort()).toEqual(['md5', 'xxh64']);
    }
  });

  it('scenario 04: the altered Sidecar.txt is the one mismatch, against its original hash', async () => {
    const { history, verdicts, result } = await verifyFolder(
      join(EXAMPLES, 'scenario_04/file_server/A002R2EC'),
    );
    expect(verdicts).toEqual({
      'Clips/A002C006_141024_R2EC.mov': 'verified',
      'Clips/A002C007_141024_R2EC.mov': 'verified',
      'Sidecar.txt': 'mismatch',
    });
    const sidecar = recordedFiles(history).get('Sidecar.txt')!;
    // The failed generation's value is evidence, not the reference.
    expect(sidecar.values.xxh64).toBe('3ab5a4166b9bde44');
    expect(sidecar.lastFailed).toBe(true);
    expect(result.files.find((f) => f.file.path === 'Sidecar.txt')!.reason).toContain('70d2cf31aaa3eac4');
    // The travel drive still holds the good bytes.
    const travel = await verifyFolder(join(EXAMPLES, 'scenario_04/travel_01/A002R2EC'));
    expect(Object.values(travel.verdicts)).toEqual(['verified', 'verified', 'verified']);
  });

  it('scenario 05: nested histories (two cards in Reels) are followed; every file is verified', async () => {
    const { history, verdicts, result } = await verifyFolder(join(EXAMPLES, 'scenario_05/file_server/Reels'));
    expect(history.children.map((c) => c.root).sort()).toEqual(['A002R2EC', 'A003R2EC']);
    expect(
      allGenerations(history)
        .map((g) => `${g.root || '.'}:${g.sequence}`)
        .sort(),
    ).toEqual(['.:1', 'A002R2EC:1', 'A002R2EC:2', 'A003R2EC:1', 'A003R2EC:2']);
    expect(Object.keys(verdicts)).toHaveLength(7);
    expect(new Set(Object.values(verdicts))).toEqual(new Set(['verified']));
    expect(verdicts['A003R2EC/Clips/A003C012_141024_R2EC.mov']).toBe('verified');
    expect(result.missing).toEqual([]);
    expect(allProblems(history)).toEqual([]);
  });

  it('scenario 05 on the travel drive: Reels has no history of its own; each card has one', async () => {
    const reels = join(EXAMPLES, 'scenario_05/travel_01/Reels');
    expect(await readHistory(directorySource(reels))).toBeNull();
    for (const card of ['A002R2EC', 'A003R2EC']) {
      const { verdicts } = await verifyFolder(join(reels, card));
      expect(Object.values(verdicts)).toEqual(['verified', 'verified', 'verified']);
    }
  });
});

describe('a card changed after its history was written', () => {
  function copyOf(scenario: string): string {
    const dir = mkdtempSync(join(tmpdir(), 'mhl-card-'));
    cpSync(join(EXAMPLES, scenario), dir, { recursive: true });
    return dir;
  }

  it('one corrupted byte is a mismatch on exactly that file', async () => {
    for (const victim of CARD_FILES) {
      const card = copyOf('scenario_02/file_server/A002R2EC');
      const bytes = readFileSync(join(card, victim));
      bytes[bytes.length - 1]! ^= 0x01;
      writeFileSync(join(card, victim), bytes);
      const { verdicts } = await verifyFolder(card);
      expect(verdicts).toEqual(
        Object.fromEntries(CARD_FILES.map((p) => [p, p === victim ? 'mismatch' : 'verified'])),
      );
    }
  });

  it('a deleted file is missing, an added one is not in the list', async () => {
    const card = copyOf('scenario_01/travel_01/A002R2EC');
    const { rmSync } = await import('node:fs');
    rmSync(join(card, 'Sidecar.txt'));
    writeFileSync(join(card, 'Clips/extra.mov'), 'extra');
    const { verdicts, result } = await verifyFolder(card);
    expect(result.missing).toEqual(['Sidecar.txt']);
    expect(verdicts['Clips/extra.mov']).toBe('unlisted');
  });

  it('a generation edited after the chain recorded it is reported', async () => {
    const card = copyOf('scenario_02/file_server/A002R2EC');
    const gen = join(card, 'ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl');
    writeFileSync(gen, readFileSync(gen, 'utf8').replace('myHost.local', 'otherHost.local'));
    const history = await readHistory(directorySource(card));
    expect(allProblems(history!)).toEqual([
      expect.stringContaining('Generation 1 (ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl) differs'),
    ]);
  });

  it('a generation the chain lists but that is gone is reported; the others are still read', async () => {
    const card = copyOf('scenario_02/file_server/A002R2EC');
    const { rmSync } = await import('node:fs');
    rmSync(join(card, 'ascmhl/0002_A002R2EC_2020-01-17_143000Z.mhl'));
    const history = await readHistory(directorySource(card));
    expect(history!.generations.map((g) => g.sequence)).toEqual([1]);
    expect(allProblems(history!)).toEqual([expect.stringContaining('Generation 2')]);
  });
});
