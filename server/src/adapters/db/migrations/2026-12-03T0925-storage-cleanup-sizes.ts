import { type Kysely, sql } from 'kysely';

/**
 * The clean-up tab's totals ("N items · X GB") at 1,000,000 assets: with 10 % of assets failed,
 * `count(*), sum(size)` over the failed ones read 100,000 table rows one by one, because
 * `assets_failed` held only `(updated_at, id)` (p95 0.5–0.8 s). The lists' indexes now carry
 * `folder_id` (an editor's scope) and `size`, so the list and its totals are answered from the
 * index alone. Both are partial (failed and live; trashed), so an upload writes neither.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index assets_failed`.execute(db);
  await sql`create index assets_failed on assets (updated_at, id, folder_id, size) where state = 'failed' and trashed_at is null`.execute(
    db,
  );
  await sql`create index assets_trash_sizes on assets (trashed_at, id, folder_id, size) where trashed_at is not null`.execute(
    db,
  );
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index assets_trash_sizes`.execute(db);
  await sql`drop index assets_failed`.execute(db);
  await sql`create index assets_failed on assets (updated_at, id) where state = 'failed' and trashed_at is null`.execute(
    db,
  );
}
