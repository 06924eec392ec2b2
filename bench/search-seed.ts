/**
 * A lake for the search benchmark: 100 shoot days × 10 units (four cameras, drone, sound,
 * stills, VFX, proxies, renders) × 10 rolls = 10,000 roll folders, and the assets spread over
 * them with camera-card names and each unit's metadata. The folders go in from here (11,101
 * rows); the assets are made inside the database from a number series joined to the roll
 * folders, so 1,000,000 rows take a minute or two instead of an hour of round trips. The
 * insert triggers keep the search index as every writer does. Values come from a fixed hash
 * of the row number, so both catalogs hold the same lake.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/features/access/actor.js';
import type { Folder } from '../server/src/ports/catalog.js';
import { createDailies, type Dailies } from '../server/src/wiring.js';
import { dropTestDatabase } from '../server/test/support/drop-database.js';
import { testDatabaseUrl } from '../server/test/support/services.js';

export const DAYS = 100;
export const ROLLS = 10;
export const UNITS = [
  'Cam A',
  'Cam B',
  'Cam C',
  'Cam D',
  'Drone',
  'Sound',
  'Stills',
  'VFX',
  'Proxies',
  'Renders',
];
/** The editor's project group: on one shoot day in ten (and every folder inside it). */
export const PROJECT = 'unit-2';

/** The editor the search benches search as: the editors' folders and the project's. */
export const BENCH_EDITOR: Actor = {
  id: 'bench-editor',
  username: 'editor',
  groups: ['editors', PROJECT],
  isAdmin: false,
};
export const USERS = ['alice', 'bob', 'carol', 'dan', 'erin'];

/** kind, format, video codec, audio codec, frame rate, two frame sizes (either may be drawn). */
type Profile = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  number[] | null,
  number[] | null,
];
const PROFILES: Record<string, Profile> = {
  Cam: ['video', 'MOV', 'prores', 'pcm_s24le', '24000/1001', [3840, 2160], [1920, 1080]],
  Drone: ['video', 'MP4', 'h264', 'aac', '30000/1001', [3840, 2160], [2720, 1530]],
  Sound: ['audio', 'WAV', null, 'pcm_s24le', null, null, null],
  Stills: ['image', 'TIFF', null, null, null, [6000, 4000], [6000, 4000]],
  VFX: ['video', 'MXF', 'dnxhd', null, '25/1', [1920, 1080], [1280, 720]],
  Proxies: ['video', 'MP4', 'h264', 'aac', '24000/1001', [1280, 720], [640, 360]],
  Renders: ['video', 'MXF', 'dnxhd', null, '25/1', [1920, 1080], [1280, 720]],
};

