import { createHmac } from 'node:crypto';
import { type SecretInput, serverSecretOf } from '../../lib/server-secret.js';
import type { SettingsRepository } from '../../ports/catalog.js';

/** The settings key holding a fingerprint of the secret the deployment's processes sign with. */
export const SECRET_FINGERPRINT_KEY = 'server-secret-fingerprint';

/**
 * How this process's secret compares with the one the other processes on the catalog use:
 * `same`; `recorded` (the first to say); `rotated` (theirs is our previous one, ours is now
 * recorded); `differs` (neither: links signed and S3 keys saved by one fail on the other).
 */
export type SecretAgreement = 'same' | 'recorded' | 'rotated' | 'differs';

/**
 * A one-way fingerprint of a secret. It says whether two processes share a secret without
 * giving it away; a catalog copy already holds boxes sealed with it, so it adds nothing to
 * guess from.
 */
export function secretFingerprint(secret: string): string {
  return createHmac('sha256', secret).update('dailies server secret fingerprint').digest('hex').slice(0, 32);
}

/** Compares this process's secret with the recorded one, recording ours when it is the first or the newer. */
export async function agreeOnSecret(
  settings: SettingsRepository,
  input: SecretInput,
  now: number,
): Promise<SecretAgreement> {
  const secret = serverSecretOf(input);
  const ours = secretFingerprint(secret.current);
  const recorded = await settings.get(SECRET_FINGERPRINT_KEY);
  if (recorded === ours) return 'same';
  const rotated = recorded !== null && secret.previous.some((p) => secretFingerprint(p) === recorded);
  if (recorded !== null && !rotated) return 'differs';
  await settings.set(SECRET_FINGERPRINT_KEY, ours, now);
  // Two processes starting at once both found nothing: the later write wins, the other learns here.
  return (await settings.get(SECRET_FINGERPRINT_KEY)) === ours
    ? rotated
      ? 'rotated'
      : 'recorded'
    : 'differs';
}

/** Read only (doctor): does this process's secret agree with the recorded one? */
export async function secretAgrees(
  settings: SettingsRepository,
  input: SecretInput,
): Promise<boolean | null> {
  const recorded = await settings.get(SECRET_FINGERPRINT_KEY);
  if (recorded === null) return null;
  return recorded === secretFingerprint(serverSecretOf(input).current);
}

export const SECRET_DIFFERS_MESSAGE =
  'This process signs with another secret than the other processes on this catalog: S3 keys saved on ' +
  'the Settings page, download links and sign-in cookies made by one fail on the other. Give every ' +
  'serve and worker the same DAILIES_SECRET (or DAILIES_SECRET_FILE); see docs/deploy.md.';
