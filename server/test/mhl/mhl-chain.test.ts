/**
 * ASC MHL along the chain of custody (issue 16): a camera card with its history is imported,
 * verified file by file against it, sealed in the lake with Dailies' generation, copied to an
 * edit volume, and the volume's history then holds every generation, each naming the same
 * hashes; every file Dailies wrote validates against the ASC schemas.
 *
 * Real: the whole server in-process, SQLite + fs lake and PostgreSQL + Swift S3 lake, a
 * directory volume, xmllint.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { hashAll } from '../../src/lib/mhl/hash-formats.js';
import { allGenerations, allProblems, readHistory, recordedFiles } from '../../src/lib/mhl/mhl-history.js';
import { verifyFiles } from '../../src/lib/mhl/mhl-verify.js';
import { startDailies, type TestDailies } from '../support/harness.js';
import { directorySource, hashFile, presentFiles } from '../unit/mhl/mhl-fixtures.js';
import { EXAMPLES, filesOf, importCard, lakeConfig, SETUPS } from './support.js';
import { schemaErrors } from './xmllint.js';

const CARD = join(EXAMPLES, 'scenario_01/travel_01/A002R2EC');
const CLIPS = ['Clips/A002C006_141024_R2EC.mov', 'Clips/A002C007_141024_R2EC.mov'];

describe.each(SETUPS)('ASC MHL chain of custody ($catalog catalog, $lake lake)', ({ catalog, lake }) => {
  let t: TestDailies;
  let vol: string;

  beforeAll(async () => {
    vol = await mkdtemp(join(tmpdir(), 'dailies-mhl-vol-'));
    t = await startDailies({
      catalog,
      config: {
        ...(await lakeConfig(lake)),
        volumes: [{ id: 'edit', name: 'Edit', path: vol, displayPath: '/Volumes/Edit', groups: ['editors'] }],
        volumeScanInterval: 0,
      },
    });
  });
  afterAll(async () => {
    await t?.close();
    await rm(vol, { recursive: true, force: true });
  });

  const idsIn = async (folder: string) => {
    const { body } = await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}&limit=500`);
    return Object.fromEntries((body.items as Array<{ id: string; name: string }>).map((a) => [a.name, a.id]));
  };
  const lakeText = async (key: string) => {
    const chunks: Buffer[] = [];
    for await (const c of await t.dailies.lake.read(key)) chunks.push(Buffer.from(c));
    return Buffer.concat(chunks);
  };
  const verdict = async (id: string) => (await t.api('GET', `/api/assets/${id}/mhl`)).body;

  it('card → lake → volume: three generations whose hashes agree, all valid against the schemas', async () => {
    await importCard(t, CARD, '/Day 01/A002R2EC');
    await t.dailies.jobs.drain(30_000);

    // Verified on the way in, file by file.
    const clips = await idsIn('/Day 01/A002R2EC/Clips');
    const top = await idsIn('/Day 01/A002R2EC');
    for (const id of [...Object.values(clips), top['Sidecar.txt']!]) {
      const v = await verdict(id);
      // The card recorded xxh64; Dailies' generation added the MD5 it took on the way in.
      expect(v).toMatchObject({ verdict: 'verified', card: '/Day 01/A002R2EC', formats: ['md5', 'xxh64'] });
    }
    const card = (await t.api('GET', `/api/mhl/card?folder=${encodeURIComponent('/Day 01/A002R2EC')}`)).body;
    expect(card).toMatchObject({
      verified: 3,
      mismatched: 0,
      unlisted: 0,
      missing: [],
      problems: [],
      generations: 2,
    });

    // The lake's history gained Dailies' generation; the history files are kept as assets.
    const history = await idsIn('/Day 01/A002R2EC/ascmhl');
    const names = Object.keys(history).sort();
    expect(names).toHaveLength(3);
    expect(names[0]).toBe('0001_A002R2EC_2020-01-16_091500Z.mhl');
    expect(names[1]).toMatch(/^0002_A002R2EC_\d{4}-\d\d-\d\d_\d{6}Z\.mhl$/);
    expect(names[2]).toBe('ascmhl_chain.xml');
    const lakeGeneration = await lakeText(`Day 01/A002R2EC/ascmhl/${names[1]}`);
    expect(schemaErrors(lakeGeneration, 'generation')).toBeNull();
    expect(schemaErrors(await lakeText('Day 01/A002R2EC/ascmhl/ascmhl_chain.xml'), 'chain')).toBeNull();

    // Copy the card to the edit volume (the history files are refused as such: they travel with it).
    const ids = [...Object.values(clips), top['Sidecar.txt']!];
    const copy = await t.api('POST', '/api/volumes/edit/copy', { ids: [...ids, history[names[0]!]!] });
    expect(copy.status).toBe(202);
    expect(copy.body.jobs).toHaveLength(3);
    await t.dailies.jobs.drain(30_000);

    const onVolume = join(vol, 'Day 01/A002R2EC');
    const volumeHistory = (await readHistory(directorySource(onVolume)))!;
    expect(allProblems(volumeHistory)).toEqual([]);
    const generations = allGenerations(volumeHistory);
    expect(generations.map((g) => g.sequence)).toEqual([1, 2, 3]);
    expect(generations.map((g) => g.generation.tool.name)).toEqual(['ascmhl.py', 'Dailies', 'Dailies']);
    expect(generations.map((g) => g.generation.process)).toEqual(['in-place', 'in-place', 'transfer']);
    // Every generation names every file with the same xxh64; the later ones as verified.
    const first = Object.fromEntries(
      generations[0]!.generation.files.map((f) => [f.path, f.values.xxh64!.value]),
    );
    for (const g of generations.slice(1)) {
      expect(Object.fromEntries(g.generation.files.map((f) => [f.path, f.values.xxh64!.value]))).toEqual(
        first,
      );
      expect(new Set(g.generation.files.map((f) => f.values.xxh64!.action))).toEqual(new Set(['verified']));
    }
    // ...and they are the bytes' hashes: any MHL tool on the editors' side finds them verified.
    const check = await verifyFiles(recordedFiles(volumeHistory), presentFiles(onVolume), hashFile);
    expect(check.missing).toEqual([]);
    expect(check.files.map((f) => f.verdict)).toEqual(['verified', 'verified', 'verified']);
    for (const file of filesOf(join(onVolume, 'ascmhl')))
      expect(
        schemaErrors(
          readFileSync(join(onVolume, 'ascmhl', file)),
          file.endsWith('.xml') ? 'chain' : 'generation',
        ),
      ).toBeNull();
    // The card's own first generation arrived byte for byte.
    expect(
      readFileSync(join(onVolume, 'ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl')).equals(
        readFileSync(join(CARD, 'ascmhl/0001_A002R2EC_2020-01-16_091500Z.mhl')),
      ),
    ).toBe(true);

    // Copying the same files again says nothing new: no fourth generation.
    await t.api('POST', '/api/volumes/edit/copy', { ids });
    await t.dailies.jobs.drain(30_000);
    expect(filesOf(join(onVolume, 'ascmhl'))).toHaveLength(4);
  });

  it('a second copy into the same folder adds a generation, naming the earlier file verified', async () => {
    const { importFile } = await import('../support/builders.js');
    await importFile(t, '/Cut', 'a.mov', 'first file');
    await importFile(t, '/Cut', 'b.mov', 'second file');
    const ids = await idsIn('/Cut');
    await t.api('POST', '/api/volumes/edit/copy', { ids: [ids['a.mov']] });
    await t.dailies.jobs.drain(30_000);
    let history = (await readHistory(directorySource(join(vol, 'Cut'))))!;
    expect(
      history.generations.map((g) => g.generation.files.map((f) => [f.path, f.values.xxh64!.action])),
    ).toEqual([[['a.mov', 'original']]]);
    await t.api('POST', '/api/volumes/edit/copy', { ids: [ids['b.mov']] });
    await t.dailies.jobs.drain(30_000);
    history = (await readHistory(directorySource(join(vol, 'Cut'))))!;
    expect(history.generations.map((g) => g.sequence)).toEqual([1, 2]);
    expect(history.generations[1]!.generation.files.map((f) => [f.path, f.values.xxh64!.action])).toEqual([
      ['a.mov', 'verified'],
      ['b.mov', 'original'],
    ]);
    expect(history.generations[1]!.generation.files[1]!.values.xxh64!.value).toBe(
      hashAll(['xxh64'], Buffer.from('second file')).xxh64,
    );
    expect(history.generations[0]!.path).toMatch(/^0001_Cut_/);
  });

  it('one corrupted byte on the card is a mismatch on exactly that file, audited and recorded as failed', async () => {
    await importCard(t, CARD, '/Day 02/A002R2EC', {
      change: (path, bytes) => {
        if (path !== CLIPS[1]) return bytes;
        const copy = Buffer.from(bytes);
        copy[0]! ^= 0x20;
        return copy;
      },
    });
    await t.dailies.jobs.drain(30_000);
    const clips = await idsIn('/Day 02/A002R2EC/Clips');
    const top = await idsIn('/Day 02/A002R2EC');
    expect((await verdict(clips['A002C006_141024_R2EC.mov']!)).verdict).toBe('verified');
    const bad = await verdict(clips['A002C007_141024_R2EC.mov']!);
    expect(bad.verdict).toBe('mismatch');
    expect(bad.reason).toContain('7680e5f98f4a80fd');
    expect((await verdict(top['Sidecar.txt']!)).verdict).toBe('verified');
    const card = (await t.api('GET', `/api/mhl/card?folder=${encodeURIComponent('/Day 02/A002R2EC')}`)).body;
    expect(card).toMatchObject({ verified: 2, mismatched: 1, missing: [] });
    const audit = (await t.api('GET', '/api/audit?action=mhl.mismatch')).body;
    expect(JSON.stringify(audit)).toContain('/Day 02/A002R2EC');
    // The lake's new generation documents the failure, as the standard's scenario 04 does.
    const history = (await readHistory(async (p) => {
      const key = `Day 02/A002R2EC/${p}`;
      return (await t.dailies.lake.head(key)) ? lakeText(key) : null;
    }))!;
    const dailies = history.generations.at(-1)!.generation;
    expect(dailies.tool.name).toBe('Dailies');
    expect(Object.fromEntries(dailies.files.map((f) => [f.path, f.values.xxh64!.action]))).toEqual({
      [CLIPS[0]!]: 'verified',
      [CLIPS[1]!]: 'failed',
      'Sidecar.txt': 'verified',
    });
  });

  it('a card still arriving: the missing file is named, nothing is sealed until it is there', async () => {
    await importCard(t, CARD, '/Day 03/A002R2EC', { skip: [CLIPS[0]!] });
    await t.dailies.jobs.drain(30_000);
    let card = (await t.api('GET', `/api/mhl/card?folder=${encodeURIComponent('/Day 03/A002R2EC')}`)).body;
    expect(card).toMatchObject({ verified: 2, missing: [CLIPS[0]] });
    expect(Object.keys(await idsIn('/Day 03/A002R2EC/ascmhl'))).toHaveLength(2);
    // The file arrives later: the card is verified again and sealed.
    const { importFile } = await import('../support/builders.js');
    await importFile(
      t,
      '/Day 03/A002R2EC/Clips',
      'A002C006_141024_R2EC.mov',
      readFileSync(join(CARD, CLIPS[0]!)),
    );
    await t.dailies.jobs.drain(30_000);
    card = (await t.api('GET', `/api/mhl/card?folder=${encodeURIComponent('/Day 03/A002R2EC')}`)).body;
    expect(card).toMatchObject({ verified: 3, missing: [] });
    expect(Object.keys(await idsIn('/Day 03/A002R2EC/ascmhl'))).toHaveLength(3);
  });
  it('verifications and seals running at once (two workers) add one generation each, not two', async () => {
    await importCard(t, CARD, '/Day 04/A002R2EC');
    const folder = (await t.dailies.catalog.folders.getByPath('/Day 04/A002R2EC'))!;
    const job = { data: { folderId: folder.id } } as never;
    const context = { signal: new AbortController().signal } as never;
    const reports = await Promise.all([1, 2, 3].map(() => t.dailies.mhl.runVerify(job, context)));
    await t.dailies.jobs.drain(30_000);
    // The queued verification the imports started may be the one that seals (on a slow run it is
    // due before these end); whoever does, the history gains exactly one generation.
    expect(reports.filter((r) => r?.sealed).length, JSON.stringify(reports)).toBeLessThanOrEqual(1);
    expect(Object.keys(await idsIn('/Day 04/A002R2EC/ascmhl'))).toHaveLength(3);

    const ids = Object.values(await idsIn('/Day 04/A002R2EC/Clips'));
    await t.api('POST', '/api/volumes/edit/copy', { ids });
    await t.dailies.jobs.drain(30_000);
    // The volume's history is lost; two seals at once write it again exactly once.
    await rm(join(vol, 'Day 04/A002R2EC/ascmhl'), { recursive: true });
    const seals = await Promise.all(
      [1, 2].map(() => t.dailies.mhl.sealVolume(SYSTEM_ACTOR, 'edit', '/Day 04/A002R2EC/Clips')),
    );
    expect(seals.filter((s) => s?.written).length).toBe(1);
    expect(seals.map((s) => s?.root)).toEqual(['Day 04/A002R2EC', 'Day 04/A002R2EC']);
    const history = (await readHistory(directorySource(join(vol, 'Day 04/A002R2EC'))))!;
    expect(history.generations.map((g) => g.sequence)).toEqual([1, 2, 3]);
    expect(history.generations[2]!.generation.files.map((f) => f.path)).toEqual(CLIPS);
  });
});
