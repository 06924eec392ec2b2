import { type Kysely, sql } from 'kysely';
import type { FfprobeResult } from '../../media/ffprobe.js';
import type { MediainfoOutput } from '../../media/mediainfo.js';
import { normalise } from '../../media/normalise.js';

/**
 * Video records gain their display geometry (rotation, sample aspect ratio, display width and
 * height), and the asset's listed size becomes the shown one: a portrait phone clip probed
 * before this was listed, searched and faceted 1920×1080. The tools' output is kept beside each
 * record, so it is read again here instead of probing every file anew; only the geometry is
 * taken from it, the rest of the record stays as it was probed.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (
      await sql<{ id: string; record: string; ffprobe: string | null; mediainfo: string | null }>`
        select asset_id as id, record, ffprobe, mediainfo from asset_metadata
        where asset_id > ${after} and record like ${'%"kind":"video"%'}
        order by asset_id limit 1000`.execute(db)
    ).rows;
    if (rows.length === 0) break;
    for (const row of rows) await regeometry(db, row);
    after = rows[rows.length - 1].id;
  }
}

async function regeometry(
  db: Kysely<any>,
  // `id`, not asset_id: the catalog's connection turns snake_case result names into camelCase.
  row: { id: string; record: string; ffprobe: string | null; mediainfo: string | null },
): Promise<void> {
  let fresh: ReturnType<typeof normalise>;
  let record: { video?: Array<Record<string, unknown>> };
  try {
    record = JSON.parse(row.record);
    const ffprobe = row.ffprobe ? JSON.parse(row.ffprobe) : null;
    const result: FfprobeResult =
      ffprobe && !('error' in ffprobe) ? { ok: true, output: ffprobe } : { ok: false, reason: 'unread' };
    const mediainfo: MediainfoOutput = row.mediainfo ? JSON.parse(row.mediainfo) : {};
    fresh = normalise(result, mediainfo, 0);
  } catch {
    // A record the tools' output no longer explains keeps its size: a new probe will fix it.
    return;
  }
  const video = record.video ?? [];
  if (video.length === 0 || fresh.video.length !== video.length) return;
  record.video = video.map((stream, i) => {
    const g = fresh.video[i];
    return {
      ...stream,
      rotation: g.rotation,
      sampleAspectRatio: g.sampleAspectRatio,
      displayWidth: g.displayWidth,
      displayHeight: g.displayHeight,
      displayAspectRatio: g.displayAspectRatio,
      displayAspect: g.displayAspect,
    };
  });
  const first = fresh.video[0];
  await sql`update asset_metadata set record = ${JSON.stringify(record)} where asset_id = ${row.id}`.execute(
    db,
  );
  await sql`update assets set width = ${first.displayWidth}, height = ${first.displayHeight}
    where id = ${row.id} and (width is null or height is null or width <> ${first.displayWidth} or height <> ${first.displayHeight})`.execute(
    db,
  );
}

export async function down(): Promise<void> {}
