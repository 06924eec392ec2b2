import type { Kysely } from 'kysely';
import type {
  ApiToken,
  ApiTokenRepository,
  Session,
  SessionRepository,
  SignInAttempt,
  SignInAttemptRepository,
} from '../../ports/identity.js';
import type { Database } from './database.js';

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: Session): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async get(id: string): Promise<Session | null> {
    return (await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst()) ?? null;
  }

  async touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ lastSeenAt, expiresAt }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteForUser(userId: string, keepId?: string): Promise<number> {
    let query = this.db.deleteFrom('sessions').where('userId', '=', userId);
    if (keepId) query = query.where('id', '!=', keepId);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteExpired(now: number): Promise<number> {
    const result = await this.db.deleteFrom('sessions').where('expiresAt', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

export class KyselyApiTokenRepository implements ApiTokenRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(token: ApiToken): Promise<void> {
    await this.db.insertInto('apiTokens').values(token).execute();
  }

  async getByHash(tokenHash: string): Promise<ApiToken | null> {
    return (
      (await this.db
        .selectFrom('apiTokens')
        .selectAll()
        .where('tokenHash', '=', tokenHash)
        .executeTakeFirst()) ?? null
    );
  }

  async get(id: string): Promise<ApiToken | null> {
    return (
      (await this.db.selectFrom('apiTokens').selectAll().where('id', '=', id).executeTakeFirst()) ?? null
    );
  }

  async listForUser(userId: string): Promise<ApiToken[]> {
    return this.db
      .selectFrom('apiTokens')
      .selectAll()
      .where('userId', '=', userId)
      .orderBy('createdAt', 'desc')
      .execute();
  }

  async touch(id: string, now: number): Promise<void> {
    await this.db.updateTable('apiTokens').set({ lastUsedAt: now }).where('id', '=', id).execute();
  }

  async revoke(id: string, now: number): Promise<void> {
    await this.db
      .updateTable('apiTokens')
      .set({ revokedAt: now })
      .where('id', '=', id)
      .where('revokedAt', 'is', null)
      .execute();
  }

  async revokeForUser(userId: string, now: number): Promise<void> {
    await this.db
      .updateTable('apiTokens')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .execute();
  }
}

export class KyselySignInAttemptRepository implements SignInAttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(attempt: SignInAttempt): Promise<void> {
    await this.db
      .insertInto('signInAttempts')
      .values({ id: crypto.randomUUID(), ...attempt, success: attempt.success ? 1 : 0 })
      .execute();
  }

  async failuresSince(filter: { username?: string; address?: string }, since: number): Promise<number> {
    const row = await this.failures(filter, since)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async oldestFailureSince(
    filter: { username?: string; address?: string },
    since: number,
  ): Promise<number | null> {
    const row = await this.failures(filter, since)
      .select((eb) => eb.fn.min<number>('at').as('oldest'))
      .executeTakeFirst();
    return row?.oldest == null ? null : Number(row.oldest);
  }

  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('signInAttempts').where('at', '<', before).execute();
  }

  private failures(filter: { username?: string; address?: string }, since: number) {
    let query = this.db.selectFrom('signInAttempts').where('at', '>=', since).where('success', '=', 0);
    if (filter.username !== undefined) query = query.where('username', '=', filter.username);
    if (filter.address !== undefined) query = query.where('address', '=', filter.address);
    return query;
  }
}
