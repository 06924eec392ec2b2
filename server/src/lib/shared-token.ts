import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The token a machine caller presents: `Authorization: Bearer <token>`, or the password of
 * `Authorization: Basic` (senders that only take a `https://user:token@host/` URL, as SNS and Ceph
 * do, send it that way). Null when there is none.
 */
export function presentedToken(header: string | undefined): string | null {
  if (!header) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (bearer) return bearer[1] as string;
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!basic) return null;
  const text = Buffer.from(basic[1] as string, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon >= 0 ? text.slice(colon + 1) : null;
}

/** Compares digests, so neither the length nor the content of the expected token leaks through timing. */
export function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
