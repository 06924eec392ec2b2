import type { Kysely } from 'kysely';
import type { LakeIntent, LakeIntentKind, LakeIntentRepository } from '../../ports/catalog.js';
import type { Database } from './database.js';

export class KyselyLakeIntentRepository implements LakeIntentRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(intent: LakeIntent): Promise<void> {
    await this.db
      .insertInto('lakeIntents')
      .values({ ...intent, detail: JSON.stringify(intent.detail) })
      .execute();
  }

  async remove(id: string): Promise<void> {
    await this.db.deleteFrom('lakeIntents').where('id', '=', id).execute();
  }

  async all(): Promise<LakeIntent[]> {
    const rows = await this.db.selectFrom('lakeIntents').selectAll().orderBy('createdAt').execute();
    return rows.map((row) => ({
      ...row,
      kind: row.kind as LakeIntentKind,
      detail: JSON.parse(row.detail) as Record<string, unknown>,
      createdAt: Number(row.createdAt),
    }));
  }
}
