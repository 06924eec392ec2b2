import { type Kysely, sql } from 'kysely';
import { Conflict } from '../../lib/errors.js';
import type { Folder, FolderRepository } from '../../ports/catalog.js';
import type { Database } from './database.js';
import { isUniqueViolation } from './dialect.js';

export class KyselyFolderRepository implements FolderRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async getByPath(path: string): Promise<Folder | null> {
    return (
      (await this.db.selectFrom('folders').selectAll().where('path', '=', path).executeTakeFirst()) ?? null
    );
  }

  async getById(id: string): Promise<Folder | null> {
    return (await this.db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async getManyByPaths(paths: string[]): Promise<Folder[]> {
    if (paths.length === 0) return [];
    return this.db.selectFrom('folders').selectAll().where('path', 'in', paths).execute();
  }

  async getManyByIds(ids: string[]): Promise<Folder[]> {
    if (ids.length === 0) return [];
    return this.db.selectFrom('folders').selectAll().where('id', 'in', ids).execute();
  }

  async children(parentId: string): Promise<Folder[]> {
    return this.db
      .selectFrom('folders')
      .selectAll()
      .where('parentId', '=', parentId)
      .orderBy('name')
      .execute();
  }

  async subtree(path: string): Promise<Folder[]> {
    if (path === '/') return this.all();
    return this.db
      .selectFrom('folders')
      .selectAll()
      .where((eb) => eb.or([eb('path', '=', path), underPath(path)]))
      .orderBy('path')
      .execute();
  }

  async all(): Promise<Folder[]> {
    return this.db.selectFrom('folders').selectAll().orderBy('path').execute();
  }

  async insert(folder: Folder, groups: string[]): Promise<void> {
    try {
      await this.db.insertInto('folders').values(folder).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`The folder "${folder.path}" already exists.`);
      throw error;
    }
    await this.setGroups(folder.id, groups);
  }

  async groupsOf(folderIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>(folderIds.map((id) => [id, []]));
    if (folderIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('folderGroups')
      .select(['folderId', 'groupName'])
      .where('folderId', 'in', folderIds)
      .orderBy('groupName')
      .execute();
    for (const row of rows) map.get(row.folderId)?.push(row.groupName);
    return map;
  }

  async setGroups(folderId: string, groups: string[]): Promise<void> {
    await this.db.deleteFrom('folderGroups').where('folderId', '=', folderId).execute();
    if (groups.length > 0) {
      await this.db
        .insertInto('folderGroups')
        .values([...new Set(groups)].map((groupName) => ({ folderId, groupName })))
        .execute();
    }
  }

  async movePaths(fromPath: string, toPath: string, newParentId: string, now: number): Promise<void> {
    const name = toPath.slice(toPath.lastIndexOf('/') + 1);
    await this.db
      .updateTable('folders')
      .set({ path: toPath, name, parentId: newParentId, updatedAt: now })
      .where('path', '=', fromPath)
      .execute();
    // Descendants keep their parent ids; only the path prefix changes.
    await this.db
      .updateTable('folders')
      .set({ path: sql<string>`${toPath} || substr(path, ${fromPath.length + 1})`, updatedAt: now })
      .where(underPath(fromPath))
      .execute();
  }

  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('folderGroups').where('folderId', 'in', ids).execute();
    await this.db.deleteFrom('folders').where('id', 'in', ids).execute();
  }
}

/**
 * `path` lies strictly below `folder`. LIKE needs an explicit ESCAPE on SQLite (PostgreSQL
 * defaults to backslash), and folder names may hold % and _.
 */
function underPath(folder: string) {
  const pattern = `${folder.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`;
  return sql<boolean>`path like ${pattern} escape '\\'`;
}
