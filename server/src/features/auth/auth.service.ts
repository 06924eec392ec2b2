import { AppError, Conflict, Invalid, Unauthenticated } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { Session, User } from '../../ports/identity.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import { type Actor, ADMIN_GROUP, EDITORS_GROUP } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { validatePassword, validateUsername } from '../users/identity-names.js';
import { insertUser } from '../users/new-user.js';
import { API_TOKEN_PREFIX, digest, newSecret } from './credentials.js';

export interface AuthSettings {
  /** Self sign-up (new users join `editors`). */
  signUp: boolean;
  /** A session ends after this many days without use. */
  sessionDays: number;
  /** Failed sign-ins allowed in a window, per username and per client address. */
  signInLimit: { perUser: number; perAddress: number; windowMinutes: number };
}

/** Who a request is, once its cookie or token has been checked. */
export interface Authentication {
  actor: Actor;
  method: 'session' | 'token';
  /** The session's id (a digest), for ending the others on a password change. */
  sessionId: string | null;
  /** Cookie-authenticated changes must echo it in `X-Dailies-CSRF`. */
  csrfToken: string | null;
  mustChangePassword: boolean;
}

export interface Me {
  id: string;
  username: string;
  displayName: string | null;
  groups: string[];
  isAdmin: boolean;
  mustChangePassword: boolean;
  authMethod: 'session' | 'token';
  csrfToken: string | null;
}

/** Where a sign-in comes from. */
export interface ClientContext {
  address: string;
  userAgent?: string;
  /** The session cookie the client already held: it is ended, never promoted (no fixation). */
  previousSessionToken?: string;
}

export interface StartedSession {
  /** The cookie value; only its digest is stored. */
  token: string;
  expiresAt: number;
  me: Me;
}

const FIVE_MINUTES = 5 * 60_000;
const DAY = 86_400_000;

export class TooManyAttempts extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_attempts', message, { retryAfterSeconds });
  }
}

export class PasswordChangeRequired extends AppError {
  constructor() {
    super(
      403,
      'password_change_required',
      'Choose a new password first (POST /api/auth/password): this one was set by an admin.',
    );
  }
}

interface Deps {
  catalog: Catalog;
  hasher: PasswordHasher;
  audit: AuditService;
  clock: Clock;
  settings: AuthSettings;
}

/** Password sign-in, sign-up, sessions in the catalog, and API token checks. */
export class AuthService {
  /** Verified against for unknown usernames, so timing does not tell which names exist. */
  private decoyHash: Promise<string> | null = null;

  constructor(private readonly deps: Deps) {}

  get signUpEnabled(): boolean {
    return this.deps.settings.signUp;
  }

  async login(input: { username: string; password: string }, client: ClientContext): Promise<StartedSession> {
    const { catalog, hasher, audit, clock } = this.deps;
    const attempted = String(input.username ?? '')
      .toLowerCase()
      .slice(0, 64);
    await this.checkLimits(attempted, client.address);
    const user = await catalog.users.getByUsername(attempted);
    const ok = user?.passwordHash
      ? await hasher.verify(user.passwordHash, input.password)
      : await hasher.verify(await this.decoy(), input.password).then(() => false);
    const success = ok && !!user && !user.disabled;
    await catalog.signInAttempts.record({
      at: clock.now(),
      username: attempted,
      address: client.address,
      success,
    });
    if (!success || !user) {
      await audit.record(
        anonymous(client.address, user?.id, attempted),
        'auth.sign_in_failed',
        { type: 'user', id: user?.id },
        {
          username: attempted,
          reason: !user ? 'unknown_user' : user.disabled ? 'disabled' : 'wrong_password',
        },
      );
      throw new Unauthenticated('The username or password is wrong.');
    }
    const started = await this.startSession(user, client);
    await audit.record(started.actor, 'auth.sign_in', { type: 'user', id: user.id }, { method: 'password' });
    return started.session;
  }

