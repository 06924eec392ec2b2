import { hash, verify } from '@node-rs/argon2';

// `Algorithm.Argon2id`; the package exports it as an ambient const enum.
const ARGON2ID = 2;

import type { PasswordHasher } from '../../ports/password-hasher.js';

/**
 * argon2id with the OWASP-recommended floor (19 MiB, 2 passes, 1 lane); about 100 ms a hash
 * here. Tests may lower the cost, never the algorithm.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  constructor(
    private readonly cost: { memoryCost: number; timeCost: number } = { memoryCost: 19456, timeCost: 2 },
  ) {}

  hash(password: string): Promise<string> {
    return hash(password, { algorithm: ARGON2ID, parallelism: 1, ...this.cost });
  }

  async verify(stored: string, password: string): Promise<boolean> {
    try {
      return await verify(stored, password);
    } catch {
      return false;
    }
  }
}
