import { createHash, type Hash } from 'node:crypto';
import { Xxh64 } from '@node-rs/xxhash';

/**
 * The hash formats of ASC MHL 2.0 that Dailies reads and writes. xxh3 and xxh128 are in the
 * schema too; a history that records only those is read, but its files cannot be verified here.
 */
export const HASH_FORMATS = ['c4', 'md5', 'sha1', 'xxh64'] as const;
export type HashFormat = (typeof HASH_FORMATS)[number];

/** Every format element the schema allows, in the order it requires them inside `<hash>`. */
export const SCHEMA_FORMATS = ['c4', 'md5', 'sha1', 'xxh128', 'xxh3', 'xxh64'] as const;
export type SchemaFormat = (typeof SCHEMA_FORMATS)[number];

export function isHashFormat(name: string): name is HashFormat {
  return (HASH_FORMATS as readonly string[]).includes(name);
}

/** A running hash of one format, fed chunk by chunk. */
export interface FormatHasher {
  update(chunk: Uint8Array): void;
  /** The value as an MHL file spells it (lower-case hex; C4 ids in base 58). */
  digest(): string;
}

export function hasherFor(format: HashFormat): FormatHasher {
  switch (format) {
    case 'xxh64':
      return xxh64Hasher();
    case 'md5':
    case 'sha1':
      return cryptoHasher(createHash(format));
    case 'c4':
      return c4Hasher();
  }
}

function xxh64Hasher(): FormatHasher {
  const h = new Xxh64();
  return {
    update: (chunk) => void h.update(chunk),
    digest: () => h.digest().toString(16).padStart(16, '0'),
  };
}

function cryptoHasher(h: Hash): FormatHasher {
  return { update: (chunk) => void h.update(chunk), digest: () => h.digest('hex') };
}

/** Base 58 without 0, O, I and l, as the C4 id (SMPTE ST 2114) spells it. */
const C4_ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const C4_DIGITS = 88;

/** A C4 id: the SHA-512 digest as one number in base 58, padded to 88 digits, after `c4`. */
export function c4FromSha512(digest: Uint8Array): string {
  let n = 0n;
  for (const byte of digest) n = (n << 8n) | BigInt(byte);
  const digits: string[] = [];
  while (n > 0n) {
    digits.push(C4_ALPHABET[Number(n % 58n)]!);
    n /= 58n;
  }
  return `c4${digits.reverse().join('').padStart(C4_DIGITS, '1')}`;
}

function c4Hasher(): FormatHasher {
  const h = createHash('sha512');
  return { update: (chunk) => void h.update(chunk), digest: () => c4FromSha512(h.digest()) };
}

/** The C4 id of bytes held in memory (an MHL file, which the chain names by it). */
export function c4Of(bytes: Uint8Array): string {
  return c4FromSha512(createHash('sha512').update(bytes).digest());
}

/** Hashes one buffer in several formats at once. */
export function hashAll(
  formats: readonly HashFormat[],
  bytes: Uint8Array,
): Partial<Record<HashFormat, string>> {
  const out: Partial<Record<HashFormat, string>> = {};
  for (const f of formats) {
    const h = hasherFor(f);
    h.update(bytes);
    out[f] = h.digest();
  }
  return out;
}

/**
 * How each format's value must look. A history is text another tool wrote: a value of the
 * wrong shape is reported, never compared (hex case is not meaningful, so it is folded).
 */
const VALUE_SHAPE: Record<SchemaFormat, RegExp> = {
  c4: /^c4[1-9A-HJ-NP-Za-km-z]{88}$/,
  md5: /^[0-9a-f]{32}$/,
  sha1: /^[0-9a-f]{40}$/,
  xxh128: /^[0-9a-f]{32}$/,
  xxh3: /^[0-9a-f]{16}$/,
  xxh64: /^[0-9a-f]{16}$/,
};

/** The value as compared (hex folded to lower case), or null when it is not a value of that format. */
export function normalizeHashValue(format: SchemaFormat, value: string): string | null {
  const v = value.trim();
  const folded = format === 'c4' ? v : v.toLowerCase();
  return VALUE_SHAPE[format].test(folded) ? folded : null;
}
