import type { Kysely } from 'kysely';

/**
 * Jobs marked heavy (a long clip, a huge still) are not taken by the workers kept for light
 * work, so one slow asset never holds up the others' jobs (issue 14).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('jobs')
    .addColumn('heavy', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('jobs').dropColumn('heavy').execute();
}