export async function seedSearchLake(dailies: Dailies, total: number): Promise<{ folders: number }> {
  const { catalog, connection } = dailies;
  const { db, dialect } = connection;
  const root = (await catalog.folders.getByPath('/'))!;
  const folders: Folder[] = [];
  const groups: Array<{ folderId: string; groupName: string }> = [];
  const rolls: Array<Record<string, unknown>> = [];
  const make = (path: string, parentId: string) => {
    const id = `f${String(folders.length).padStart(6, '0')}`;
    const name = path.slice(path.lastIndexOf('/') + 1);
    folders.push({ id, path, parentId, name, createdBy: null, createdAt: 0, updatedAt: 0 });
    groups.push({ folderId: id, groupName: 'admin' }, { folderId: id, groupName: PROJECT });
    return id;
  };
  const days: string[] = [];
  for (let day = 0; day < DAYS; day++) {
    const dayPath = `/Shoot Day ${String(day + 1).padStart(3, '0')}`;
    const dayId = make(dayPath, root.id);
    days.push(dayId);
    for (const unit of UNITS) {
      const unitId = make(`${dayPath}/${unit}`, dayId);
      const [kind, format, videoCodec, audioCodec, frameRate, a, b] =
        PROFILES[unit.startsWith('Cam') ? 'Cam' : unit];
      for (let roll = 0; roll < ROLLS; roll++) {
        const rollName = `Roll ${String(day * ROLLS + roll).padStart(3, '0')}`;
        rolls.push({
          n: rolls.length,
          folder_id: make(`${dayPath}/${unit}/${rollName}`, unitId),
          unit: unit.startsWith('Cam') ? `Cam${unit.at(-1)}` : unit,
          day,
          roll,
          kind,
          format,
          video_codec: videoCodec,
          audio_codec: audioCodec,
          frame_rate: frameRate,
          w1: a?.[0] ?? null,
          h1: a?.[1] ?? null,
          w2: b?.[0] ?? null,
          h2: b?.[1] ?? null,
        });
      }
    }
  }
  await sql`create table bench_rolls (n integer primary key, folder_id text, unit text, day integer, roll integer,
    kind text, format text, video_codec text, audio_codec text, frame_rate text, w1 integer, h1 integer, w2 integer, h2 integer)`.execute(
    db,
  );
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < folders.length; i += 1000)
      await trx
        .insertInto('folders')
        .values(folders.slice(i, i + 1000))
        .execute();
    for (let i = 0; i < groups.length; i += 1000)
      await trx
        .insertInto('folderGroups')
        .values(groups.slice(i, i + 1000))
        .execute();
    for (let i = 0; i < rolls.length; i += 500)
      await trx
        .insertInto('bench_rolls' as never)
        .values(rolls.slice(i, i + 500) as never)
        .execute();
  });
  // Each day's groups through the folder repository, which recomputes the effective access
  // of the day's subtree: the editor's project is on one day in ten.
  for (const [day, id] of days.entries())
    await catalog.folders.setGroups(id, day % 10 === 3 ? ['admin', PROJECT] : ['admin']);

  const chunk = 100_000;
  for (let start = 0; start < total; start += chunk) {
    const end = Math.min(total, start + chunk) - 1;
    await insertAssets(db, dialect, start, end, rolls.length);
  }
  await sql`drop table bench_rolls`.execute(db);
  return { folders: folders.length + 1 };
}

