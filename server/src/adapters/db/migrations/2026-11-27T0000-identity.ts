import type { Kysely } from 'kysely';

// Booleans are integers (0/1) so SQLite and PostgreSQL share one schema; times are epoch ms.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text')
    .addColumn('password_hash', 'text')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('oidc_issuer', 'text')
    .addColumn('oidc_subject', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('users_oidc')
    .on('users')
    .columns(['oidc_issuer', 'oidc_subject'])
    .unique()
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('description', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  const now = Date.now();
  await db
    .insertInto('groups')
    .values([
      { name: 'admin', description: 'Media managers: may do everything', created_at: now },
      { name: 'editors', description: 'Editors; self sign-up joins this group', created_at: now },
    ])
    .execute();

  await db.schema
    .createTable('group_members')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['user_id', 'group_name'])
    .execute();
  await db.schema.createIndex('group_members_group').on('group_members').columns(['group_name']).execute();

  // The id is a SHA-256 of the cookie value: a copy of the catalog holds no usable session.
  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('csrf_token', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('address', 'text')
    .addColumn('user_agent', 'text')
    .execute();
  await db.schema.createIndex('sessions_user').on('sessions').columns(['user_id']).execute();

  await db.schema
    .createTable('api_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_used_at', 'bigint')
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('api_tokens_user').on('api_tokens').columns(['user_id']).execute();

  await db.schema
    .createTable('sign_in_attempts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('success', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_user')
    .on('sign_in_attempts')
    .columns(['username', 'at'])
    .execute();
  await db.schema
    .createIndex('sign_in_attempts_address')
    .on('sign_in_attempts')
    .columns(['address', 'at'])
    .execute();

  // Effective groups of each folder: its own groups intersected with its parent's effective
  // groups (the root holds '*', open to every signed-in user). Lists filter on it in the query.
  await db.schema
    .createTable('folder_access')
    .addColumn('folder_id', 'text', (c) => c.notNull())
    .addColumn('group_name', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('folder_access_pk', ['folder_id', 'group_name'])
    .execute();
  await db.schema
    .createIndex('folder_access_group')
    .on('folder_access')
    .columns(['group_name', 'folder_id'])
    .execute();
  await backfillFolderAccess(db);
  await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'at']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();
}

async function backfillFolderAccess(db: Kysely<any>): Promise<void> {
  // One-word aliases: the app's connection renames result columns to camelCase, a bare one does not.
  const folders: Array<{ id: string; path: string; parent: string | null }> = await db
    .selectFrom('folders')
    .select(['id', 'path', 'parent_id as parent'])
    .execute();
  const own = new Map<string, string[]>();
  const memberships: Array<{ folder: string; grp: string }> = await db
    .selectFrom('folder_groups')
    .select(['folder_id as folder', 'group_name as grp'])
    .execute();
  for (const row of memberships) own.set(row.folder, [...(own.get(row.folder) ?? []), row.grp]);
  const depth = (path: string) => (path === '/' ? 0 : path.split('/').length - 1);
  const effective = new Map<string, string[]>();
  const rootIds = new Set(folders.filter((f) => f.parent === null).map((f) => f.id));
  for (const folder of [...folders].sort((a, b) => depth(a.path) - depth(b.path))) {
    const groups = own.get(folder.id) ?? [];
    let access: string[];
    if (folder.parent === null) access = ['*'];
    else if (rootIds.has(folder.parent)) access = groups;
    else access = groups.filter((g) => (effective.get(folder.parent!) ?? []).includes(g));
    effective.set(folder.id, access);
  }
  const rows = [...effective].flatMap(([folderId, groups]) =>
    groups.map((group) => ({ folder_id: folderId, group_name: group })),
  );
  for (let i = 0; i < rows.length; i += 1000) {
    await db
      .insertInto('folder_access')
      .values(rows.slice(i, i + 1000))
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('audit_log_action').ifExists().execute();
  await db.schema.dropIndex('audit_log_actor').ifExists().execute();
  for (const table of [
    'folder_access',
    'sign_in_attempts',
    'api_tokens',
    'sessions',
    'group_members',
    'groups',
    'users',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
