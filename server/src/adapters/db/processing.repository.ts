import type { Kysely } from 'kysely';
import type {
  Derivative,
  DerivativeKind,
  ProcessingRepository,
  ProcessingTask,
  StoredMetadata,
  TaskState,
} from '../../ports/catalog.js';
import type { Database } from './database.js';

export class KyselyProcessingRepository implements ProcessingRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async saveMetadata(metadata: StoredMetadata): Promise<void> {
    const row = {
      assetId: metadata.assetId,
      etag: metadata.etag,
      record: JSON.stringify(metadata.record),
      ffprobe: metadata.raw.ffprobe === undefined ? null : JSON.stringify(metadata.raw.ffprobe),
      mediainfo: metadata.raw.mediainfo === undefined ? null : JSON.stringify(metadata.raw.mediainfo),
      probedAt: metadata.probedAt,
    };
    await this.db
      .insertInto('assetMetadata')
      .values(row)
      .onConflict((oc) =>
        oc.column('assetId').doUpdateSet({
          etag: row.etag,
          record: row.record,
          ffprobe: row.ffprobe,
          mediainfo: row.mediainfo,
          probedAt: row.probedAt,
        }),
      )
      .execute();
  }

  async metadataRecords(assetIds: string[]): Promise<Map<string, StoredMetadata['record']>> {
    const out = new Map<string, StoredMetadata['record']>();
    const unique = [...new Set(assetIds)];
    // Chunks stay under SQLite's bound-parameter limit; the raw tool output (tens of KB an
    // asset) is left unread.
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.db
        .selectFrom('assetMetadata')
        .select(['assetId', 'record'])
        .where('assetId', 'in', unique.slice(i, i + 500))
        .execute();
      for (const row of rows) out.set(row.assetId, JSON.parse(row.record));
    }
    return out;
  }

  async getMetadata(assetId: string): Promise<StoredMetadata | null> {
    const row = await this.db
      .selectFrom('assetMetadata')
      .selectAll()
      .where('assetId', '=', assetId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      assetId: row.assetId,
      etag: row.etag,
      record: JSON.parse(row.record),
      raw: {
        ffprobe: row.ffprobe === null ? null : JSON.parse(row.ffprobe),
        mediainfo: row.mediainfo === null ? null : JSON.parse(row.mediainfo),
      },
      probedAt: Number(row.probedAt),
    };
  }

  async putDerivative(derivative: Derivative): Promise<void> {
    await this.db
      .insertInto('assetDerivatives')
      .values(derivative)
      .onConflict((oc) =>
        oc.columns(['assetId', 'kind']).doUpdateSet({
          key: derivative.key,
          contentType: derivative.contentType,
          size: derivative.size,
          createdAt: derivative.createdAt,
        }),
      )
      .execute();
  }

  async getDerivative(assetId: string, kind: DerivativeKind): Promise<Derivative | null> {
    const row = await this.db
      .selectFrom('assetDerivatives')
      .selectAll()
      .where('assetId', '=', assetId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? toDerivative(row) : null;
  }

  async derivatives(assetIds: string[]): Promise<Derivative[]> {
    if (assetIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('assetDerivatives')
      .selectAll()
      .where('assetId', 'in', assetIds)
      .execute();
    return rows.map(toDerivative);
  }

  async deleteDerivatives(assetId: string, kinds: DerivativeKind[]): Promise<void> {
    if (kinds.length === 0) return;
    await this.db
      .deleteFrom('assetDerivatives')
      .where('assetId', '=', assetId)
      .where('kind', 'in', kinds)
      .execute();
  }

  async planTasks(assetId: string, jobs: string[], now: number): Promise<void> {
    await this.db.deleteFrom('assetTasks').where('assetId', '=', assetId).execute();
    if (jobs.length === 0) return;
    await this.db
      .insertInto('assetTasks')
      .values(jobs.map((job) => ({ assetId, job, state: 'queued' as const, error: null, updatedAt: now })))
      .execute();
  }

  async setTask(
    assetId: string,
    job: string,
    state: TaskState,
    error: string | null,
    now: number,
  ): Promise<void> {
    await this.db
      .updateTable('assetTasks')
      .set({ state, error, updatedAt: now })
      .where('assetId', '=', assetId)
      .where('job', '=', job)
      .execute();
  }

  async tasks(assetId: string): Promise<ProcessingTask[]> {
    const rows = await this.db
      .selectFrom('assetTasks')
      .selectAll()
      .where('assetId', '=', assetId)
      .orderBy('job')
      .execute();
    return rows.map((r) => ({ ...r, state: r.state as TaskState, updatedAt: Number(r.updatedAt) }));
  }

  async forget(assetIds: string[]): Promise<void> {
    // Chunks keep each statement within SQLite's limit on bound values.
    for (let i = 0; i < assetIds.length; i += 500) {
      const chunk = assetIds.slice(i, i + 500);
      for (const table of ['assetMetadata', 'assetDerivatives', 'assetTasks'] as const) {
        await this.db.deleteFrom(table).where('assetId', 'in', chunk).execute();
      }
    }
  }
}

function toDerivative(row: Derivative): Derivative {
  return { ...row, size: Number(row.size), createdAt: Number(row.createdAt) };
}
