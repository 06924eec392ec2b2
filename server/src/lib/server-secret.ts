import { createHmac } from 'node:crypto';

/**
 * The server secret and the ones it replaced. Everything new is signed or sealed with `current`;
 * what was signed or sealed before a rotation still verifies or opens with one of `previous`, so
 * links already handed out and settings already saved keep working while every process moves to
 * the new secret.
 */
export interface ServerSecret {
  readonly current: string;
  readonly previous: readonly string[];
}

/** A bare string is a secret with nothing before it (tests, one-process tools). */
export type SecretInput = string | ServerSecret;

export function serverSecretOf(input: SecretInput): ServerSecret {
  return typeof input === 'string' ? { current: input, previous: [] } : input;
}

/** Every secret to try when verifying or opening, the current one first. */
export function verifyingSecrets(input: SecretInput): string[] {
  const secret = serverSecretOf(input);
  return [secret.current, ...secret.previous.filter((p) => p && p !== secret.current)];
}

/**
 * A key for one purpose derived from each secret of the ring: what signs two-factor secrets never
 * signs settings, and a rotation rotates every derived key together.
 */
export function derivedSecret(input: SecretInput, purpose: string): ServerSecret {
  const [current, ...previous] = verifyingSecrets(input).map((s) =>
    createHmac('sha256', s).update(purpose).digest('hex'),
  );
  return { current: current as string, previous };
}
