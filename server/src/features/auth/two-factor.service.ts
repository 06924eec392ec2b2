import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.js';
import { seal, unseal } from '../../lib/sealing.js';
import { derivedSecret, type SecretInput, type ServerSecret } from '../../lib/server-secret.js';
import { newTotpSecret, qrCodeSvg, totpStep, totpUri } from '../../lib/totp.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { SecondFactor, User } from '../../ports/identity.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import { isAdmin } from '../access/access.policy.js';
import { type Actor, ADMIN_GROUP } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeDigest } from './recovery-codes.js';
import type { SignInThrottle } from './sign-in-throttle.js';

/** Who must use two-factor sign-in: nobody (each user may choose), members of `admin`, or everyone. */
export type TwoFactorPolicy = 'off' | 'admins' | 'everyone';
export const TWO_FACTOR_POLICIES: TwoFactorPolicy[] = ['off', 'admins', 'everyone'];

const POLICY_KEY = 'accounts.two_factor';
/** Other servers sharing the catalog see a changed policy within this long. */
const POLICY_CACHE_MS = 5_000;

export interface TwoFactorStatus {
  enabled: boolean;
  enabledAt: string | null;
  recoveryCodesLeft: number;
  /** An admin requires it for this account. */
  required: boolean;
  policy: TwoFactorPolicy;
}

export interface Enrolment {
  /** Base32, for typing into an app by hand. */
  secret: string;
  uri: string;
  /** The URI as a QR code (SVG). */
  qrCodeSvg: string;
}

/** A password (and code, when two-factor is on) given again before a sensitive change. */
export interface Reconfirmation {
  password?: string;
  code?: string;
}

export class WrongCode extends AppError {
  constructor(status: 401 | 403 = 403) {
    super(
      status,
      'wrong_code',
      'The code is wrong or was already used. Enter the current code from your app.',
    );
  }
}

interface Deps {
  catalog: Catalog;
  clock: Clock;
  audit: AuditService;
  hasher: PasswordHasher;
  throttle: SignInThrottle;
  serverSecret: SecretInput;
  /** Shown in authenticator apps beside the username. */
  issuer: string;
}

/**
 * Two-factor sign-in with time-based codes (TOTP): enrolment with a QR code, recovery codes
 * (each works once, stored as digests), the admins' policy, and the check of a password plus
 * code before a sensitive change. A code is never accepted twice: the last time step taken is
 * kept and only a later one passes (an atomic update, so not even two parallel requests can
 * both use one code).
 */
export class TwoFactorService {
  private cachedPolicy: { value: TwoFactorPolicy; readAt: number } | null = null;
  private readonly sealKey: ServerSecret;

  constructor(private readonly deps: Deps) {
    // Its own key, so the TOTP secrets and the settings' sealed secrets never share one.
    this.sealKey = derivedSecret(deps.serverSecret, 'dailies two-factor secrets');
  }

  async policy(): Promise<TwoFactorPolicy> {
    const now = Date.now();
    if (this.cachedPolicy && now - this.cachedPolicy.readAt < POLICY_CACHE_MS) return this.cachedPolicy.value;
    const stored = await this.deps.catalog.settings.get(POLICY_KEY);
    const value = TWO_FACTOR_POLICIES.includes(stored as TwoFactorPolicy)
      ? (stored as TwoFactorPolicy)
      : 'off';
    this.cachedPolicy = { value, readAt: now };
    return value;
  }

