import { Transform, type TransformCallback } from 'node:stream';
import { ChecksumLane } from '../../lib/checksum-lanes.js';
import type { Checksums } from '../../lib/checksums.js';

/**
 * The checksums of uploads in progress, updated as their bytes pass through this process
 * (hashed on a worker thread, see checksum-lanes.ts).
 *
 * A hash state is trusted only while it has seen exactly the bytes the store holds, in order:
 * a write that starts anywhere but where the state ends (after a restart, or after a write
 * that failed half-way) drops it, and the store then hashes the staged bytes once at the end.
 * MD5 state cannot be saved, so surviving a restart that way is the only honest option.
 */
export class RunningChecksums {
  private readonly lanes = new Map<string, ChecksumLane>();

  /**
   * The lane to feed the bytes of a write at `offset`: it continues the running hash, or is
   * null when that hash is lost and the bytes will be hashed from staging instead.
   */
  lane(id: string, offset: number): ChecksumLane | null {
    let lane = this.lanes.get(id);
    if (offset === 0) {
      lane?.close();
      lane = new ChecksumLane();
      this.lanes.set(id, lane);
    } else if (!lane || lane.bytes !== offset) {
      this.forget(id);
      return null;
    }
    return lane;
  }

  /** The same as a pass-through stream, for stores that hand tus's stream on. */
  hasher(id: string, offset: number): Transform | null {
    const lane = this.lane(id, offset);
    if (!lane) return null;
    return new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        // The chunk is copied into the lane, so it goes on at once; only a full lane (the
        // hashing behind) holds the stream back.
        const full = lane.push(chunk);
        if (full) full.then(() => callback(null, chunk), callback);
        else callback(null, chunk);
      },
    });
  }

  /** The running checksums when they cover exactly `size` bytes; null when they must be recomputed. */
  async take(id: string, size: number): Promise<Checksums | null> {
    const lane = this.lanes.get(id);
    this.lanes.delete(id);
    if (!lane) return null;
    if (lane.bytes !== size) {
      lane.close();
      return null;
    }
    // A failed hashing thread is not a failed upload: the staged bytes are hashed again.
    return lane.digest().catch(() => null);
  }

  forget(id: string): void {
    this.lanes.get(id)?.close();
    this.lanes.delete(id);
  }
}
