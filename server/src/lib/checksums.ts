import { createHash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';
import { Xxh64 } from '@node-rs/xxhash';

export interface Checksums {
  /** 16 lower-case hex digits. */
  xxh64: string;
  /** 32 lower-case hex digits. */
  md5: string;
}

/** Both checksums of every original, computed once as the bytes pass. */
export class ChecksumAccumulator {
  private readonly xxh = new Xxh64();
  private readonly md5 = createHash('md5');
  bytes = 0;

  update(chunk: Uint8Array): void {
    this.xxh.update(chunk);
    this.md5.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): Checksums {
    return { xxh64: this.xxh.digest().toString(16).padStart(16, '0'), md5: this.md5.digest('hex') };
  }
}

/** A pass-through stream that checksums what flows through it. */
export class ChecksumStream extends Transform {
  readonly accumulator = new ChecksumAccumulator();

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.accumulator.update(chunk);
    callback(null, chunk);
  }

  checksums(): Checksums {
    return this.accumulator.digest();
  }
}

/** xxHash64 alone: what a copy is verified against, at memory speed. */
export class Xxh64Accumulator {
  private readonly xxh = new Xxh64();
  bytes = 0;

  update(chunk: Uint8Array): void {
    this.xxh.update(chunk);
    this.bytes += chunk.length;
  }

  digest(): string {
    return this.xxh.digest().toString(16).padStart(16, '0');
  }
}