  /** Turning the requirement on needs the admin's own two-factor first: their session would end otherwise. */
  async setPolicy(actor: Actor, policy: TwoFactorPolicy): Promise<TwoFactorPolicy> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins decide who must use two-factor sign-in.');
    const { catalog, clock, audit } = this.deps;
    if (policy !== 'off') {
      const me = await catalog.users.get(actor.id);
      if (me && !me.totpEnabledAt)
        throw new Conflict(
          'Turn on two-factor sign-in for your own account first, then require it of others.',
        );
    }
    const before = await this.policy();
    await catalog.settings.set(POLICY_KEY, policy, clock.now(), actor.id);
    this.cachedPolicy = { value: policy, readAt: Date.now() };
    await audit.record(
      actor,
      'settings.two_factor',
      { type: 'settings', id: POLICY_KEY },
      { before, after: policy },
    );
    return policy;
  }

  async requiredFor(groups: string[]): Promise<boolean> {
    const policy = await this.policy();
    return policy === 'everyone' || (policy === 'admins' && groups.includes(ADMIN_GROUP));
  }

  async status(actor: Actor): Promise<TwoFactorStatus> {
    const user = await this.requireUser(actor.id);
    return {
      enabled: user.totpEnabledAt !== null,
      enabledAt: user.totpEnabledAt === null ? null : new Date(user.totpEnabledAt).toISOString(),
      recoveryCodesLeft:
        user.totpEnabledAt === null ? 0 : await this.deps.catalog.recoveryCodes.countUnused(user.id),
      required: await this.requiredFor(actor.groups),
      policy: await this.policy(),
    };
  }

  /** A new secret to enrol, kept aside until a code from it confirms it. */
  async beginEnrolment(user: User): Promise<Enrolment> {
    if (user.totpEnabledAt !== null)
      throw new Conflict('Two-factor sign-in is already on; turn it off first to enrol another app.');
    const secret = newTotpSecret();
    await this.deps.catalog.users.update(user.id, { totpPendingSecret: seal(secret, this.sealKey) });
    const uri = totpUri(secret, user.username, this.deps.issuer);
    return { secret, uri, qrCodeSvg: await qrCodeSvg(uri) };
  }

  /** Turns two-factor on with the enrolled secret once `code` proves the app has it; returns the recovery codes (shown once). */
  async confirmEnrolment(user: User, code: string, address: string): Promise<string[]> {
    const { catalog, clock, throttle } = this.deps;
    if (user.totpEnabledAt !== null) throw new Conflict('Two-factor sign-in is already on.');
    const pending = user.totpPendingSecret ? unseal(user.totpPendingSecret, this.sealKey) : null;
    if (!pending) throw new Invalid('Start the set-up again: no app is being enrolled.');
    const attempt = await throttle.admit('code', user.username, address);
    const step = totpStep(pending, code, clock.now());
    if (step === null) throw new WrongCode(403);
    await attempt.succeeded();
    const codes = newRecoveryCodes();
    const now = clock.now();
    const pendingBox = user.totpPendingSecret as string;
    // Two confirmations at once (two tabs): one turns it on, with its recovery codes.
    const won = await catalog.transaction(async (trx) => {
      if (!(await trx.users.enableTotp(user.id, pendingBox, now, step))) return false;
      await trx.recoveryCodes.replace(user.id, codes.map(hashOf), now);
      return true;
    });
    if (!won)
      throw new Conflict(
        'Two-factor sign-in was just turned on elsewhere; its recovery codes were shown there.',
      );
    return codes;
  }

  /**
   * Checks a code from the app or a recovery code; says which it was. Throttled per account,
   * and recorded before it is checked.
   */
  async verify(user: User, code: string, address: string, status: 401 | 403 = 403): Promise<SecondFactor> {
    const { catalog, clock, throttle } = this.deps;
    const secret = user.totpSecret ? unseal(user.totpSecret, this.sealKey) : null;
    if (!secret) throw new Invalid('Two-factor sign-in is not on for this account.');
    const attempt = await throttle.admit('code', user.username, address);
    const step = totpStep(secret, code, clock.now());
    if (step !== null) {
      if (!(await catalog.users.acceptTotpStep(user.id, step))) throw new WrongCode(status);
      await attempt.succeeded();
      return 'totp';
    }
    const recovery = normaliseRecoveryCode(code);
    if (recovery && (await catalog.recoveryCodes.consume(user.id, hashOf(recovery), clock.now()))) {
      await attempt.succeeded();
      return 'recovery';
    }
    throw new WrongCode(status);
  }

  /**
   * The password again (throttled like a sign-in) and, when two-factor is on, a code: what a
   * stolen session cookie alone cannot give.
   */
  async reconfirm(user: User, input: Reconfirmation, address: string): Promise<void> {
    const { hasher, throttle } = this.deps;
    if (user.passwordHash) {
      const attempt = await throttle.admit('password', user.username, address);
      if (!(await hasher.verify(user.passwordHash, input.password ?? '')))
        throw new AppError(403, 'wrong_password', 'The password is wrong.');
      await attempt.succeeded();
    }
    if (user.totpEnabledAt !== null) {
      if (!input.code?.trim())
        throw new AppError(403, 'code_required', 'Enter the code from your authenticator app as well.');
      await this.verify(user, input.code, address);
    }
  }

  async disable(actor: Actor, input: Reconfirmation): Promise<void> {
    const user = await this.requireUser(actor.id);
    if (user.totpEnabledAt === null) throw new Conflict('Two-factor sign-in is not on.');
    if (await this.requiredFor(actor.groups))
      throw new Conflict('An admin requires two-factor sign-in for your account; it cannot be turned off.');
    if (!input.code?.trim())
      throw new AppError(403, 'code_required', 'Enter the code from your authenticator app as well.');
    await this.reconfirm(user, input, actor.address ?? '');
    await this.clear(user.id);
    await this.deps.audit.record(actor, 'user.two_factor_disable', { type: 'user', id: user.id });
  }

  async regenerateRecoveryCodes(actor: Actor, input: Reconfirmation): Promise<string[]> {
    const { catalog, clock, audit } = this.deps;
    const user = await this.requireUser(actor.id);
    if (user.totpEnabledAt === null) throw new Conflict('Two-factor sign-in is not on.');
    if (!input.code?.trim())
      throw new AppError(403, 'code_required', 'Enter the code from your authenticator app as well.');
    await this.reconfirm(user, input, actor.address ?? '');
    const codes = newRecoveryCodes();
    await catalog.recoveryCodes.replace(user.id, codes.map(hashOf), clock.now());
    await audit.record(actor, 'user.recovery_codes', { type: 'user', id: user.id });
    return codes;
  }

  /** An admin turns a user's two-factor off (a lost phone); the user enrols again, now or when required. */
  async reset(actor: Actor, userId: string): Promise<void> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins reset two-factor sign-in.');
    const user = await this.deps.catalog.users.get(userId);
    if (!user) throw new NotFound('The user was not found.');
    // One's own goes through Security → Turn off, which asks for the password and a code: a
    // session alone (a stolen cookie) must not be enough to take the second factor away.
    if (user.id === actor.id)
      throw new Conflict(
        'Turn off your own two-factor sign-in from Security: it needs your password and a code.',
      );
    await this.clear(user.id);
    await this.deps.audit.record(
      actor,
      'user.two_factor_reset',
      { type: 'user', id: user.id },
      { username: user.username, wasEnabled: user.totpEnabledAt !== null },
    );
  }

  private async clear(userId: string): Promise<void> {
    const { catalog, clock } = this.deps;
    await catalog.transaction(async (trx) => {
      await trx.users.update(userId, {
        totpSecret: null,
        totpPendingSecret: null,
        totpEnabledAt: null,
        totpLastStep: null,
        updatedAt: clock.now(),
      });
      await trx.recoveryCodes.deleteForUser(userId);
      await trx.signInChallenges.deleteForUser(userId);
    });
  }

  private async requireUser(id: string): Promise<User> {
    const user = await this.deps.catalog.users.get(id);
    if (!user) throw new Invalid('Only a user account has two-factor sign-in.');
    return user;
  }
}

function hashOf(code: string): string {
  return recoveryCodeDigest(normaliseRecoveryCode(code) ?? code);
}
