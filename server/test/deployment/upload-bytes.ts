import { createCipheriv, createHash } from 'node:crypto';
import { Xxh64 } from '@node-rs/xxhash';

/**
 * Deterministic bytes of any length, made piece by piece (AES-CTR of zeros: the bytes at any
 * offset can be made without the ones before), so a test sends hundreds of MB without holding
 * them, and checks the result against checksums made in one pass.
 */
export class UploadBytes {
  private readonly key: Buffer;

  constructor(
    readonly size: number,
    seed: string,
  ) {
    this.key = createHash('sha256').update(seed).digest().subarray(0, 16);
  }

  /** Bytes [start, start + length); `start` a multiple of 16. */
  slice(start: number, length: number): Buffer {
    if (start % 16 !== 0) throw new Error('slices start at a multiple of 16');
    const end = Math.min(this.size, start + length);
    const iv = Buffer.alloc(16);
    iv.writeBigUInt64BE(BigInt(start / 16), 8);
    return createCipheriv('aes-128-ctr', this.key, iv).update(Buffer.alloc(end - start));
  }

  checksums(): { xxh64: string; md5: string } {
    const xxh = new Xxh64();
    const md5 = createHash('md5');
    const step = 16 * 1024 * 1024;
    for (let at = 0; at < this.size; at += step) {
      const piece = this.slice(at, step);
      xxh.update(piece);
      md5.update(piece);
    }
    return { xxh64: xxh.digest().toString(16).padStart(16, '0'), md5: md5.digest('hex') };
  }
}
