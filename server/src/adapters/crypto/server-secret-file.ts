import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config.js';
import type { ServerSecret } from '../../lib/server-secret.js';

/** Where a process with no configured secret keeps the one it generated. */
export function dataDirSecretFile(dataDir: string): string {
  return join(dataDir, 'secret');
}

/**
 * The secret in effect: the configured one (shared by every process of a deployment), or one
 * generated into the data dir (enough for one process on SQLite). A data dir's generated secret
 * stays a previous one once a shared secret is configured, so what it signed and sealed before
 * keeps working.
 */
export function resolveServerSecret(
  config: Pick<Config, 'secret' | 'secretPrevious' | 'dataDir'>,
): ServerSecret {
  const file = dataDirSecretFile(config.dataDir);
  if (config.secret) {
    const generated = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
    return { current: config.secret, previous: [config.secretPrevious, generated].filter(Boolean) };
  }
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  return {
    current: readFileSync(file, 'utf8').trim(),
    previous: [config.secretPrevious].filter(Boolean),
  };
}
