/**
 * Seeds a catalog with many assets quickly, inside the database (a recursive CTE on SQLite,
 * generate_series on PostgreSQL), so a 1,000,000-asset benchmark starts in a minute or two.
 * Benchmark-only: it writes rows the way the repositories would, triggers included.
 */
import { sql } from 'kysely';
import type { Dailies } from '../server/src/wiring.js';

export interface SeededFolder {
  id: string;
  path: string;
}

export async function seedCatalog(
  dailies: Dailies,
  total: number,
  folderCount: number,
): Promise<SeededFolder[]> {
  const { db, dialect } = dailies.connection;
  const root = (await dailies.catalog.folders.getByPath('/'))!;
  const folders: SeededFolder[] = [];
  const days = new Map<string, string>();
  await dailies.catalog.transaction(async (trx) => {
    for (let f = 0; f < folderCount; f++) {
      const day = `/Day ${String(Math.floor(f / 100)).padStart(3, '0')}`;
      if (!days.has(day)) {
        const id = `day-${days.size}`;
        days.set(day, id);
        await trx.folders.insert(
          {
            id,
            path: day,
            parentId: root.id,
            name: day.slice(1),
            createdBy: null,
            createdAt: 0,
            updatedAt: 0,
          },
          ['admin', 'editors'],
        );
      }
      const path = `${day}/Cam ${String(f % 100).padStart(2, '0')}`;
      const id = `folder-${f}`;
      await trx.folders.insert(
        {
          id,
          path,
          parentId: days.get(day)!,
          name: path.split('/').pop()!,
          createdBy: null,
          createdAt: 0,
          updatedAt: 0,
        },
        ['admin', `team-${f % 10}`],
      );
      folders.push({ id, path });
    }
  });
  const chunk = 100_000;
  for (let start = 0; start < total; start += chunk) {
    // Literals, not parameters: SQLite would bind these numbers as REAL and write 'folder-1.0'.
    const count = sql.lit(folderCount);
    const first = sql.lit(start);
    const last = sql.lit(Math.min(total, start + chunk) - 1);
    if (dialect === 'sqlite') {
      await sql`
        with recursive n(i) as (select ${first} union all select i + 1 from n where i < ${last})
        insert into assets (id, folder_id, name, sort_name, format, kind, size, etag, lake_mtime, state, duration, width, height,
                            frame_rate, video_codec, audio_codec, audio_tracks, created_at, updated_at)
        select printf('%08x-0000-4000-8000-%012x', i, i), 'folder-' || (i % ${count}),
               printf('A%03dC%03d_%d.mov', i / ${count} % 1000, i % 997, i), lower(printf('A%03dC%03d_%d.mov', i / ${count} % 1000, i % 997, i)),
               case i % 4 when 0 then 'QuickTime' when 1 then 'MPEG-4' when 2 then 'MXF' else 'Wave' end,
               case i % 4 when 3 then 'audio' else 'video' end,
               (i * 7919) % 10000000000, 'e' || i, i, case i % 10 when 0 then 'failed' else 'ready' end,
               (i % 600) + 0.5, case i % 3 when 0 then 3840 when 1 then 1920 else 1280 end, case i % 3 when 0 then 2160 when 1 then 1080 else 720 end,
               case i % 2 when 0 then '24000/1001' else '25/1' end, case i % 3 when 0 then 'ProRes' when 1 then 'AVC' else 'DNxHD' end, 'PCM', 2,
               1700000000000 + i, 1700000000000 + (i * 104729) % 1000000000
        from n`.execute(db);
    } else {
      await sql`
        insert into assets (id, folder_id, name, sort_name, format, kind, size, etag, lake_mtime, state, duration, width, height,
                            frame_rate, video_codec, audio_codec, audio_tracks, created_at, updated_at)
        select lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0'), 'folder-' || (i % ${count}),
               format('A%sC%s_%s.mov', lpad((i / ${count} % 1000)::text, 3, '0'), lpad((i % 997)::text, 3, '0'), i),
               lower(format('A%sC%s_%s.mov', lpad((i / ${count} % 1000)::text, 3, '0'), lpad((i % 997)::text, 3, '0'), i)),
               case i % 4 when 0 then 'QuickTime' when 1 then 'MPEG-4' when 2 then 'MXF' else 'Wave' end,
               case i % 4 when 3 then 'audio' else 'video' end,
               (i::bigint * 7919) % 10000000000, 'e' || i, i, case i % 10 when 0 then 'failed' else 'ready' end,
               (i % 600) + 0.5, case i % 3 when 0 then 3840 when 1 then 1920 else 1280 end, case i % 3 when 0 then 2160 when 1 then 1080 else 720 end,
               case i % 2 when 0 then '24000/1001' else '25/1' end, case i % 3 when 0 then 'ProRes' when 1 then 'AVC' else 'DNxHD' end, 'PCM', 2,
               1700000000000 + i, 1700000000000 + (i::bigint * 104729) % 1000000000
        from generate_series(${first}::int, ${last}::int) as i`.execute(db);
    }
  }
  await sql`analyze`.execute(db);
  return folders;
}
