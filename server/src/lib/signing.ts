import { createHmac, timingSafeEqual } from 'node:crypto';
import { type SecretInput, serverSecretOf, verifyingSecrets } from './server-secret.js';

/**
 * What a token is for. Each purpose signs with its own key derived from the server secret, and
 * the purpose is also inside the signed body: a token minted for one use (an OIDC sign-in's
 * state cookie) never verifies as another (a download link), even if both carried look-alike
 * fields.
 */
export type TokenPurpose = 'download' | 'oidc-transaction';

/**
 * Short server-minted tokens: a JSON payload and its HMAC-SHA256, both base64url.
 * Used for fs download URLs, which the server serves itself, and the OIDC transaction cookie.
 */
export function signToken(
  purpose: TokenPurpose,
  payload: Record<string, unknown>,
  secret: SecretInput,
): string {
  const body = Buffer.from(JSON.stringify({ ...payload, purpose })).toString('base64url');
  return `${body}.${mac(body, purpose, serverSecretOf(secret).current)}`;
}

/**
 * The payload when the token is intact and made for this purpose, otherwise null. Expiry is the
 * caller's check. A token signed with a previous secret (before a rotation) still verifies.
 */
export function verifyToken<T>(purpose: TokenPurpose, token: string, secret: SecretInput): T | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const given = Buffer.from(signature);
  const signedBy = verifyingSecrets(secret).some((key) => {
    const expected = Buffer.from(mac(body, purpose, key));
    return expected.length === given.length && timingSafeEqual(expected, given);
  });
  if (!signedBy) return null;
  try {
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as unknown;
    if (!payload || typeof payload !== 'object' || (payload as { purpose?: unknown }).purpose !== purpose)
      return null;
    return payload as T;
  } catch {
    return null;
  }
}

/** The purpose's own key: HMAC of the purpose under the server secret. */
function keyFor(purpose: TokenPurpose, secret: string): Buffer {
  return createHmac('sha256', secret).update(`dailies signed token: ${purpose}`).digest();
}

function mac(body: string, purpose: TokenPurpose, secret: string): string {
  return createHmac('sha256', keyFor(purpose, secret)).update(body).digest('base64url');
}
