import type { SignInLimits, SignUpMode } from '../../config.js';
import { AppError, Conflict, Invalid, Unauthenticated } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { SecondFactor, Session, SignInChallenge, User } from '../../ports/identity.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import { type Actor, ADMIN_GROUP, EDITORS_GROUP } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { validatePassword, validateUsername } from '../users/identity-names.js';
import { insertUser } from '../users/new-user.js';
import { API_TOKEN_PREFIX, digest, newSecret } from './credentials.js';
import { type SignInThrottle, TooManyAttempts } from './sign-in-throttle.js';
import { type Enrolment, type TwoFactorService, WrongCode } from './two-factor.service.js';

export { TooManyAttempts } from './sign-in-throttle.js';

export interface AuthSettings {
  signUp: SignUpMode;
  /** A session ends after this many days without use. */
  sessionDays: number;
  signInLimit: SignInLimits;
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
  /** When the session's sign-in happened (sessions only). */
  signedInAt?: number;
}

export interface Me {
  id: string;
  username: string;
  displayName: string | null;
  groups: string[];
  isAdmin: boolean;
  mustChangePassword: boolean;
  twoFactorEnabled: boolean;
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

/** The password was right; the sign-in goes on with a code (`code`) or by enrolling an app (`enrol`). */
export interface PendingSignIn {
  next: 'code' | 'enrol';
  /** Sent back with the code; only its digest is stored. */
  challenge: string;
  expiresAt: number;
}

export type SignInResult = { session: StartedSession } | { pending: PendingSignIn };

const FIVE_MINUTES = 5 * 60_000;
const DAY = 86_400_000;
/** Time to find the phone (or set up the app) between the password and the code. */
const CHALLENGE_MS = 10 * 60_000;
/** Wrong codes one challenge takes before the password must be given again. */
const CHALLENGE_FAILURES = 5;

export class PasswordChangeRequired extends AppError {
  constructor() {
    super(
      403,
      'password_change_required',
      'Choose a new password first (POST /api/auth/password): this one was set by an admin.',
    );
  }
}

export class ApprovalPending extends AppError {
  constructor() {
    super(
      403,
      'approval_pending',
      'An admin must approve your account before you can sign in. Try again once they have.',
    );
  }
}

const challengeExpired = () =>
  new AppError(401, 'sign_in_expired', 'This sign-in has expired or was used up; enter your password again.');

interface Deps {
  catalog: Catalog;
  hasher: PasswordHasher;
  audit: AuditService;
  clock: Clock;
  settings: AuthSettings;
  throttle: SignInThrottle;
  twoFactor: TwoFactorService;
}

/**
 * Password sign-in (then a code when two-factor is on, or enrolment when an admin requires it
 * and the user has none: no session exists until that step is done), sign-up, sessions in the
 * catalog, and API token checks.
 */
export class AuthService {
  /** Verified against for unknown usernames, so timing does not tell which names exist. */
  private decoyHash: Promise<string> | null = null;

  constructor(private readonly deps: Deps) {}

  get signUpMode(): SignUpMode {
    return this.deps.settings.signUp;
  }

  async login(input: { username: string; password: string }, client: ClientContext): Promise<SignInResult> {
    const { catalog, hasher, audit } = this.deps;
    const attempted = String(input.username ?? '')
      .toLowerCase()
      .slice(0, 64);
    const attempt = await this.admit('password', attempted, client.address);
    const user = await catalog.users.getByUsername(attempted);
    const ok = user?.passwordHash
      ? await hasher.verify(user.passwordHash, input.password)
      : await hasher.verify(await this.decoy(), input.password).then(() => false);
    if (!ok || !user || user.disabled) {
      await audit.record(
        anonymous(client.address, user?.id, attempted),
        'auth.sign_in_failed',
        { type: 'user', id: user?.id },
        {
          username: attempted,
          reason: !user ? 'unknown_user' : !ok ? 'wrong_password' : 'disabled',
        },
      );
      throw new Unauthenticated('The username or password is wrong.');
    }
    await attempt.succeeded();
    // Only someone who knows the password learns that the account waits for approval.
    if (user.awaitingApproval) {
      await audit.record(
        anonymous(client.address, user.id, attempted),
        'auth.sign_in_failed',
        { type: 'user', id: user.id },
        { username: attempted, reason: 'awaiting_approval' },
      );
      throw new ApprovalPending();
    }
    return this.afterPassword(user, client);
  }

