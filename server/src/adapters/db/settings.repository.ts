import type { Kysely } from 'kysely';
import type { SettingEntry, SettingsRepository } from '../../ports/catalog.js';
import type { Database } from './database.js';

export class KyselySettingsRepository implements SettingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('settings')
      .select('value')
      .where('key', '=', key)
      .executeTakeFirst();
    return row?.value ?? null;
  }

  async entries(keys: string[]): Promise<SettingEntry[]> {
    if (keys.length === 0) return [];
    const rows = await this.db
      .selectFrom('settings')
      .select(['key', 'value', 'updatedAt', 'updatedBy'])
      .where('key', 'in', keys)
      .orderBy('key')
      .execute();
    return rows.map((row) => ({ ...row, updatedAt: Number(row.updatedAt) }));
  }

  async set(key: string, value: string, now: number, by?: string): Promise<void> {
    const updatedBy = by ?? null;
    await this.db
      .insertInto('settings')
      .values({ key, value, updatedAt: now, updatedBy })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value, updatedAt: now, updatedBy }))
      .execute();
  }
}
