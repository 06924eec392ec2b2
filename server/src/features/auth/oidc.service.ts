import { createHash, randomUUID } from 'node:crypto';
import * as oidc from 'openid-client';
import type { OidcConfig } from '../../config.js';
import { AppError, NotFound, Unauthenticated } from '../../lib/errors.js';
import type { SecretInput } from '../../lib/server-secret.js';
import { signToken, verifyToken } from '../../lib/signing.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { User } from '../../ports/identity.js';
import { EDITORS_GROUP } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { validateUsername } from '../users/identity-names.js';
import { insertUser } from '../users/new-user.js';
import { type AuthService, anonymous, type ClientContext, type StartedSession } from './auth.service.js';
import { safeReturnTo } from './return-to.js';

/** What the browser keeps (signed, HttpOnly) between leaving for the provider and coming back. */
interface Transaction {
  /** state, nonce, PKCE verifier */
  s: string;
  n: string;
  v: string;
  /** where to land */
  r: string;
  /** expiry, epoch ms */
  e: number;
}

const TEN_MINUTES = 10 * 60_000;

interface Deps {
  config: OidcConfig;
  catalog: Catalog;
  auth: AuthService;
  audit: AuditService;
  clock: Clock;
  /** Signs the transaction cookie. */
  secret: SecretInput;
}

/**
 * Sign-in through an OpenID Connect provider (authorization code flow with PKCE, state and
 * nonce). The provider's user (issuer + subject) becomes a Dailies user; a claim (`groups` by
 * default) sets their groups on every sign-in, keeping only groups that exist here.
 */
export class OidcService {
  private discovered: Promise<oidc.Configuration> | null = null;

  constructor(private readonly deps: Deps) {}

  get name(): string {
    return this.deps.config.name;
  }

  /** The callback URL registered with the provider, when configured (else derived per request). */
  get redirectUri(): string | undefined {
    return this.deps.config.redirectUri;
  }

