import { type Kysely, sql } from 'kysely';
import { Conflict } from '../../lib/errors.js';
import type { AccessScope, Folder, FolderRepository, GroupScope } from '../../ports/catalog.js';
import { EVERYONE } from './access-scope.js';
import type { Database } from './database.js';
import { isUniqueViolation } from './dialect.js';
import { pathAfter, pathBelow, pathWithin } from './path-conditions.js';

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
      .where(pathWithin('path', path))
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
    await this.writeGroups(folder.id, groups);
    const access = await this.effectiveGroups(folder.parentId, groups);
    if (access.length > 0) {
      await this.db
        .insertInto('folderAccess')
        .values(access.map((groupName) => ({ folderId: folder.id, groupName })))
        .execute();
    }
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

  async setGroups(folderId: string, groups: string[], scope: GroupScope = 'subtree'): Promise<void> {
    await this.inTransaction(async (repo) => {
      const folder = await repo.getById(folderId);
      if (!folder) return;
      const ids = scope === 'subtree' ? (await repo.subtree(folder.path)).map((f) => f.id) : [folderId];
      for (const id of ids) await repo.writeGroups(id, groups);
      await repo.refreshAccess(folder.path);
    });
  }

  async accessOf(folderIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>(folderIds.map((id) => [id, []]));
    for (let i = 0; i < folderIds.length; i += 1000) {
      const rows = await this.db
        .selectFrom('folderAccess')
        .select(['folderId', 'groupName'])
        .where('folderId', 'in', folderIds.slice(i, i + 1000))
        .orderBy('groupName')
        .execute();
      for (const row of rows) map.get(row.folderId)?.push(row.groupName);
    }
    return map;
  }

  async visibleIds(folderIds: string[], scope: AccessScope): Promise<Set<string>> {
    const unique = [...new Set(folderIds)];
    if (scope.all) return new Set(unique);
    if (unique.length === 0) return new Set();
    const visible = new Set<string>();
    for (let i = 0; i < unique.length; i += 1000) {
      const rows = await this.db
        .selectFrom('folderAccess')
        .select('folderId')
        .distinct()
        .where('folderId', 'in', unique.slice(i, i + 1000))
        .where('groupName', 'in', [...scope.groups, EVERYONE])
        .execute();
      for (const row of rows) visible.add(row.folderId);
    }
    return visible;
  }

  private async writeGroups(folderId: string, groups: string[]): Promise<void> {
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
      .set({ path: sql<string>`${toPath} || ${pathAfter('path', fromPath)}`, updatedAt: now })
      .where(pathBelow('path', fromPath))
      .execute();
    // A new parent can narrow (or widen) what the subtree is open to.
    await this.refreshAccess(toPath);
  }

  /** The effective groups of a folder with these own groups under `parentId` (see folder_access). */
  private async effectiveGroups(parentId: string | null, groups: string[]): Promise<string[]> {
    if (parentId === null) return [EVERYONE];
    const parentAccess = (
      await this.db.selectFrom('folderAccess').select('groupName').where('folderId', '=', parentId).execute()
    ).map((r) => r.groupName);
    if (parentAccess.includes(EVERYONE)) return [...new Set(groups)];
    return [...new Set(groups)].filter((g) => parentAccess.includes(g));
  }

  /** Recomputes the effective groups of the folder at `path` and everything below it. */
  private async refreshAccess(path: string): Promise<void> {
    const subtree = await this.subtree(path);
    if (subtree.length === 0) return;
    const own = await this.groupsOf(subtree.map((f) => f.id));
    const effective = new Map<string, string[]>();
    const top = subtree.find((f) => f.path === path)!;
    const depth = (p: string) => (p === '/' ? 0 : p.split('/').length - 1);
    for (const folder of [...subtree].sort((a, b) => depth(a.path) - depth(b.path))) {
      const groups = own.get(folder.id) ?? [];
      if (folder.id === top.id) {
        effective.set(folder.id, await this.effectiveGroups(folder.parentId, groups));
        continue;
      }
      const parent = effective.get(folder.parentId!) ?? [];
      effective.set(folder.id, parent.includes(EVERYONE) ? groups : groups.filter((g) => parent.includes(g)));
    }
    const ids = subtree.map((f) => f.id);
    for (let i = 0; i < ids.length; i += 1000) {
      await this.db
        .deleteFrom('folderAccess')
        .where('folderId', 'in', ids.slice(i, i + 1000))
        .execute();
    }
    const rows = [...effective].flatMap(([folderId, groups]) =>
      groups.map((groupName) => ({ folderId, groupName })),
    );
    for (let i = 0; i < rows.length; i += 1000) {
      await this.db
        .insertInto('folderAccess')
        .values(rows.slice(i, i + 1000))
        .execute();
    }
  }

  private inTransaction<T>(work: (repo: KyselyFolderRepository) => Promise<T>): Promise<T> {
    return this.db.isTransaction
      ? work(this)
      : this.db.transaction().execute((trx) => work(new KyselyFolderRepository(trx)));
  }

  /** Keeps folder_access: trashed assets stay open to whom their folder was open to. */
  async delete(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.db.deleteFrom('folderGroups').where('folderId', 'in', ids).execute();
    await this.db.deleteFrom('folders').where('id', 'in', ids).execute();
  }
}
