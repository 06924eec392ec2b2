import { type Kysely, sql } from 'kysely';

// Account security: sign-ups waiting for an admin, two-factor sign-in (TOTP with recovery
// codes), sign-ins half done (password right, code still to come), attempts told apart by
// kind, and API tokens that always expire.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('users')
    .addColumn('awaiting_approval', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  // Sealed with a key derived from the server secret; null until the user turns it on.
  await db.schema.alterTable('users').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_pending_secret', 'text').execute();
  await db.schema.alterTable('users').addColumn('totp_enabled_at', 'bigint').execute();
  // The last time step accepted: a code is never accepted twice.
  await db.schema.alterTable('users').addColumn('totp_last_step', 'bigint').execute();

  // How the session's sign-in was confirmed beyond the password: totp, recovery, sso; null: not.
  await db.schema.alterTable('sessions').addColumn('second_factor', 'text').execute();

  await db.schema
    .alterTable('sign_in_attempts')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('password'))
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_user_address')
    .on('sign_in_attempts')
    .columns(['username', 'address', 'at'])
    .execute();

  await db.schema
    .createTable('recovery_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('recovery_codes_user_code')
    .on('recovery_codes')
    .columns(['user_id', 'code_hash'])
    .unique()
    .execute();

  await db.schema
    .createTable('sign_in_challenges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('sign_in_challenges_user')
    .on('sign_in_challenges')
    .columns(['user_id'])
    .execute();

  // Tokens made before expiry existed last 90 days from now rather than forever.
  await db
    .updateTable('api_tokens')
    .set({ expires_at: sql`${Date.now() + 90 * 86_400_000}` })
    .where('expires_at', 'is', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sign_in_challenges').ifExists().execute();
  await db.schema.dropTable('recovery_codes').ifExists().execute();
  await db.schema.dropIndex('sign_in_attempts_user_address').ifExists().execute();
  await db.schema.alterTable('sign_in_attempts').dropColumn('kind').execute();
  await db.schema.alterTable('sessions').dropColumn('second_factor').execute();
  for (const column of [
    'totp_last_step',
    'totp_enabled_at',
    'totp_pending_secret',
    'totp_secret',
    'awaiting_approval',
  ])
    await db.schema.alterTable('users').dropColumn(column).execute();
}
