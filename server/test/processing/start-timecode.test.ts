/**
 * The start timecode is a column of the browse table (issue 15): probing keeps it on the asset
 * row beside frame rate and codecs, so a folder's page shows it without opening each record.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, ffprobe and mediainfo
 * on a ProRes MOV ffmpeg made with timecode 01:00:00:00, the in-process workers.
 */
import { createReadStream } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { until } from '../support/poll.js';

describe.each(CATALOGS)('start timecode on the asset (%s)', { timeout: 120_000 }, (catalog) => {
  let t: TestDailies;
  afterEach(async () => t?.close());

  it('is read by the probe and shown in the asset and the folder listing; null for a file without one', async () => {
    t = await startDailies({ catalog });
    const prores = await mediaFixture('proresMov');
    const clip = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01',
      'A001.mov',
      createReadStream(prores),
    );
    const text = await t.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Day 01',
      'notes.txt',
      createReadStream(new URL(import.meta.url)),
    );
    const probed = (id: string) =>
      until(
        async () => {
          const { body } = await t.api('GET', `/api/assets/${id}`);
          return body.kind !== null || body.state === 'failed' ? body : null;
        },
        { timeout: 90_000, interval: 100, what: `asset ${id} probed` },
      );
    expect((await probed(clip.id)).startTimecode).toBe('01:00:00:00');
    await probed(text.id);
    const listed = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`);
    expect(
      Object.fromEntries(
        listed.body.items.map((a: { name: string; startTimecode: unknown }) => [a.name, a.startTimecode]),
      ),
    ).toEqual({ 'A001.mov': '01:00:00:00', 'notes.txt': null });
  });
});
