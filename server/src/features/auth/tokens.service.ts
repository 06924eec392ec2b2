import { randomUUID } from 'node:crypto';
import { AppError, Invalid, NotFound } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ApiToken } from '../../ports/identity.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authentication } from './auth.service.js';
import { digest, newApiToken } from './credentials.js';
import type { Reconfirmation, TwoFactorService } from './two-factor.service.js';

/** A token lasts this long unless its maker chooses otherwise, and never longer than the maximum. */
export const TOKEN_DEFAULT_DAYS = 90;
export const TOKEN_MAX_DAYS = 365;
/** A single sign-on account has no password to give again: its sign-in must be this recent instead. */
const RECENT_SIGN_IN_MS = 10 * 60_000;

export interface ApiTokenView {
  id: string;
  name: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

interface Deps {
  catalog: Catalog;
  audit: AuditService;
  clock: Clock;
  twoFactor: TwoFactorService;
}

/**
 * Personal API tokens for scripts and the CLI: `Authorization: Bearer dly_…`, acting as their
 * owner. Made only with the password given again (and a code when two-factor is on), always
 * with an expiry; revoked when the password changes or an admin resets or disables the account.
 */
export class TokensService {
  constructor(private readonly deps: Deps) {}

  async list(actor: Actor): Promise<ApiTokenView[]> {
    return (await this.deps.catalog.apiTokens.listForUser(actor.id)).map(toView);
  }

  /** The token is in the answer once; the catalog keeps only its digest. */
  async create(
    auth: Authentication,
    input: { name: string; expiresInDays?: number } & Reconfirmation,
  ): Promise<{ token: string; item: ApiTokenView }> {
    const { catalog, audit, clock, twoFactor } = this.deps;
    const actor = auth.actor;
    const name = input.name.trim();
    if (!name || name.length > 100) throw new Invalid('Give the token a name of 1 to 100 characters.');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
    if (/[\u0000-\u001f\u007f]/.test(name))
      throw new Invalid('The token name cannot contain control characters.');
    const days = input.expiresInDays ?? TOKEN_DEFAULT_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > TOKEN_MAX_DAYS)
      throw new Invalid(`A token lasts 1 to ${TOKEN_MAX_DAYS} days.`);
    const user = await catalog.users.get(actor.id);
    if (!user) throw new Invalid('Only a user account can hold API tokens.');
    if (!user.passwordHash && user.totpEnabledAt === null) {
      const recent = auth.signedInAt !== undefined && clock.now() - auth.signedInAt < RECENT_SIGN_IN_MS;
      if (!recent)
        throw new AppError(
          403,
          'sign_in_again',
          'Sign in again through single sign-on, then make the token within 10 minutes.',
        );
    } else {
      await twoFactor.reconfirm(user, input, actor.address ?? '');
    }
    const now = clock.now();
    const token = newApiToken();
    const row: ApiToken = {
      id: randomUUID(),
      userId: actor.id,
      name,
      tokenHash: digest(token),
      createdAt: now,
      lastUsedAt: null,
      expiresAt: now + days * 86_400_000,
      revokedAt: null,
    };
    await catalog.apiTokens.insert(row);
    await audit.record(actor, 'token.create', { type: 'token', id: row.id }, { name, expiresInDays: days });
    return { token, item: toView(row) };
  }

  /** Revokes one of one's own tokens (admins: anyone's). Someone else's looks missing. */
  async revoke(actor: Actor, id: string): Promise<void> {
    const { catalog, audit, clock } = this.deps;
    const row = await catalog.apiTokens.get(id);
    if (!row || (row.userId !== actor.id && !isAdmin(actor))) throw new NotFound('The token was not found.');
    await catalog.apiTokens.revoke(id, clock.now());
    await audit.record(actor, 'token.revoke', { type: 'token', id }, { name: row.name, owner: row.userId });
  }
}

function toView(row: ApiToken): ApiTokenView {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  return {
    id: row.id,
    name: row.name,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: iso(row.lastUsedAt),
    expiresAt: iso(row.expiresAt),
    revokedAt: iso(row.revokedAt),
  };
}