  /** The provider's URL to send the browser to, and the transaction to keep in a cookie. */
  async start(
    redirectUri: string,
    returnTo: string | undefined,
  ): Promise<{ url: string; transaction: string }> {
    const { config, clock, secret } = this.deps;
    const configuration = await this.configuration();
    const transaction: Transaction = {
      s: oidc.randomState(),
      n: oidc.randomNonce(),
      v: oidc.randomPKCECodeVerifier(),
      r: safeReturnTo(returnTo),
      e: clock.now() + TEN_MINUTES,
    };
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: redirectUri,
      scope: config.scopes,
      state: transaction.s,
      nonce: transaction.n,
      code_challenge: await oidc.calculatePKCECodeChallenge(transaction.v),
      code_challenge_method: 'S256',
    });
    return { url: url.href, transaction: signToken('oidc-transaction', { ...transaction }, secret) };
  }

  /** Finishes the code flow; returns a new session and where to land. */
  async callback(
    currentUrl: URL,
    transactionCookie: string | undefined,
    client: ClientContext,
  ): Promise<{ session: StartedSession; returnTo: string }> {
    const { config, clock, secret, audit } = this.deps;
    const transaction = transactionCookie
      ? verifyToken<Transaction>('oidc-transaction', transactionCookie, secret)
      : null;
    if (!transaction || transaction.e < clock.now())
      throw new AppError(
        400,
        'oidc_expired',
        'The sign-in took too long or was started elsewhere; start again.',
      );
    const configuration = await this.configuration();
    let claims: Record<string, unknown>;
    try {
      const tokens = await oidc.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: transaction.v,
        expectedState: transaction.s,
        expectedNonce: transaction.n,
        idTokenExpected: true,
      });
      claims = { ...(tokens.claims() ?? {}) };
      // Providers often keep profile and group claims for the userinfo endpoint.
      if (claims[config.groupsClaim] === undefined || claims[config.usernameClaim] === undefined) {
        const info = await oidc.fetchUserInfo(configuration, tokens.access_token, String(claims.sub));
        claims = { ...info, ...claims };
      }
    } catch (error) {
      await audit.record(
        anonymous(client.address),
        'auth.sign_in_failed',
        {},
        {
          method: 'oidc',
          reason: (error as Error).message,
        },
      );
      throw new Unauthenticated(`Single sign-on did not complete: ${(error as Error).message}`);
    }
    const user = await this.userFor(claims, client);
    // The provider's own sign-in (and its MFA) stands for the second factor.
    const { session, actor } = await this.deps.auth.startSession(user, client, 'sso');
    await audit.record(
      actor,
      'auth.sign_in',
      { type: 'user', id: user.id },
      { method: 'oidc', groups: actor.groups },
    );
    return { session, returnTo: transaction.r };
  }

  /** Finds or makes the user for these claims and sets their groups from the groups claim. */
  private async userFor(claims: Record<string, unknown>, client: ClientContext): Promise<User> {
    const { config, catalog, clock, audit } = this.deps;
    const issuer = config.issuer;
    const subject = String(claims.sub);
    let user = await catalog.users.getByOidc(issuer, subject);
    const claimed = groupsFrom(claims[config.groupsClaim], config.groupMap);
    const groups = claimed === null ? null : await catalog.groups.existing(claimed);
    if (user?.disabled) {
      await audit.record(
        anonymous(client.address, user.id, user.username),
        'auth.sign_in_failed',
        {},
        {
          method: 'oidc',
          reason: 'disabled',
        },
      );
      throw new Unauthenticated('This account is disabled; ask an admin.');
    }
    if (!user) {
      user = await insertUser(
        catalog,
        {
          username: await this.freeUsername(claims, subject),
          displayName: typeof claims.name === 'string' ? claims.name.slice(0, 128) : null,
          oidcIssuer: issuer,
          oidcSubject: subject,
        },
        groups ?? [EDITORS_GROUP],
        clock.now(),
      );
      await audit.record(
        anonymous(client.address, user.id, user.username),
        'user.create',
        { type: 'user', id: user.id },
        { username: user.username, via: 'oidc', issuer, groups: groups ?? [EDITORS_GROUP] },
      );
    } else if (groups !== null) {
      const before = (await catalog.groups.membershipsOf([user.id])).get(user.id) ?? [];
      if (before.join() !== [...groups].sort().join()) {
        await catalog.groups.setMemberships(user.id, groups);
        await audit.record(
          anonymous(client.address, user.id, user.username),
          'user.update',
          { type: 'user', id: user.id },
          { username: user.username, via: 'oidc', groups: { before, after: groups } },
        );
      }
    }
    return user;
  }

  /** The claimed username if it is valid and free, otherwise it with a number, otherwise one made from the subject. */
  private async freeUsername(claims: Record<string, unknown>, subject: string): Promise<string> {
    const { config, catalog } = this.deps;
    const wanted = [claims[config.usernameClaim], claims.email].find((v) => typeof v === 'string') as
      | string
      | undefined;
    let base: string;
    try {
      base = validateUsername(wanted);
    } catch {
      base = `sso-${createHash('sha256').update(subject).digest('hex').slice(0, 12)}`;
    }
    for (let i = 1; i <= 50; i++) {
      const candidate = i === 1 ? base : `${base.slice(0, 60)}-${i}`;
      // A local account of the same name is never taken over: the newcomer gets another name.
      if (!(await catalog.users.getByUsername(candidate))) return candidate;
    }
    return `sso-${randomUUID()}`;
  }

  private configuration(): Promise<oidc.Configuration> {
    const { config } = this.deps;
    this.discovered ??= oidc
      .discovery(
        new URL(config.issuer),
        config.clientId,
        config.clientSecret,
        undefined,
        config.allowInsecure ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error) => {
        this.discovered = null;
        throw new AppError(
          503,
          'oidc_unavailable',
          `The sign-in provider at ${config.issuer} cannot be reached: ${(error as Error).message}`,
        );
      });
    return this.discovered;
  }
}

/** The provider's groups claim, mapped to Dailies group names; null when the claim is absent. */
function groupsFrom(value: unknown, map: Record<string, string>): string[] | null {
  if (value === undefined || value === null) return null;
  const names = Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? value.split(/[\s,]+/)
      : [];
  return [...new Set(names.filter(Boolean).map((name) => map[name] ?? name))];
}

/** Only a path on this site: never another origin (no open redirect). */
/** Answers for the routes when no provider is configured. */
export function oidcNotConfigured(): never {
  throw new NotFound('Single sign-on is not set up here.');
}
