import { createHash, randomBytes } from 'node:crypto';

/** Personal API tokens start with this, so a leaked one is easy to recognise and scan for. */
export const API_TOKEN_PREFIX = 'dly_';

/** A new unguessable secret (256 bits), URL- and cookie-safe. */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${newSecret()}`;
}

/** What the catalog stores in place of a session cookie or an API token. */
export function digest(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}
