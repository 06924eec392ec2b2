import type { Kysely } from 'kysely';
import type { AssetMhlCheck, MhlCard, MhlRepository } from '../../ports/mhl.js';
import type { Database } from './database.js';

/** The MHL tables (migration 2026-12-03T0835-mhl), typed here so the shared schema type stays untouched. */
type MhlTables = {
  mhlCards: { folderId: string; checkedAt: number; summary: string };
  assetMhlChecks: AssetMhlCheck;
};

type Summary = Omit<MhlCard, 'folderId' | 'checkedAt'>;

/** Rows per statement: under SQLite's bound-parameter limit. */
const CHUNK = 500;

export class KyselyMhlRepository implements MhlRepository {
  private readonly db: Kysely<Database & MhlTables>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<MhlTables>();
  }

  async saveCard(card: MhlCard, checks: AssetMhlCheck[]): Promise<void> {
    const { folderId, checkedAt, ...rest } = card;
    const summary = JSON.stringify(rest satisfies Summary);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('mhlCards')
        .values({ folderId, checkedAt, summary })
        .onConflict((oc) => oc.column('folderId').doUpdateSet({ checkedAt, summary }))
        .execute();
      await trx.deleteFrom('assetMhlChecks').where('cardFolderId', '=', folderId).execute();
      for (let i = 0; i < checks.length; i += CHUNK) {
        const rows = checks.slice(i, i + CHUNK);
        // An asset under two nested cards keeps the verdict of the last one checked.
        await trx
          .insertInto('assetMhlChecks')
          .values(rows)
          .onConflict((oc) =>
            oc.column('assetId').doUpdateSet((eb) => ({
              cardFolderId: eb.ref('excluded.cardFolderId'),
              verdict: eb.ref('excluded.verdict'),
              formats: eb.ref('excluded.formats'),
              reason: eb.ref('excluded.reason'),
              checkedAt: eb.ref('excluded.checkedAt'),
            })),
          )
          .execute();
      }
    });
  }

  async card(folderId: string): Promise<MhlCard | null> {
    const row = await this.db
      .selectFrom('mhlCards')
      .selectAll()
      .where('folderId', '=', folderId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      folderId: row.folderId,
      checkedAt: Number(row.checkedAt),
      ...(JSON.parse(row.summary) as Summary),
    };
  }

  async cardsAmong(folderIds: string[]): Promise<Set<string>> {
    const out = new Set<string>();
    const unique = [...new Set(folderIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('mhlCards')
        .select('folderId')
        .where('folderId', 'in', unique.slice(i, i + CHUNK))
        .execute();
      for (const r of rows) out.add(r.folderId);
    }
    return out;
  }

  async checksFor(assetIds: string[]): Promise<AssetMhlCheck[]> {
    const out: AssetMhlCheck[] = [];
    const unique = [...new Set(assetIds)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.db
        .selectFrom('assetMhlChecks')
        .selectAll()
        .where('assetId', 'in', unique.slice(i, i + CHUNK))
        .execute();
      out.push(...rows.map((r) => ({ ...r, checkedAt: Number(r.checkedAt) })));
    }
    return out;
  }
}
