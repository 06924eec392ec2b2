import type { Kysely, Selectable } from 'kysely';
import { Conflict } from '../../lib/errors.js';
import type { User, UserRepository } from '../../ports/identity.js';
import type { Database, UserTable } from './database.js';
import { isUniqueViolation } from './dialect.js';

export class KyselyUserRepository implements UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async getByUsername(username: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('username', '=', username)
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async getByOidc(issuer: string, subject: string): Promise<User | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('oidcIssuer', '=', issuer)
      .where('oidcSubject', '=', subject)
      .executeTakeFirst();
    return row ? toUser(row) : null;
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('username').execute()).map(toUser);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('users')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insert(user: User): Promise<void> {
    try {
      await this.db.insertInto('users').values(toRow(user)).execute();
    } catch (error) {
      if (isUniqueViolation(error)) throw new Conflict(`The username "${user.username}" is taken.`);
      throw error;
    }
  }

  async update(id: string, patch: Partial<Omit<User, 'id'>>): Promise<void> {
    const { mustChangePassword, disabled, awaitingApproval, ...rest } = patch;
    await this.db
      .updateTable('users')
      .set({
        ...rest,
        ...(mustChangePassword === undefined ? {} : { mustChangePassword: mustChangePassword ? 1 : 0 }),
        ...(disabled === undefined ? {} : { disabled: disabled ? 1 : 0 }),
        ...(awaitingApproval === undefined ? {} : { awaitingApproval: awaitingApproval ? 1 : 0 }),
      })
      .where('id', '=', id)
      .execute();
  }

  async enableTotp(id: string, pendingSecret: string, at: number, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({
        totpSecret: pendingSecret,
        totpPendingSecret: null,
        totpEnabledAt: at,
        totpLastStep: step,
        updatedAt: at,
      })
      .where('id', '=', id)
      .where('totpEnabledAt', 'is', null)
      .where('totpPendingSecret', '=', pendingSecret)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ totpLastStep: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('recoveryCodes').where('userId', '=', id).execute();
    await this.db.deleteFrom('signInChallenges').where('userId', '=', id).execute();
    await this.db.deleteFrom('groupMembers').where('userId', '=', id).execute();
    await this.db.deleteFrom('sessions').where('userId', '=', id).execute();
    await this.db.deleteFrom('apiTokens').where('userId', '=', id).execute();
    await this.db.deleteFrom('users').where('id', '=', id).execute();
  }
}

function toUser(row: Selectable<UserTable>): User {
  return {
    ...row,
    mustChangePassword: Boolean(row.mustChangePassword),
    disabled: Boolean(row.disabled),
    awaitingApproval: Boolean(row.awaitingApproval),
  };
}

function toRow(user: User): UserTable {
  return {
    ...user,
    mustChangePassword: user.mustChangePassword ? 1 : 0,
    disabled: user.disabled ? 1 : 0,
    awaitingApproval: user.awaitingApproval ? 1 : 0,
  };
}
