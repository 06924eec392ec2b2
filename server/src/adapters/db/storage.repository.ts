import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { AccessScope, Asset } from '../../ports/catalog.js';
import type {
  ChildFolder,
  DailyFigure,
  DuplicateGroup,
  IdleFolder,
  Listed,
  StorageFolder,
  StorageRepository,
  StorageSum,
  SubtreeSum,
  VolumeCopy,
} from '../../ports/storage.js';
import { EVERYONE } from './access-scope.js';
import type { Database } from './database.js';
import type { DialectName } from './dialect.js';
import { pathWithin, sqlLength } from './path-conditions.js';

const SUM_COLUMNS = sql.raw(
  'folder_id as "folderId", part, label, format, trashed, sum(assets) as assets, sum(bytes) as bytes',
);

interface SumRow {
  folderId: string;
  part: StorageSum['part'];
  label: string;
  format: string;
  trashed: number;
  assets: number | string;
  bytes: number | string;
}

/** The storage tables (2026-12-03T0500-storage-sums) over Kysely, on SQLite and PostgreSQL. */
export class KyselyStorageRepository implements StorageRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: DialectName,
  ) {}

  async sums(scope: AccessScope): Promise<StorageSum[]> {
    const { rows } = await sql<SumRow>`select ${SUM_COLUMNS} from (
        select folder_id, part, label, format, trashed, assets, bytes from storage_sums
        union all
        select folder_id, part, label, format, trashed, assets, bytes from storage_deltas
      ) s where ${this.visible('folder_id', scope)}
      group by folder_id, part, label, format, trashed`.execute(this.db);
    return rows.map(toSum).filter((s) => s.assets !== 0 || s.bytes !== 0);
  }

  async subtreeSums(scope: AccessScope, folder: { id: string; path: string }): Promise<SubtreeSum[]> {
    // The first path segment below the folder, counted in characters as path-conditions does.
    const start = sqlLength(folder.path === '/' ? '/' : `${folder.path}/`) + 1;
    const rest = sql`substr(f.path, ${sql.lit(start)})`;
    const find = this.dialect === 'postgres' ? sql`strpos(${rest}, '/')` : sql`instr(${rest}, '/')`;
    const child = sql`case when f.id is null then null when f.path = ${folder.path} then ''
      when ${find} = 0 then ${rest} else substr(${rest}, 1, ${find} - 1) end`;
    // A deleted folder's trash (no folder row) counts at the root only.
    const orphans = folder.path === '/' ? sql` or (f.id is null and s.trashed = 1)` : sql``;
    const { rows } = await sql<
      SumRow & { child: string | null }
    >`select ${child} as child, s.part, s.label, s.format, s.trashed,
        sum(s.assets) as assets, sum(s.bytes) as bytes
      from (
        select folder_id, part, label, format, trashed, assets, bytes from storage_sums
        union all
        select folder_id, part, label, format, trashed, assets, bytes from storage_deltas
      ) s left join folders f on f.id = s.folder_id
      where ${this.visible('s.folder_id', scope)} and ((f.id is not null and ${pathWithin('f.path', folder.path)})${orphans})
      group by 1, 2, 3, 4, 5`.execute(this.db);
    return rows
      .map((row) => ({ ...toSum({ ...row, folderId: '' }), child: row.child }))
      .map(({ folderId: _, ...rest }) => rest)
      .filter((s) => s.assets !== 0 || s.bytes !== 0);
  }

  async childFolders(scope: AccessScope, folderId: string): Promise<ChildFolder[]> {
    const { rows } = await sql<{
      id: string;
      path: string;
      hasChildren: number | boolean;
    }>`select f.id, f.path,
        case when exists (select 1 from folders c where c.parent_id = f.id and ${this.visible('c.id', scope)}) then 1 else 0 end as "hasChildren"
      from folders f where f.parent_id = ${folderId} and ${this.visible('f.id', scope)}`.execute(this.db);
    return rows.map((r) => ({ id: r.id, path: r.path, hasChildren: Number(r.hasChildren) === 1 }));
  }

  async recount(scope: AccessScope): Promise<StorageSum[]> {
    const trashed = sql.raw('case when a.trashed_at is null then 0 else 1 end');
    const { rows } = await sql<SumRow>`select ${SUM_COLUMNS} from (
        select a.folder_id, 'asset' as part, coalesce(a.kind, 'other') as label, a.format, ${trashed} as trashed, 1 as assets, a.size as bytes
          from assets a
        union all
        select a.folder_id, 'derived', d.kind, '', ${trashed}, 1, d.size from asset_derivatives d join assets a on a.id = d.asset_id
        union all
        select a.folder_id, 'volume', l.volume_id, '', ${trashed}, 1, l.size from asset_locations l join assets a on a.id = l.asset_id
      ) s where ${this.visible('folder_id', scope)}
      group by folder_id, part, label, format, trashed`.execute(this.db);
    return rows.map(toSum);
  }

  async fold(): Promise<number> {
    const upsert = sql.raw(
      'on conflict (folder_id, part, label, format, trashed) do update set assets = storage_sums.assets + excluded.assets, bytes = storage_sums.bytes + excluded.bytes',
    );
    if (this.dialect === 'postgres') {
      // The rows deleted are exactly the rows added: a change committed meanwhile stays for the next fold.
      const { rows } = await sql<{ folded: number | string }>`with gone as (
          delete from storage_deltas returning folder_id, part, label, format, trashed, assets, bytes
        ), added as (
          insert into storage_sums (folder_id, part, label, format, trashed, assets, bytes)
          select folder_id, part, label, format, trashed, sum(assets), sum(bytes) from gone
            group by folder_id, part, label, format, trashed order by 1, 2, 3, 4, 5
          ${upsert}
        ) select count(*) as folded from gone`.execute(this.db);
      return Number(rows[0]?.folded ?? 0);
    }
    // One process writes a SQLite catalog, and this transaction holds its only connection.
    return this.db.transaction().execute(async (trx) => {
      const { rows } = await sql<{
        last: number | null;
        n: number;
      }>`select max(id) as last, count(*) as n from storage_deltas`.execute(trx);
      const last = rows[0]?.last;
      if (last === null || last === undefined) return 0;
      await sql`insert into storage_sums (folder_id, part, label, format, trashed, assets, bytes)
        select folder_id, part, label, format, trashed, sum(assets), sum(bytes) from storage_deltas
          where id <= ${last} group by folder_id, part, label, format, trashed ${upsert}`.execute(trx);
      await sql`delete from storage_deltas where id <= ${last}`.execute(trx);
      await sql`delete from storage_sums where assets = 0 and bytes = 0`.execute(trx);
      return rows[0]!.n;
    });
  }

  async pending(): Promise<number> {
    const { rows } = await sql<{ n: number | string }>`select count(*) as n from storage_deltas`.execute(
      this.db,
    );
    return Number(rows[0]?.n ?? 0);
  }

  async folders(scope: AccessScope): Promise<StorageFolder[]> {
    const { rows } = await sql<StorageFolder>`select id, path, parent_id as "parentId" from folders f
      where ${this.visible('f.id', scope)}`.execute(this.db);
    return rows;
  }

  async accessKeys(): Promise<Map<string, string>> {
    const rows = await this.db
      .selectFrom('folderAccess')
      .select(['folderId', 'groupName'])
      .orderBy('folderId')
      .orderBy('groupName')
      .execute();
    const groups = new Map<string, string[]>();
    for (const row of rows) {
      const list = groups.get(row.folderId) ?? [];
      list.push(row.groupName);
      groups.set(row.folderId, list);
    }
    return new Map(
      [...groups].map(([id, list]) => [id, list.includes(EVERYONE) ? EVERYONE : list.join(',')]),
    );
  }

  async duplicates(scope: AccessScope, limit: number): Promise<Listed<DuplicateGroup>> {
    const visible = this.visible('folder_id', scope);
    const { rows: keys } = await sql<{ checksum: string; size: number | string; n: number | string }>`
      select checksum_xxh64 as checksum, size, count(*) as n from assets
        where trashed_at is null and checksum_xxh64 is not null and ${visible}
        group by checksum_xxh64, size having count(*) > 1`.execute(this.db);
    // Largest savings first: what the copies beyond one hold.
    keys.sort(
      (a, b) =>
        (Number(b.n) - 1) * Number(b.size) - (Number(a.n) - 1) * Number(a.size) ||
        (a.checksum < b.checksum ? -1 : 1),
    );
    const shown = keys.slice(0, limit);
    const items: DuplicateGroup[] = [];
    for (const key of shown)
      items.push({
        checksum: key.checksum,
        size: Number(key.size),
        assets: await this.sameContent(scope, key.checksum, Number(key.size)),
      });
    return {
      items,
      total: keys.length,
      bytes: keys.reduce((sum, k) => sum + (Number(k.n) - 1) * Number(k.size), 0),
    };
  }

  async sameContent(scope: AccessScope, checksum: string, size: number): Promise<Asset[]> {
    const { rows } =
      await sql<Asset>`select * from assets where checksum_xxh64 = ${checksum} and size = ${size}
      and trashed_at is null and ${this.visible('folder_id', scope)} order by created_at, id`.execute(
        this.db,
      );
    return rows.map(numericAsset);
  }

  async idleCopies(scope: AccessScope, before: number, limit: number): Promise<Listed<VolumeCopy>> {
    const where = sql`l.mtime < ${before} and a.trashed_at is null and ${this.visible('a.folder_id', scope)}`;
    const { rows } = await sql<
      Record<string, unknown>
    >`select l.asset_id as "copyAssetId", l.volume_id as "copyVolumeId",
        l.path as "copyPath", l.size as "copySize", l.mtime as "copyMtime", a.*
      from asset_locations l join assets a on a.id = l.asset_id where ${where}
      order by l.mtime, l.asset_id, l.volume_id limit ${limit}`.execute(this.db);
    const totals = await this.totals(
      sql`asset_locations l join assets a on a.id = l.asset_id`,
      where,
      'l.size',
    );
    return { items: rows.map(toCopy), ...totals };
  }

  async idleFolders(scope: AccessScope, before: number): Promise<IdleFolder[]> {
    const { rows } = await sql<Record<string, number | string>>`
      select c.folder_id as "folderId", c.volume_id as "volumeId", c.n as assets, c.bytes, c.last as "lastTouched"
      from (
        select a.folder_id, l.volume_id, count(*) as n, sum(l.size) as bytes, max(l.mtime) as last
          from asset_locations l join assets a on a.id = l.asset_id
          where a.trashed_at is null and ${this.visible('a.folder_id', scope)}
          group by a.folder_id, l.volume_id
      ) c
      where c.last < ${before}
        and c.n = (select count(*) from assets x where x.folder_id = c.folder_id and x.trashed_at is null)
      order by c.last, c.folder_id`.execute(this.db);
    return rows.map((r) => ({
      folderId: String(r.folderId),
      volumeId: String(r.volumeId),
      assets: Number(r.assets),
      bytes: Number(r.bytes),
      lastTouched: Number(r.lastTouched),
    }));
  }

  async copiesInFolders(volumeId: string, folderIds: string[]): Promise<VolumeCopy[]> {
    if (folderIds.length === 0) return [];
    const { rows } = await sql<
      Record<string, unknown>
    >`select l.asset_id as "copyAssetId", l.volume_id as "copyVolumeId",
        l.path as "copyPath", l.size as "copySize", l.mtime as "copyMtime", a.*
      from asset_locations l join assets a on a.id = l.asset_id
      where l.volume_id = ${volumeId} and a.trashed_at is null and a.folder_id in (${sql.join(folderIds)})
      order by l.asset_id`.execute(this.db);
    return rows.map(toCopy);
  }

  async trashedBefore(scope: AccessScope, before: number, limit: number): Promise<Listed<Asset>> {
    const where = sql`trashed_at is not null and trashed_at < ${before} and ${this.visible('folder_id', scope)}`;
    const { rows } =
      await sql<Asset>`select * from assets where ${where} order by trashed_at, id limit ${limit}`.execute(
        this.db,
      );
    return { items: rows.map(numericAsset), ...(await this.totals(sql`assets`, where, 'size')) };
  }

  async failed(scope: AccessScope, limit: number): Promise<Listed<Asset>> {
    const where = sql`state = 'failed' and trashed_at is null and ${this.visible('folder_id', scope)}`;
    // SQLite's planner prefers the search index on `state` (then reads every failed row, and
    // sorts them); the partial index answers the list in order and the totals by itself.
    const from = this.dialect === 'sqlite' ? sql`assets indexed by assets_failed` : sql`assets`;
    const { rows } =
      await sql<Asset>`select * from ${from} where ${where} order by updated_at, id limit ${limit}`.execute(
        this.db,
      );
    return { items: rows.map(numericAsset), ...(await this.totals(from, where, 'size')) };
  }

  async writeDay(figures: DailyFigure[]): Promise<void> {
    if (figures.length === 0) return;
    await this.db.transaction().execute(async (trx) => {
      // The day's figure is replaced whole: a group set that no longer exists leaves no row behind.
      for (const day of new Set(figures.map((f) => f.day)))
        await sql`delete from storage_daily where day = ${day}`.execute(trx);
      for (const f of figures)
        await sql`insert into storage_daily (day, access_key, assets, bytes, trashed_bytes, derived_bytes, volume_bytes)
          values (${f.day}, ${f.accessKey}, ${f.assets}, ${f.bytes}, ${f.trashedBytes}, ${f.derivedBytes}, ${f.volumeBytes})`.execute(
          trx,
        );
    });
  }

  async days(since: string): Promise<DailyFigure[]> {
    const { rows } = await sql<
      Record<string, number | string>
    >`select day, access_key as "accessKey", assets, bytes,
        trashed_bytes as "trashedBytes", derived_bytes as "derivedBytes", volume_bytes as "volumeBytes"
      from storage_daily where day >= ${since} order by day, access_key`.execute(this.db);
    return rows.map((r) => ({
      day: String(r.day),
      accessKey: String(r.accessKey),
      assets: Number(r.assets),
      bytes: Number(r.bytes),
      trashedBytes: Number(r.trashedBytes),
      derivedBytes: Number(r.derivedBytes),
      volumeBytes: Number(r.volumeBytes),
    }));
  }

  private async totals(from: RawBuilder<unknown>, where: RawBuilder<unknown>, size: string) {
    const { rows } = await sql<{ n: number | string; bytes: number | string | null }>`select count(*) as n,
      sum(${sql.raw(size)}) as bytes from ${from} where ${where}`.execute(this.db);
    return { total: Number(rows[0]?.n ?? 0), bytes: Number(rows[0]?.bytes ?? 0) };
  }

  /** `column` names a folder `scope` may see (a folder's effective groups, `*` on the root). */
  private visible(column: string, scope: AccessScope): RawBuilder<unknown> {
    if (scope.all) return sql`1 = 1`;
    return sql`${sql.ref(column)} in (select folder_id from folder_access where group_name in (${sql.join([...scope.groups, EVERYONE])}))`;
  }
}

function toSum(row: SumRow): StorageSum {
  return {
    folderId: row.folderId,
    part: row.part,
    label: row.label,
    format: row.format,
    trashed: Number(row.trashed) === 1,
    assets: Number(row.assets),
    bytes: Number(row.bytes),
  };
}

/** PostgreSQL's sum/count of bigint are text; sizes and times are numbers everywhere else. */
function numericAsset(row: Asset): Asset {
  return { ...row, size: Number(row.size) };
}

function toCopy(row: Record<string, unknown>): VolumeCopy {
  const { copyAssetId, copyVolumeId, copyPath, copySize, copyMtime, ...asset } = row;
  return {
    assetId: String(copyAssetId),
    volumeId: String(copyVolumeId),
    path: String(copyPath),
    size: Number(copySize),
    mtime: Number(copyMtime),
    asset: numericAsset(asset as unknown as Asset),
  };
}
