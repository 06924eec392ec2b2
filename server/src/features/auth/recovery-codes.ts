import { randomInt } from 'node:crypto';
import { digest } from './credentials.js';

/** Lower case letters and digits without the ones people misread (0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const GROUPS = 4;
const GROUP_LENGTH = 4;

/**
 * Ten recovery codes of 16 characters (about 79 bits each: out of reach of any offline
 * guessing, so a plain SHA-256 digest is enough to store them), written `abcd-efgh-jkmn-pqrs`.
 */
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () =>
    Array.from({ length: GROUPS }, () =>
      Array.from({ length: GROUP_LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join(''),
    ).join('-'),
  );
}

/** The code as typed, without spaces or dashes and in lower case; null when it cannot be one. */
export function normaliseRecoveryCode(text: string): string | null {
  const compact = text.replace(/[\s-]+/g, '').toLowerCase();
  if (compact.length !== GROUPS * GROUP_LENGTH) return null;
  for (const ch of compact) if (!ALPHABET.includes(ch)) return null;
  return compact;
}

/** What the catalog keeps of a code. */
export function recoveryCodeDigest(normalised: string): string {
  return digest(`recovery:${normalised}`);
}
