import { type Kysely, PostgresAdapter } from 'kysely';
import { foldLogValue } from '../../lib/log-values.js';
import {
  type AssetLog,
  type AssetLogRepository,
  type AutomaticField,
  type CustomLogField,
  emptyLogValues,
  type LogPatch,
  type LogSource,
} from '../../ports/asset-log.js';
import type { AssetLogTable, Database } from './database.js';

/** Stays under SQLite's bound-parameter limit with room for the fields set. */
const CHUNK = 500;

function chunks<T>(list: T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += CHUNK) out.push(list.slice(i, i + CHUNK));
  return out;
}

/** Logging fields on either catalog: a row per logged asset, values of custom fields beside it. */
export class KyselyAssetLogRepository implements AssetLogRepository {
  constructor(private readonly db: Kysely<Database>) {}

  private inTransaction<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work);
  }

  async get(assetIds: string[]): Promise<Map<string, AssetLog>> {
    const logs = new Map<string, AssetLog>();
    const unique = [...new Set(assetIds)];
    for (const ids of chunks(unique)) {
      const rows = await this.db.selectFrom('assetLogs').selectAll().where('assetId', 'in', ids).execute();
      for (const row of rows) logs.set(row.assetId, fromRow(row));
      const values = await this.db
        .selectFrom('assetLogValues')
        .selectAll()
        .where('assetId', 'in', ids)
        .execute();
      for (const v of values) {
        const value = v.textValue ?? v.numberValue;
        if (value === null) continue;
        // A value may exist where the row does not (a log only of custom fields is still a row; kept safe).
        const log = logs.get(v.assetId) ?? emptyRow(v.assetId);
        log.custom[v.fieldId] = value;
        logs.set(v.assetId, log);
      }
    }
    return logs;
  }

  async write(assetIds: string[], patch: LogPatch, by: string, now: number): Promise<void> {
    const { custom, circled, camera, reel, ...rest } = patch;
    const set: Partial<AssetLogTable> = { ...rest, updatedAt: now, updatedBy: by };
    if (circled !== undefined) set.circled = circled ? 1 : 0;
    if (camera !== undefined) Object.assign(set, { camera, cameraSource: 'person' });
    if (reel !== undefined) Object.assign(set, { reel, reelSource: 'person' });
    // Every writer takes the rows in one order (sorted ids): two edits of overlapping
    // selections at once then wait for each other instead of deadlocking.
    const sorted = [...new Set(assetIds)].sort();
    await this.inTransaction(async (db) => {
      for (const ids of chunks(sorted)) {
        await db
          .insertInto('assetLogs')
          .values(ids.map((assetId) => ({ assetId, circled: 0 })))
          .onConflict((oc) => oc.column('assetId').doNothing())
          .execute();
        // An UPDATE locks rows in the order it finds them on disk, which differs between two
        // transactions once rows have moved; taking the locks first, in id order, keeps to it.
        if (db.getExecutor().adapter instanceof PostgresAdapter)
          await db
            .selectFrom('assetLogs')
            .select('assetId')
            .where('assetId', 'in', ids)
            .orderBy('assetId')
            .forUpdate()
            .execute();
        await db.updateTable('assetLogs').set(set).where('assetId', 'in', ids).execute();
        for (const [fieldId, value] of Object.entries(custom ?? {})) {
          await db
            .deleteFrom('assetLogValues')
            .where('fieldId', '=', fieldId)
            .where('assetId', 'in', ids)
            .execute();
          if (value === null) continue;
          await db
            .insertInto('assetLogValues')
            .values(
              ids.map((assetId) => ({
                assetId,
                fieldId,
                textValue: typeof value === 'string' ? value : null,
                numberValue: typeof value === 'number' ? value : null,
                searchKey: typeof value === 'string' ? foldLogValue(value) : null,
              })),
            )
            .execute();
        }
      }
    });
  }

  async fillAutomatic(
    assetId: string,
    values: Partial<Record<AutomaticField, { value: string; source: Exclude<LogSource, 'person'> }>>,
    now: number,
  ): Promise<void> {
    const entries = Object.entries(values) as Array<[AutomaticField, { value: string; source: LogSource }]>;
    if (entries.length === 0) return;
    await this.inTransaction(async (db) => {
      await db
        .insertInto('assetLogs')
        .values({ assetId, circled: 0 })
        .onConflict((oc) => oc.column('assetId').doNothing())
        .execute();
      for (const [field, { value, source }] of entries) {
        const sourceColumn = field === 'camera' ? 'cameraSource' : 'reelSource';
        // In the statement, not read before: a person's edit committed meanwhile still wins.
        await db
          .updateTable('assetLogs')
          .set({ [field]: value, [sourceColumn]: source, updatedAt: now })
          .where('assetId', '=', assetId)
          .where((eb) => eb.or([eb(sourceColumn, 'is', null), eb(sourceColumn, '!=', 'person')]))
          .execute();
      }
    });
  }

  async forget(assetIds: string[]): Promise<void> {
    for (const ids of chunks(assetIds)) {
      await this.db.deleteFrom('assetLogValues').where('assetId', 'in', ids).execute();
      await this.db.deleteFrom('assetLogs').where('assetId', 'in', ids).execute();
    }
  }

  async fields(): Promise<CustomLogField[]> {
    const rows = await this.db
      .selectFrom('logFields')
      .selectAll()
      .orderBy('position')
      .orderBy('key')
      .execute();
    return rows.map((r) => ({
      ...r,
      kind: r.kind as CustomLogField['kind'],
      choices: JSON.parse(r.choices) as string[],
    }));
  }

  async addField(field: CustomLogField): Promise<void> {
    await this.db
      .insertInto('logFields')
      .values({ ...field, choices: JSON.stringify(field.choices) })
      .execute();
  }

  async updateField(
    id: string,
    patch: Partial<Pick<CustomLogField, 'label' | 'choices' | 'position'>>,
  ): Promise<void> {
    const { choices, ...rest } = patch;
    await this.db
      .updateTable('logFields')
      .set({ ...rest, ...(choices ? { choices: JSON.stringify(choices) } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async deleteField(id: string): Promise<void> {
    await this.inTransaction(async (db) => {
      await db.deleteFrom('assetLogValues').where('fieldId', '=', id).execute();
      await db.deleteFrom('logFields').where('id', '=', id).execute();
    });
  }
}

function emptyRow(assetId: string): AssetLog {
  return {
    assetId,
    ...emptyLogValues(),
    cameraSource: null,
    reelSource: null,
    updatedAt: null,
    updatedBy: null,
  };
}

function fromRow(row: AssetLogTable): AssetLog {
  return {
    ...row,
    circled: Number(row.circled) === 1,
    rating: row.rating === null ? null : Number(row.rating),
    cameraSource: row.cameraSource as LogSource | null,
    reelSource: row.reelSource as LogSource | null,
    updatedAt: row.updatedAt === null ? null : Number(row.updatedAt),
    custom: {},
  };
}
