import { Transform, type TransformCallback } from 'node:stream';
import { ChecksumAccumulator, type Checksums } from '../../lib/checksums.js';

/**
 * The checksums of uploads in progress, updated as their bytes pass through this process.
 *
 * A hash state is trusted only while it has seen exactly the bytes the store holds, in order:
 * a write that starts anywhere but where the state ends (after a restart, or after a write
 * that failed half-way) drops it, and the store then hashes the staged bytes once at the end.
 * MD5 state cannot be saved, so surviving a restart that way is the only honest option.
 */
export class RunningChecksums {
  private readonly states = new Map<string, ChecksumAccumulator>();

  /**
   * A pass-through to put in front of a write at `offset`: it continues the running hash, or
   * is null when that hash is lost and the bytes will be hashed from staging instead.
   */
  hasher(id: string, offset: number): Transform | null {
    let state = this.states.get(id);
    if (offset === 0) {
      state = new ChecksumAccumulator();
      this.states.set(id, state);
    } else if (!state || state.bytes !== offset) {
      this.states.delete(id);
      return null;
    }
    const hashing = state;
    return new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        hashing.update(chunk);
        callback(null, chunk);
      },
    });
  }

  /** The running checksums when they cover exactly `size` bytes; null when they must be recomputed. */
  take(id: string, size: number): Checksums | null {
    const state = this.states.get(id);
    this.states.delete(id);
    return state && state.bytes === size ? state.digest() : null;
  }

  forget(id: string): void {
    this.states.delete(id);
  }
}
