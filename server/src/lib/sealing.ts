import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Secrets kept in the catalog (an S3 secret key saved on the settings page) are sealed with a
 * key derived from the server secret, so a copy of the catalog alone does not give them away.
 * AES-256-GCM: a changed box fails to open rather than yielding garbage.
 */
export function seal(text: string, serverSecret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', keyOf(serverSecret), iv);
  const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), body]
    .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
    .join('.');
}

/** The sealed text, or null when the box was sealed with another server secret or altered. */
export function unseal(box: string, serverSecret: string): string | null {
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
