import type { Kysely } from 'kysely';
import type {
  ApiToken,
  ApiTokenRepository,
  AttemptFilter,
  RecoveryCodeRepository,
  Session,
  SessionRepository,
  SignInAttempt,
  SignInAttemptRepository,
  SignInChallenge,
  SignInChallengeRepository,
} from '../../ports/identity.js';
import type { Database } from './database.js';

export class KyselySessionRepository implements SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(session: Session): Promise<void> {
    await this.db.insertInto('sessions').values(session).execute();
  }

  async get(id: string): Promise<Session | null> {
    const row = await this.db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? { ...row, secondFactor: row.secondFactor as Session['secondFactor'] } : null;
  }

  async setSecondFactor(id: string, secondFactor: Session['secondFactor']): Promise<void> {
    await this.db.updateTable('sessions').set({ secondFactor }).where('id', '=', id).execute();
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

  async revokeForUser(userId: string, now: number): Promise<number> {
    const result = await this.db
      .updateTable('apiTokens')
      .set({ revokedAt: now })
      .where('userId', '=', userId)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}

export class KyselySignInAttemptRepository implements SignInAttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(attempt: SignInAttempt): Promise<string> {
    const id = crypto.randomUUID();
    await this.db
      .insertInto('signInAttempts')
      .values({ id, ...attempt, success: 0 })
      .execute();
    return id;
  }

  async succeeded(id: string): Promise<void> {
    await this.db.updateTable('signInAttempts').set({ success: 1 }).where('id', '=', id).execute();
  }

  async failuresSince(filter: AttemptFilter, since: number): Promise<number> {
    const row = await this.failures(filter, since)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async oldestFailureSince(filter: AttemptFilter, since: number): Promise<number | null> {
    const row = await this.failures(filter, since)
      .select((eb) => eb.fn.min<number>('at').as('oldest'))
      .executeTakeFirst();
    return row?.oldest == null ? null : Number(row.oldest);
  }

  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('signInAttempts').where('at', '<', before).execute();
  }

  private failures(filter: AttemptFilter, since: number) {
    let query = this.db
      .selectFrom('signInAttempts')
      .where('at', '>=', since)
      .where('success', '=', 0)
      .where('kind', '=', filter.kind);
    if (filter.username !== undefined) query = query.where('username', '=', filter.username);
    if (filter.address !== undefined) query = query.where('address', '=', filter.address);
    return query;
  }
}

export class KyselyRecoveryCodeRepository implements RecoveryCodeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async replace(userId: string, codeHashes: string[], now: number): Promise<void> {
    await this.db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
    if (codeHashes.length === 0) return;
    await this.db
      .insertInto('recoveryCodes')
      .values(
        codeHashes.map((codeHash) => ({
          id: crypto.randomUUID(),
          userId,
          codeHash,
          createdAt: now,
          usedAt: null,
        })),
      )
      .execute();
  }

  async consume(userId: string, codeHash: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('recoveryCodes')
      .set({ usedAt: now })
      .where('userId', '=', userId)
      .where('codeHash', '=', codeHash)
      .where('usedAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async countUnused(userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('recoveryCodes')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('userId', '=', userId)
      .where('usedAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('recoveryCodes').where('userId', '=', userId).execute();
  }
}

export class KyselySignInChallengeRepository implements SignInChallengeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(challenge: SignInChallenge): Promise<void> {
    await this.db.insertInto('signInChallenges').values(challenge).execute();
  }

  async get(id: string): Promise<SignInChallenge | null> {
    const row = await this.db
      .selectFrom('signInChallenges')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { ...row, kind: row.kind as SignInChallenge['kind'] } : null;
  }

  async countFailure(id: string, max: number): Promise<boolean> {
    const result = await this.db
      .updateTable('signInChallenges')
      .set((eb) => ({ failures: eb('failures', '+', 1) }))
      .where('id', '=', id)
      .where('failures', '<', max - 1)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return true;
    await this.take(id);
    return false;
  }

  async take(id: string): Promise<boolean> {
    const result = await this.db.deleteFrom('signInChallenges').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  async deleteForUser(userId: string): Promise<void> {
    await this.db.deleteFrom('signInChallenges').where('userId', '=', userId).execute();
  }

  async deleteExpired(now: number): Promise<void> {
    await this.db.deleteFrom('signInChallenges').where('expiresAt', '<', now).execute();
  }
}
