import type { Kysely } from 'kysely';
import { Conflict } from '../../lib/errors.js';
import type { Group, GroupRepository } from '../../ports/identity.js';
import type { Database } from './database.js';
import { isUniqueViolation } from './dialect.js';

export class KyselyGroupRepository implements GroupRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Array<Group & { memberCount: number }>> {
    const rows = await this.db
      .selectFrom('groups')
      .leftJoin('groupMembers', 'groupMembers.groupName', 'groups.name')
      .select((eb) => [
        'groups.name',
        'groups.description',
        'groups.createdAt',
        eb.fn.count<number>('groupMembers.userId').as('memberCount'),
      ])
      .groupBy(['groups.name', 'groups.description', 'groups.createdAt'])
      .orderBy('groups.name')
      .execute();
    return rows.map((r) => ({ ...r, memberCount: Number(r.memberCount) }));
  }

  async get(name: string): Promise<Group | null> {
    return (
      (await this.db.selectFrom('groups').selectAll().where('name', '=', name).executeTakeFirst()) ?? null
    );
  }

  async existing(names: string[]): Promise<string[]> {
    if (names.length === 0) return [];
    const rows = await this.db
      .selectFrom('groups')
      .select('name')
      .where('name', 'in', [...new Set(names)])
      .execute();
    return rows.map((r) => r.name);
  }

  async insert(group: Group): Promise<void> {
    try {
      await this.db.insertInto('groups').values(group).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`The group "${group.name}" already exists.`);
      throw error;
    }
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('groupMembers').where('groupName', '=', name).execute();
    await this.db.deleteFrom('folderGroups').where('groupName', '=', name).execute();
    // Taking a group off every folder takes it off every effective set: no recompute needed.
    await this.db.deleteFrom('folderAccess').where('groupName', '=', name).execute();
    await this.db.deleteFrom('groups').where('name', '=', name).execute();
  }

  async membershipsOf(userIds: string[]): Promise<Map<string, string[]>> {
    const map = new Map<string, string[]>(userIds.map((id) => [id, []]));
    if (userIds.length === 0) return map;
    const rows = await this.db
      .selectFrom('groupMembers')
      .select(['userId', 'groupName'])
      .where('userId', 'in', [...new Set(userIds)])
      .orderBy('groupName')
      .execute();
    for (const row of rows) map.get(row.userId)?.push(row.groupName);
    return map;
  }

  async setMemberships(userId: string, groups: string[]): Promise<void> {
    await this.db.deleteFrom('groupMembers').where('userId', '=', userId).execute();
    if (groups.length > 0) {
      await this.db
        .insertInto('groupMembers')
        .values([...new Set(groups)].map((groupName) => ({ userId, groupName })))
        .execute();
    }
  }

  async addMember(group: string, userId: string): Promise<void> {
    await this.db
      .insertInto('groupMembers')
      .values({ userId, groupName: group })
      .onConflict((oc) => oc.columns(['userId', 'groupName']).doNothing())
      .execute();
  }

  async removeMember(group: string, userId: string): Promise<void> {
    await this.db
      .deleteFrom('groupMembers')
      .where('groupName', '=', group)
      .where('userId', '=', userId)
      .execute();
  }

  async enabledMembers(group: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('groupMembers')
      .innerJoin('users', 'users.id', 'groupMembers.userId')
      .select('users.id')
      .where('groupMembers.groupName', '=', group)
      .where('users.disabled', '=', 0)
      .where('users.awaitingApproval', '=', 0)
      .execute();
    return rows.map((r) => r.id);
  }
}