/** Rows start..end (inclusive); row i goes to roll folder i % rolls as its clip i / rolls + 1. */
async function insertAssets(
  db: Dailies['connection']['db'],
  dialect: 'sqlite' | 'postgres',
  start: number,
  end: number,
  rolls: number,
) {
  const pg = dialect === 'postgres';
  // Literals, not parameters: SQLite binds JS numbers as REAL.
  const lit = (n: number) => String(Math.trunc(n));
  const pad = (expr: string, width: number) =>
    pg ? `lpad((${expr})::text, ${width}, '0')` : `printf('%0${width}d', ${expr})`;
  const hex4 = (expr: string) =>
    pg ? `upper(lpad(to_hex((${expr})::int), 4, '0'))` : `printf('%04X', ${expr})`;
  const cat = (...parts: string[]) => parts.join(' || ');
  // A fixed hash of the row number per purpose: uniform enough for a benchmark.
  const h = (k: number, m: number) =>
    `(((i * ${lit(2654435761 + 2 * k * 40503)} + ${lit(k * 7919)}) / 4096) % ${lit(m)})`;
  const u = (k: number) => `(${h(k, 10007)} / 10007.0)`;
  const r = pad('day * 10 + roll', 3);
  const c = pad('clip', 3);
  const date = cat(`'2304'`, pad('day % 28 + 1', 2));
  const tag = hex4(h(1, 65536));
  const name = `case unit
    when 'Sound' then ${cat(`'Scene '`, `((day * 3 + roll) % 140)`, `' Shot '`, 'clip', `' Take '`, '(clip % 12 + 1)', `' '`, tag, `'.wav'`)}
    when 'Stills' then ${cat(`'DSC_'`, r, c, `'.tif'`)}
    when 'Drone' then ${cat(`'DJI_'`, r, c, `'_'`, date, `'.MP4'`)}
    when 'VFX' then ${cat(`'sh'`, r, `'_'`, pad('clip * 10', 4), `'_comp_v'`, pad('clip % 20', 3), `'.mxf'`)}
    when 'Proxies' then ${cat(`'P'`, r, `'C'`, c, `'_proxy.mp4'`)}
    when 'Renders' then ${cat(`'Reel '`, '(roll + 1)', `' conform v'`, 'clip', `'.mxf'`)}
    else ${cat(pg ? 'right(unit, 1)' : 'substr(unit, -1)', r, `'C'`, c, `'_'`, date, `'_R'`, tag, `'.mov'`)} end`;
  const duration = `case when kind = 'image' then null else round(${u(2)} * ${u(3)} * 180000) / 100.0 + 1 end`;
  const bytes = `(case when kind = 'video' then 20000000 else 300000 end)`;
  const created = `(${lit(Date.UTC(2026, 0, 1))} + cast(day as bigint) * 86400000 + ${h(4, 86_400_000)})`;
  const uuid = pg
    ? `lpad(to_hex(i), 8, '0') || '-0000-4000-8000-' || lpad(to_hex(i), 12, '0')`
    : `printf('%08x-0000-4000-8000-%012x', i, i)`;
  const series = pg
    ? `generate_series(${lit(start)}::bigint, ${lit(end)}::bigint) as s(i)`
    : `(with recursive n(i) as (select ${lit(start)} union all select i + 1 from n where i < ${lit(end)}) select i from n) s`;
  const rows = `select i, clip, folder_id, unit, day, roll, kind, format, video_codec, audio_codec, frame_rate, w1, h1, w2, h2,
      ${name} as name, ${duration} as duration, ${created} as created
    from (select i, i / ${lit(rolls)} + 1 as clip from ${series}) x join bench_rolls on n = i % ${lit(rolls)}`;
  await sql
    .raw(`
    insert into assets (id, folder_id, name, sort_name, format, kind, size, etag, lake_mtime, state, duration, width, height,
      frame_rate, video_codec, audio_codec, audio_tracks, uploaded_by, created_at, updated_at)
    select ${uuid}, folder_id, name, lower(name), format, kind,
      cast(coalesce(duration, 1) * ${bytes} * (0.5 + ${u(5)}) as bigint), 'e' || i, created,
      case ${h(6, 10)} when 8 then 'processing' when 9 then 'failed' else 'ready' end,
      duration,
      case when ${h(7, 2)} = 0 then w1 else w2 end, case when ${h(7, 2)} = 0 then h1 else h2 end,
      frame_rate, video_codec, audio_codec, case when audio_codec is null then null else 2 end,
      case ${h(8, 5)} ${USERS.map((user, k) => `when ${k} then '${user}'`).join(' ')} end,
      created, created + ${h(9, 1_000_000_000)}
    from (${rows}) t`)
    .execute(db);
}

/**
 * A fresh catalog of `kind` (in a temporary data directory; PostgreSQL: a new test database)
 * holding the seeded lake of `total` assets. `analyze` refreshes the planner's statistics after
 * a bench writes rows; `close` removes the catalog again.
 */
export async function openSearchLake(kind: 'sqlite' | 'postgres', total: number, tempPrefix: string) {
  const dataDir = await mkdtemp(join(tmpdir(), tempPrefix));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
  );
  await seedSearchLake(dailies, total);
  const { db } = dailies.connection;
  const analyze = () =>
    kind === 'postgres' ? dailies.connection.postgresPool!.query('vacuum analyze') : sql`analyze`.execute(db);
  const close = async () => {
    await dailies.close();
    await rm(dataDir, { recursive: true, force: true });
    if (databaseUrl) await dropTestDatabase(databaseUrl);
  };
  return { dailies, db, analyze, close };
}
