import type { Kysely } from 'kysely';
import type { AccessScope } from '../../ports/catalog.js';
import type { Database } from './database.js';

/** The group every signed-in user holds for access purposes: the root carries it. */
export const EVERYONE = '*';

/**
 * A subquery of the folder ids `scope` may see, for `where('folderId', 'in', …)`; null means
 * no filter (admins). Lists and searches use it so they filter in the query.
 */
export function visibleFolderIds(db: Kysely<Database>, scope: AccessScope) {
  if (scope.all) return null;
  return db
    .selectFrom('folderAccess')
    .select('folderAccess.folderId')
    .where('folderAccess.groupName', 'in', [...scope.groups, EVERYONE]);
}
