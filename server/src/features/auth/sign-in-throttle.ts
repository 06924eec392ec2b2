import type { SignInLimits } from '../../config.js';
import { AppError } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { AttemptFilter, AttemptKind } from '../../ports/identity.js';

export class TooManyAttempts extends AppError {
  constructor(message: string, retryAfterSeconds: number) {
    super(429, 'too_many_attempts', message, { retryAfterSeconds });
  }
}

/** An admitted attempt: mark it succeeded once the secret proved right, so it stops counting. */
export interface Admitted {
  succeeded(): Promise<void>;
}

interface Rule {
  filter: AttemptFilter;
  limit: number;
  /** Ends "Too many … ". */
  what: string;
}

/**
 * Sign-in throttling without a lockout anyone can cause from anywhere.
 *
 * Password tries are limited per (account, client address) and per client address: someone
 * hammering `admin` from one address holds back only that address, and the admin signing in
 * from any other address gets in. Second-factor codes are limited per account across
 * addresses, since only someone who already has the password reaches that step, and six
 * digits must not be guessable from many addresses at once.
 *
 * The attempt is recorded before the secret is checked and then counted with everything
 * recorded so far (itself included): of N parallel attempts, the k-th to be recorded counts at
 * least k, so no more than the limit are ever checked. Refused attempts stay recorded, so a
 * client that keeps hammering keeps waiting (a sliding window: the next try is let through
 * once the oldest counted failure is older than the window).
 */
export class SignInThrottle {
  constructor(private readonly deps: { catalog: Catalog; clock: Clock; limits: SignInLimits }) {}

  async admit(kind: AttemptKind, username: string, address: string): Promise<Admitted> {
    const { catalog, clock } = this.deps;
    const rules = this.rules(kind, username, address);
    // Already over: refuse without adding a row, so a flood cannot grow the table without end.
    await this.refuseOver(rules, (count, limit) => count >= limit);
    const id = await catalog.signInAttempts.record({ at: clock.now(), username, address, kind });
    await this.refuseOver(rules, (count, limit) => count > limit);
    return { succeeded: () => catalog.signInAttempts.succeeded(id) };
  }

  private rules(kind: AttemptKind, username: string, address: string): Rule[] {
    const { limits } = this.deps;
    switch (kind) {
      case 'password':
        return [
          {
            filter: { kind, username, address },
            limit: limits.perAccountAddress,
            what: 'failed sign-ins for this account from your address',
          },
          { filter: { kind, address }, limit: limits.perAddress, what: 'failed sign-ins from your address' },
        ];
      case 'code':
        return [
          { filter: { kind, username }, limit: limits.codesPerAccount, what: 'wrong codes for this account' },
        ];
      case 'signup':
        return [
          { filter: { kind, address }, limit: limits.perAccountAddress, what: 'sign-ups from your address' },
        ];
    }
  }

  private async refuseOver(rules: Rule[], over: (count: number, limit: number) => boolean): Promise<void> {
    const { catalog, clock, limits } = this.deps;
    const windowMs = limits.windowMinutes * 60_000;
    const since = clock.now() - windowMs;
    for (const rule of rules) {
      if (!over(await catalog.signInAttempts.failuresSince(rule.filter, since), rule.limit)) continue;
      const oldest = (await catalog.signInAttempts.oldestFailureSince(rule.filter, since)) ?? clock.now();
      const seconds = Math.max(1, Math.ceil((oldest + windowMs - clock.now()) / 1000));
      const minutes = Math.ceil(seconds / 60);
      throw new TooManyAttempts(
        `Too many ${rule.what}. Try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`,
        seconds,
      );
    }
  }
}
