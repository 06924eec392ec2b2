import type { Kysely } from 'kysely';

/**
 * The container the probe read, kept beside the name's extension so a file whose content is not
 * what its name says (a JPEG named `.mxf`) is shown with a warning, also after a rename.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assets').addColumn('content_format', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('assets').dropColumn('content_format').execute();
}