  async signup(
    input: { username: string; password: string },
    client: ClientContext,
  ): Promise<StartedSession> {
    const { catalog, hasher, audit, clock, settings } = this.deps;
    if (!settings.signUp)
      throw new AppError(403, 'signup_disabled', 'Sign-up is turned off here; ask an admin for an account.');
    const username = validateUsername(input.username);
    const password = validatePassword(input.password, username);
    await this.checkLimits(null, client.address);
    if (await catalog.users.getByUsername(username))
      throw new Conflict(`The username "${username}" is taken.`);
    const user = await insertUser(
      catalog,
      { username, passwordHash: await hasher.hash(password) },
      [EDITORS_GROUP],
      clock.now(),
    );
    const started = await this.startSession(user, client);
    await audit.record(started.actor, 'auth.sign_up', { type: 'user', id: user.id }, { username });
    return started.session;
  }

  /** Starts a fresh session for a user who has just proven who they are (password or OpenID Connect). */
  async startSession(user: User, client: ClientContext): Promise<{ session: StartedSession; actor: Actor }> {
    const { catalog, clock, settings } = this.deps;
    const now = clock.now();
    if (client.previousSessionToken) await catalog.sessions.delete(digest(client.previousSessionToken));
    const token = newSecret();
    const session: Session = {
      id: digest(token),
      userId: user.id,
      csrfToken: newSecret(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + settings.sessionDays * DAY,
      address: client.address,
      userAgent: client.userAgent?.slice(0, 512) ?? null,
    };
    await catalog.sessions.insert(session);
    await catalog.users.update(user.id, { lastSignInAt: now });
    // Now and then, clear out what has expired.
    if (Math.random() < 0.05) {
      await catalog.sessions.deleteExpired(now);
      await catalog.signInAttempts.prune(now - DAY);
    }
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    const actor = toActor(user, groups, client.address);
    return {
      actor,
      session: {
        token,
        expiresAt: session.expiresAt,
        me: toMe(user, groups, { method: 'session', csrfToken: session.csrfToken }),
      },
    };
  }

  async logout(auth: Authentication | null): Promise<void> {
    if (!auth?.sessionId) return;
    await this.deps.catalog.sessions.delete(auth.sessionId);
    await this.deps.audit.record(auth.actor, 'auth.sign_out', { type: 'user', id: auth.actor.id });
  }

  /** Changes one's own password; every other session of the user ends. */
  async changePassword(
    auth: Authentication,
    input: { currentPassword: string; newPassword: string },
  ): Promise<Me> {
    const { catalog, hasher, audit, clock } = this.deps;
    const user = await catalog.users.get(auth.actor.id);
    if (!user) throw new Unauthenticated();
    if (!user.passwordHash)
      throw new Invalid('This account signs in through single sign-on and has no password to change.');
    if (!(await hasher.verify(user.passwordHash, input.currentPassword)))
      throw new AppError(403, 'wrong_password', 'The current password is wrong.');
    const password = validatePassword(input.newPassword, user.username);
    if (password === input.currentPassword)
      throw new Invalid('Choose a new password different from the current one.');
    const passwordHash = await hasher.hash(password);
    let ended = 0;
    await catalog.transaction(async (trx) => {
      await trx.users.update(user.id, { passwordHash, mustChangePassword: false, updatedAt: clock.now() });
      ended = await trx.sessions.deleteForUser(user.id, auth.sessionId ?? undefined);
    });
    await audit.record(
      auth.actor,
      'user.password',
      { type: 'user', id: user.id },
      { otherSessionsEnded: ended },
    );
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    return toMe({ ...user, mustChangePassword: false }, groups, auth);
  }

  async me(auth: Authentication): Promise<Me> {
    const { catalog } = this.deps;
    const user = await catalog.users.get(auth.actor.id);
    if (!user) throw new Unauthenticated();
    return toMe(user, auth.actor.groups, auth);
  }

  /** The session behind a cookie value, or null when it is unknown, expired or its user disabled. */
  async authenticateSession(token: string): Promise<Authentication | null> {
    const { catalog, clock, settings } = this.deps;
    if (!token || token.length > 256) return null;
    const session = await catalog.sessions.get(digest(token));
    const now = clock.now();
    if (!session) return null;
    if (session.expiresAt <= now) {
      await catalog.sessions.delete(session.id);
      return null;
    }
    const resolved = await this.resolveUser(session.userId);
    if (!resolved) return null;
    // Sliding expiry, written at most every few minutes.
    if (now - session.lastSeenAt > FIVE_MINUTES)
      await catalog.sessions.touch(session.id, now, now + settings.sessionDays * DAY);
    return {
      actor: resolved.actor,
      method: 'session',
      sessionId: session.id,
      csrfToken: session.csrfToken,
      mustChangePassword: resolved.user.mustChangePassword,
    };
  }

  /** The user behind a personal API token, or null when it is unknown, expired or revoked. */
  async authenticateToken(token: string): Promise<Authentication | null> {
    const { catalog, clock } = this.deps;
    if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 256) return null;
    const row = await catalog.apiTokens.getByHash(digest(token));
    const now = clock.now();
    if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
    const resolved = await this.resolveUser(row.userId);
    if (!resolved) return null;
    if (row.lastUsedAt === null || now - row.lastUsedAt > FIVE_MINUTES)
      await catalog.apiTokens.touch(row.id, now);
    return {
      actor: resolved.actor,
      method: 'token',
      sessionId: null,
      csrfToken: null,
      mustChangePassword: resolved.user.mustChangePassword,
    };
  }

