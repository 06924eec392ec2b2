/**
 * A duplicate upload (issue 15): the web app asks "keep both, skip or cancel" on the 409 a taken
 * name gets at creation, and "keep both" uploads again with `duplicate: keep-both`, which Dailies
 * lands as `name (2).ext`, choosing the name when the bytes are in. Two at once get `(2)` and
 * `(3)`, never one name, with each file's own bytes.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL with an fs lake, and on PostgreSQL
 * with the lake in a Swift s3api bucket (whose copies may not be conditional, so the steps under
 * way decide there); tus over app.inject.
 */

const SETUPS: Array<{ catalog: CatalogKind; lake: 'fs' | 's3' }> = [
  { catalog: 'sqlite', lake: 'fs' },
  { catalog: 'postgres', lake: 'fs' },
  { catalog: 'postgres', lake: 's3' },
];

import { randomBytes } from 'node:crypto';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { type CatalogKind, startDailies, type TestDailies } from '../support/harness.js';
import { testS3Bucket } from '../support/services.js';

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const metadata = (fields: Record<string, string>) =>
  Object.entries(fields)
    .map(([key, value]) => `${key} ${b64(value)}`)
    .join(',');

describe.each(SETUPS)('duplicate uploads: keep both ($catalog, $lake lake)', ({ catalog, lake }) => {
  let t: TestDailies;
  beforeEach(async () => {
    const s3 = lake === 's3' ? await testS3Bucket() : null;
    t = await startDailies({
      catalog,
      background: false,
      config: s3
        ? {
            lake: `s3://${s3.bucket}/lake`,
            s3: {
              endpoint: s3.endpoint,
              region: s3.region,
              accessKeyId: s3.accessKeyId,
              secretAccessKey: s3.secretAccessKey,
              forcePathStyle: true,
            },
          }
        : {},
    });
    await importFile(t, '/Day 01', 'A001.mov', 'the first take');
  });
  afterEach(async () => t?.close());

  const create = (fields: Record<string, string>, size: number) =>
    t.api('POST', '/api/uploads', undefined, {
      'tus-resumable': '1.0.0',
      'upload-length': String(size),
      'upload-metadata': metadata(fields),
    });
  const send = (location: string, bytes: Buffer) =>
    t.api('PATCH', new URL(location, 'http://x').pathname, bytes, {
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    });
  const names = async (folder: string) =>
    (await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}`)).body.items.map(
      (a: { name: string }) => a.name,
    );
  const lakeBytes = async (key: string) => buffer(await t.dailies.lake.read(key));

  it('answers a taken name with a 409 that says so, and keeps nothing', async () => {
    for (const filename of ['A001.mov', 'a001.MOV', 'A001.mov'.normalize('NFD')]) {
      const res = await create({ filename, folder: '/Day 01' }, 4);
      expect(res.status, filename).toBe(409);
      expect(res.body.details).toEqual({ reason: 'name_taken' });
      expect(res.body.message).toContain(filename.normalize('NFC'));
    }
    // Another 409 (none here) would not carry the reason; a bad choice is a 400 naming the field.
    const bad = await create({ filename: 'A001.mov', folder: '/Day 01', duplicate: 'replace' }, 4);
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/"duplicate".*keep-both/);
    expect(await names('/Day 01')).toEqual(['A001.mov']);
  });

  it('lands the second file as "A001 (2).mov", its own bytes, the first untouched', async () => {
    const bytes = randomBytes(1024);
    const created = await create(
      { filename: 'A001.mov', folder: '/Day 01', duplicate: 'keep-both' },
      bytes.length,
    );
    expect(created.status).toBe(201);
    const sent = await send(created.headers.location as string, bytes);
    expect(sent.status).toBe(204);
    expect(sent.headers['dailies-asset-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(await names('/Day 01')).toEqual(['A001 (2).mov', 'A001.mov']);
    expect((await lakeBytes('Day 01/A001 (2).mov')).equals(bytes)).toBe(true);
    expect((await lakeBytes('Day 01/A001.mov')).toString()).toBe('the first take');
    const asset = (await t.api('GET', `/api/assets/${sent.headers['dailies-asset-id']}`)).body;
    expect(asset).toMatchObject({ name: 'A001 (2).mov', folder: '/Day 01', uploadedBy: 'admin' });

    // Kept again: (3); a case twin of the name counts as taken too.
    const again = await create({ filename: 'a001.mov', folder: '/Day 01', duplicate: 'keep-both' }, 3);
    expect((await send(again.headers.location as string, Buffer.from('abc'))).status).toBe(204);
    expect(await names('/Day 01')).toEqual(['A001 (2).mov', 'a001 (3).mov', 'A001.mov']);
  });

  it('keeps the name itself when it is free by the time the bytes are in', async () => {
    const created = await create({ filename: 'B001.mov', folder: '/Day 01', duplicate: 'keep-both' }, 2);
    expect((await send(created.headers.location as string, Buffer.from('hi'))).status).toBe(204);
    expect(await names('/Day 01')).toEqual(['A001.mov', 'B001.mov']);
  });

  it('gives two uploads of one name finishing at once (2) and (3), each with its own bytes', async () => {
    for (let round = 0; round < 3; round++) {
      const name = `R${round}.mov`;
      await importFile(t, '/Race', name, 'first');
      const payloads = [randomBytes(4096), randomBytes(4096), randomBytes(4096)];
      const uploads = await Promise.all(
        payloads.map((p) => create({ filename: name, folder: '/Race', duplicate: 'keep-both' }, p.length)),
      );
      for (const u of uploads) expect(u.status).toBe(201);
      const sent = await Promise.all(uploads.map((u, i) => send(u.headers.location as string, payloads[i])));
      for (const s of sent) expect(s.status).toBe(204);
      const stem = `R${round}`;
      expect((await names('/Race')).filter((n: string) => n.startsWith(stem))).toEqual([
        `${stem} (2).mov`,
        `${stem} (3).mov`,
        `${stem} (4).mov`,
        `${stem}.mov`,
      ]);
      // Each copy holds exactly one upload's bytes, every upload landed once.
      const landed = await Promise.all([2, 3, 4].map((n) => lakeBytes(`Race/${stem} (${n}).mov`)));
      for (const p of payloads) expect(landed.filter((l) => l.equals(p))).toHaveLength(1);
      expect(await t.dailies.catalog.intents.all()).toEqual([]);
    }
  });
});