  /** The second step: a code from the app or a recovery code. */
  async loginWithCode(
    input: { challenge: string; code: string },
    client: ClientContext,
  ): Promise<StartedSession> {
    const { challenge, user } = await this.liveChallenge(input.challenge, 'code');
    const factor = await this.withChallengeFailures(challenge, user, client, () =>
      this.deps.twoFactor.verify(user, input.code, client.address, 401),
    );
    if (!(await this.deps.catalog.signInChallenges.take(challenge.id))) throw challengeExpired();
    const started = await this.startSession(user, client, factor);
    await this.deps.audit.record(
      started.actor,
      'auth.sign_in',
      { type: 'user', id: user.id },
      {
        method: 'password',
        secondFactor: factor,
      },
    );
    return started.session;
  }

  /** Enrolment required by an admin, between the password and the session. */
  async enrolStart(input: { challenge: string }): Promise<Enrolment> {
    const { user } = await this.liveChallenge(input.challenge, 'enrol');
    return this.deps.twoFactor.beginEnrolment(user);
  }

  async enrolConfirm(
    input: { challenge: string; code: string },
    client: ClientContext,
  ): Promise<{ session: StartedSession; recoveryCodes: string[] }> {
    const { challenge, user } = await this.liveChallenge(input.challenge, 'enrol');
    const recoveryCodes = await this.withChallengeFailures(challenge, user, client, () =>
      this.deps.twoFactor.confirmEnrolment(user, input.code, client.address),
    );
    if (!(await this.deps.catalog.signInChallenges.take(challenge.id))) throw challengeExpired();
    const started = await this.startSession(
      { ...user, totpEnabledAt: this.deps.clock.now() },
      client,
      'totp',
    );
    await this.deps.audit.record(started.actor, 'user.two_factor_enable', { type: 'user', id: user.id });
    await this.deps.audit.record(
      started.actor,
      'auth.sign_in',
      { type: 'user', id: user.id },
      {
        method: 'password',
        secondFactor: 'totp',
      },
    );
    return { session: started.session, recoveryCodes };
  }

  /** Enrolment from one's own account page: the password again, then the new app's code. */
  async twoFactorSetup(
    auth: Authentication,
    input: { password: string },
    address: string,
  ): Promise<Enrolment> {
    const user = await this.currentUser(auth);
    if (user.totpEnabledAt !== null) throw new Conflict('Two-factor sign-in is already on.');
    await this.deps.twoFactor.reconfirm(user, { password: input.password }, address);
    return this.deps.twoFactor.beginEnrolment(user);
  }

  /** Turns two-factor on; this session counts as confirmed by it and every other session ends. */
  async twoFactorEnable(auth: Authentication, input: { code: string }, address: string): Promise<string[]> {
    const { catalog, audit } = this.deps;
    const user = await this.currentUser(auth);
    const codes = await this.deps.twoFactor.confirmEnrolment(user, input.code, address);
    let ended = 0;
    if (auth.sessionId) {
      await catalog.sessions.setSecondFactor(auth.sessionId, 'totp');
      ended = await catalog.sessions.deleteForUser(user.id, auth.sessionId);
    }
    await audit.record(
      auth.actor,
      'user.two_factor_enable',
      { type: 'user', id: user.id },
      {
        otherSessionsEnded: ended,
      },
    );
    return codes;
  }

