import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { type SecretInput, serverSecretOf, verifyingSecrets } from './server-secret.js';

/**
 * Secrets kept in the catalog (an S3 secret key saved on the settings page) are sealed with a
 * key derived from the server secret, so a copy of the catalog alone does not give them away.
 * AES-256-GCM: a changed box fails to open rather than yielding garbage.
 */
export function seal(text: string, serverSecret: SecretInput): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(serverSecretOf(serverSecret).current), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/**
 * The sealed text, or null when the box was sealed with none of the server's secrets (current or
 * previous) or altered.
 */
export function unseal(box: string, serverSecret: SecretInput): string | null {
  for (const secret of verifyingSecrets(serverSecret)) {
    const text = unsealWith(box, secret);
    if (text !== null) return text;
  }
  return null;
}

function unsealWith(box: string, serverSecret: string): string | null {
  const [version, iv, tag, body] = box.split('.');
  if (version !== 'v1' || !iv || !tag || body === undefined) return null;
  try {
    const decipher = createDecipheriv('aes-256-gcm', keyOf(serverSecret), Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  } catch {
    return null;
  }
}

function keyOf(serverSecret: string): Buffer {
  return createHmac('sha256', serverSecret).update('dailies settings secrets').digest();
}
