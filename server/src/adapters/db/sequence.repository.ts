import type { Kysely } from 'kysely';
import type { Sequence, SequenceFrame, SequenceRepository } from '../../ports/sequences.js';
import type { Database } from './database.js';

/** PostgreSQL hands bigint columns back as text. */
function sequenceOf(row: Sequence): Sequence {
  return { ...row, padding: Number(row.padding), dirtyAt: row.dirtyAt === null ? null : Number(row.dirtyAt) };
}

function frameOf(row: SequenceFrame): SequenceFrame {
  return {
    number: Number(row.number),
    name: row.name,
    size: Number(row.size),
    etag: row.etag,
    mtime: Number(row.mtime),
  };
}

/** Rows per statement: below both databases' bound-parameter limits with six columns. */
const CHUNK = 500;

export class KyselySequenceRepository implements SequenceRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(assetId: string): Promise<Sequence | null> {
    const row = await this.db
      .selectFrom('sequences')
      .selectAll()
      .where('assetId', '=', assetId)
      .executeTakeFirst();
    return row ? sequenceOf(row) : null;
  }

  async getMany(assetIds: string[]): Promise<Sequence[]> {
    const out: Sequence[] = [];
    for (let i = 0; i < assetIds.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('sequences')
        .selectAll()
        .where('assetId', 'in', assetIds.slice(i, i + CHUNK))
        .execute();
      out.push(...rows.map(sequenceOf));
    }
    return out;
  }

  async findByKey(folderId: string, groupKey: string): Promise<Sequence | null> {
    const row = await this.db
      .selectFrom('sequences')
      .selectAll()
      .where('folderId', '=', folderId)
      .where('groupKey', '=', groupKey)
      .executeTakeFirst();
    return row ? sequenceOf(row) : null;
  }

  async all(): Promise<Sequence[]> {
    return (await this.db.selectFrom('sequences').selectAll().execute()).map(sequenceOf);
  }

  async insert(sequence: Sequence): Promise<boolean> {
    const result = await this.db
      .insertInto('sequences')
      .values(sequence)
      .onConflict((oc) => oc.columns(['folderId', 'groupKey']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async lock(assetId: string): Promise<void> {
    await this.db
      .updateTable('sequences')
      .set((eb) => ({ padding: eb.ref('padding') }))
      .where('assetId', '=', assetId)
      .execute();
  }

  async frames(assetId: string): Promise<SequenceFrame[]> {
    const rows = await this.db
      .selectFrom('sequenceFrames')
      .select(['number', 'name', 'size', 'etag', 'mtime'])
      .where('assetId', '=', assetId)
      .orderBy('number')
      .execute();
    return rows.map(frameOf);
  }

  async putFrames(assetId: string, frames: SequenceFrame[]): Promise<void> {
    for (let i = 0; i < frames.length; i += CHUNK) {
      await this.db
        .insertInto('sequenceFrames')
        .values(frames.slice(i, i + CHUNK).map((f) => ({ ...f, assetId })))
        .onConflict((oc) =>
          oc.columns(['assetId', 'number']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            size: eb.ref('excluded.size'),
            etag: eb.ref('excluded.etag'),
            mtime: eb.ref('excluded.mtime'),
          })),
        )
        .execute();
    }
  }

  async removeFrames(assetId: string, numbers: number[]): Promise<void> {
    for (let i = 0; i < numbers.length; i += CHUNK) {
      await this.db
        .deleteFrom('sequenceFrames')
        .where('assetId', '=', assetId)
        .where('number', 'in', numbers.slice(i, i + CHUNK))
        .execute();
    }
  }

  async update(
    assetId: string,
    patch: Partial<Pick<Sequence, 'folderId' | 'groupKey' | 'frameRate'>>,
  ): Promise<void> {
    if (Object.keys(patch).length === 0) return;
    await this.db.updateTable('sequences').set(patch).where('assetId', '=', assetId).execute();
  }

  async delete(assetIds: string[]): Promise<void> {
    for (let i = 0; i < assetIds.length; i += CHUNK) {
      const chunk = assetIds.slice(i, i + CHUNK);
      await this.db.deleteFrom('sequenceFrames').where('assetId', 'in', chunk).execute();
      await this.db.deleteFrom('sequences').where('assetId', 'in', chunk).execute();
    }
  }

  async markDirty(assetIds: string[], at: number): Promise<void> {
    for (let i = 0; i < assetIds.length; i += CHUNK) {
      await this.db
        .updateTable('sequences')
        .set({ dirtyAt: at })
        .where('assetId', 'in', assetIds.slice(i, i + CHUNK))
        .execute();
    }
  }

  async quiet(before: number, limit: number): Promise<Array<{ assetId: string; dirtyAt: number }>> {
    const rows = await this.db
      .selectFrom('sequences')
      .select(['assetId', 'dirtyAt'])
      .where('dirtyAt', 'is not', null)
      .where('dirtyAt', '<', before)
      .orderBy('dirtyAt')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ assetId: r.assetId, dirtyAt: Number(r.dirtyAt) }));
  }

  async settle(assetId: string, dirtyAt: number): Promise<boolean> {
    const result = await this.db
      .updateTable('sequences')
      .set({ dirtyAt: null })
      .where('assetId', '=', assetId)
      .where('dirtyAt', '=', dirtyAt)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