  async signup(
    input: { username: string; password: string },
    client: ClientContext,
  ): Promise<SignInResult | { awaitingApproval: true; message: string }> {
    const { catalog, hasher, audit, clock, settings } = this.deps;
    if (settings.signUp === 'off')
      throw new AppError(403, 'signup_disabled', 'Sign-up is turned off here; ask an admin for an account.');
    const username = validateUsername(input.username);
    const password = validatePassword(input.password, username);
    await this.admit('signup', '', client.address);
    if (await catalog.users.getByUsername(username))
      throw new Conflict(`The username "${username}" is taken.`);
    const awaitingApproval = settings.signUp === 'approve';
    const user = await insertUser(
      catalog,
      { username, passwordHash: await hasher.hash(password), awaitingApproval },
      [EDITORS_GROUP],
      clock.now(),
    );
    await audit.record(
      anonymous(client.address, user.id, username),
      'auth.sign_up',
      { type: 'user', id: user.id },
      { username, awaitingApproval },
    );
    if (awaitingApproval)
      return {
        awaitingApproval: true,
        message: `Your account “${username}” has been created. An admin must approve it before you can sign in.`,
      };
    return this.afterPassword(user, client);
  }

  /**
   * Starts a fresh session for a user who has just proven who they are: the password and what
   * `secondFactor` names (null: the password alone; `sso`: the OpenID Connect provider).
   */
  async startSession(
    user: User,
    client: ClientContext,
    secondFactor: SecondFactor | null,
  ): Promise<{ session: StartedSession; actor: Actor }> {
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
      secondFactor,
    };
    await catalog.sessions.insert(session);
    await catalog.users.update(user.id, { lastSignInAt: now });
    // Now and then, clear out what has expired.
    if (Math.random() < 0.05) {
      await catalog.sessions.deleteExpired(now);
      await catalog.signInChallenges.deleteExpired(now);
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

  /** Changes one's own password: every other session ends and every API token is revoked. */
  async changePassword(
    auth: Authentication,
    input: { currentPassword: string; newPassword: string },
  ): Promise<Me> {
    const { catalog, hasher, audit, clock } = this.deps;
    const user = await this.currentUser(auth);
    if (!user.passwordHash)
      throw new Invalid('This account signs in through single sign-on and has no password to change.');
    const attempt = await this.admit('password', user.username, auth.actor.address ?? '');
    if (!(await hasher.verify(user.passwordHash, input.currentPassword)))
      throw new AppError(403, 'wrong_password', 'The current password is wrong.');
    await attempt.succeeded();
    const password = validatePassword(input.newPassword, user.username);
    if (password === input.currentPassword)
      throw new Invalid('Choose a new password different from the current one.');
    const passwordHash = await hasher.hash(password);
    let ended = 0;
    let tokensRevoked = 0;
    await catalog.transaction(async (trx) => {
      const now = clock.now();
      await trx.users.update(user.id, { passwordHash, mustChangePassword: false, updatedAt: now });
      ended = await trx.sessions.deleteForUser(user.id, auth.sessionId ?? undefined);
      tokensRevoked = await trx.apiTokens.revokeForUser(user.id, now);
    });
    await audit.record(
      auth.actor,
      'user.password',
      { type: 'user', id: user.id },
      { otherSessionsEnded: ended, tokensRevoked },
    );
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    return toMe({ ...user, mustChangePassword: false }, groups, auth);
  }

  async me(auth: Authentication): Promise<Me> {
    const user = await this.currentUser(auth);
    return toMe(user, auth.actor.groups, auth);
  }

  /**
   * The session behind a cookie value, or null when it is unknown, expired, its user disabled
   * or awaiting approval, or when an admin now requires two-factor sign-in and the session's
   * sign-in had none (the user signs in again and enrols).
   */
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
    if (session.secondFactor === null && (await this.deps.twoFactor.requiredFor(resolved.actor.groups)))
      return null;
    // Sliding expiry, written at most every few minutes.
    if (now - session.lastSeenAt > FIVE_MINUTES)
      await catalog.sessions.touch(session.id, now, now + settings.sessionDays * DAY);
    return {
      actor: resolved.actor,
      method: 'session',
      sessionId: session.id,
      csrfToken: session.csrfToken,
      mustChangePassword: resolved.user.mustChangePassword,
      signedInAt: session.createdAt,
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

  /** After a right password: a code, an enrolment, or the session. */
  private async afterPassword(user: User, client: ClientContext): Promise<SignInResult> {
    const { catalog, audit } = this.deps;
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    if (user.totpEnabledAt !== null) return { pending: await this.challenge(user, 'code') };
    if (await this.deps.twoFactor.requiredFor(groups))
      return { pending: await this.challenge(user, 'enrol') };
    const started = await this.startSession(user, client, null);
    await audit.record(started.actor, 'auth.sign_in', { type: 'user', id: user.id }, { method: 'password' });
    return { session: started.session };
  }

  private async challenge(user: User, next: 'code' | 'enrol'): Promise<PendingSignIn> {
    const now = this.deps.clock.now();
    const token = newSecret();
    const challenge: SignInChallenge = {
      id: digest(token),
      userId: user.id,
      kind: next,
      createdAt: now,
      expiresAt: now + CHALLENGE_MS,
      failures: 0,
    };
    await this.deps.catalog.signInChallenges.insert(challenge);
    return { next, challenge: token, expiresAt: challenge.expiresAt };
  }

  private async liveChallenge(
    token: string,
    kind: 'code' | 'enrol',
  ): Promise<{ challenge: SignInChallenge; user: User }> {
    const { catalog, clock } = this.deps;
    if (!token || token.length > 256) throw challengeExpired();
    const challenge = await catalog.signInChallenges.get(digest(token));
    if (!challenge || challenge.kind !== kind || challenge.expiresAt <= clock.now()) throw challengeExpired();
    const user = await catalog.users.get(challenge.userId);
    if (!user || user.disabled || user.awaitingApproval) throw challengeExpired();
    return { challenge, user };
  }

  /** Runs a code check; a wrong code counts against the challenge, which ends after a few. */
  private async withChallengeFailures<T>(
    challenge: SignInChallenge,
    user: User,
    client: ClientContext,
    check: () => Promise<T>,
  ): Promise<T> {
    try {
      return await check();
    } catch (error) {
      if (!(error instanceof WrongCode || error instanceof TooManyAttempts)) throw error;
      await this.deps.audit.record(
        anonymous(client.address, user.id, user.username),
        'auth.sign_in_failed',
        { type: 'user', id: user.id },
        { username: user.username, reason: error instanceof WrongCode ? 'wrong_code' : 'rate_limited' },
      );
      if (error instanceof WrongCode) {
        const left = await this.deps.catalog.signInChallenges.countFailure(challenge.id, CHALLENGE_FAILURES);
        if (!left)
          throw new AppError(401, 'sign_in_expired', 'Too many wrong codes; enter your password again.');
        throw new WrongCode(401);
      }
      throw error;
    }
  }

  /** Records the attempt before anything is checked; a refusal is audited. */
  private async admit(kind: 'password' | 'signup', username: string, address: string) {
    try {
      return await this.deps.throttle.admit(kind, username, address);
    } catch (error) {
      if (error instanceof TooManyAttempts)
        await this.deps.audit.record(
          anonymous(address, undefined, username),
          'auth.sign_in_failed',
          {},
          { username, kind, reason: 'rate_limited' },
        );
      throw error;
    }
  }

  private async currentUser(auth: Authentication): Promise<User> {
    const user = await this.deps.catalog.users.get(auth.actor.id);
    if (!user) throw new Unauthenticated();
    return user;
  }

  private async resolveUser(userId: string): Promise<{ user: User; actor: Actor } | null> {
    const { catalog } = this.deps;
    const user = await catalog.users.get(userId);
    if (!user || user.disabled || user.awaitingApproval) return null;
    const groups = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
    return { user, actor: toActor(user, groups) };
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
    twoFactorEnabled: user.totpEnabledAt !== null,
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