  private async resolveUser(userId: string): Promise<{ user: User; actor: Actor } | null> {
    const { catalog } = this.deps;
    const user = await catalog.users.get(userId);
    if (!user || user.disabled) return null;
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    return { user, actor: toActor(user, groups) };
  }

  /** 429 once a username or an address has failed too often in the window. */
  private async checkLimits(username: string | null, address: string): Promise<void> {
    const { catalog, clock, settings } = this.deps;
    const { perUser, perAddress, windowMinutes } = settings.signInLimit;
    const windowMs = windowMinutes * 60_000;
    const since = clock.now() - windowMs;
    const checks: Array<[{ username?: string; address?: string }, number, string]> = [
      [{ address }, perAddress, 'from your address'],
    ];
    if (username !== null) checks.unshift([{ username }, perUser, 'for this account']);
    for (const [filter, limit, what] of checks) {
      if ((await catalog.signInAttempts.failuresSince(filter, since)) < limit) continue;
      const oldest = (await catalog.signInAttempts.oldestFailureSince(filter, since)) ?? clock.now();
      const seconds = Math.max(1, Math.ceil((oldest + windowMs - clock.now()) / 1000));
      const minutes = Math.ceil(seconds / 60);
      await this.deps.audit.record(
        anonymous(address, undefined, username ?? ''),
        'auth.sign_in_failed',
        {},
        { username, reason: 'rate_limited' },
      );
      throw new TooManyAttempts(
        `Too many failed sign-ins ${what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        seconds,
      );
    }
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= this.deps.hasher.hash(newSecret());
    return this.decoyHash;
  }
}

export function toActor(user: User, groups: string[], address?: string): Actor {
  return {
    id: user.id,
    username: user.username,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
    ...(address ? { address } : {}),
  };
}

function toMe(
  user: User,
  groups: string[],
  auth: { method: 'session' | 'token'; csrfToken: string | null },
): Me {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
    mustChangePassword: user.mustChangePassword,
    authMethod: auth.method,
    csrfToken: auth.csrfToken,
  };
}

/** The actor a request has before it signs in; the audit log names what it tried. */
export function anonymous(address?: string, id?: string, username?: string): Actor {
  return {
    id: id ?? 'anonymous',
    username: username || 'anonymous',
    groups: [],
    isAdmin: false,
    ...(address ? { address } : {}),
  };
}
