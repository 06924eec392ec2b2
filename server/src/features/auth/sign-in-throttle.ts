import { isIPv4, isIPv6 } from 'node:net';
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

  async admit(kind: AttemptKind, username: string, clientAddress: string): Promise<Admitted> {
    const { catalog, clock } = this.deps;
    const address = throttledAddress(clientAddress);
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

/**
 * The address attempts are counted under. One IPv6 subscriber holds a whole /64 (2^64
 * addresses to rotate through), so IPv6 counts by its /64; an IPv4 address written as IPv6
 * (`::ffff:192.0.2.1`) is that IPv4 address.
 */
export function throttledAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.split('%')[0].toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  // An embedded IPv4 tail takes two groups; it never reaches the first four, so it only pads.
  const rightGroups = right.reduce((n, part) => n + (part.includes('.') ? 2 : 1), 0);
  const groups = address.includes('::')
    ? [...left, ...Array(8 - left.length - rightGroups).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g || '0', 16).toString(16))
    .join(':')}::/64`;
}
