import { type Kysely, sql } from 'kysely';
import { nameKey } from '../../../lib/paths.js';

/**
 * An asset's `sort_name` becomes its name key (NFC, case folded: `nameKey`), which also finds
 * a name's twins in a folder through the (folder_id, sort_name) index. ASCII names keep the
 * key they had (lower case); names with other letters are rewritten here.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = (
      await sql<{ id: string; name: string; sort_name: string }>`
        select id, name, sort_name from assets where id > ${after} order by id limit 5000`.execute(db)
    ).rows;
    if (rows.length === 0) break;
    for (const row of rows) {
      const key = nameKey(row.name);
      if (key !== row.sort_name)
        await sql`update assets set sort_name = ${key} where id = ${row.id}`.execute(db);
    }
    after = rows[rows.length - 1].id;
  }
}

export async function down(): Promise<void> {}
