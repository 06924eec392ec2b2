import { Transform, type TransformCallback } from 'node:stream';
import { ChecksumLane } from '../../lib/checksum-lanes.js';
import type { Checksums } from '../../lib/checksums.js';
import { decodeSavedHashes, encodeSavedHashes } from '../../lib/saved-hashes.js';

/** Where a store keeps each upload's saved hashes (beside its staged bytes, so any server finds them). */
export interface SavedHashesPlace {
  load(id: string): Promise<Uint8Array | null>;
  save(id: string, state: Buffer): Promise<void>;
  remove(id: string): Promise<void>;
}

/**
 * The checksums of uploads in progress, updated as their bytes pass through this process
 * (hashed on a worker thread, see checksum-lanes.ts).
 *
 * After each write the running hashes (xxHash64 and MD5, both portable) are saved beside the
 * staged bytes with the offset they cover. A write that lands on another server, or on this one
 * after a restart, goes on from that state; so does the finish, which then never reads the
 * staged object back. A state is trusted only when it covers exactly the bytes the store holds:
 * after a write that failed half-way it is behind, and the store hashes the staged bytes once
 * at the end.
 */
/**
 * A saved lane idle this long is let go (its 4 MiB ring and hashers): under round robin most
 * uploads go on and finish on other servers, and the saved state brings it back if needed.
 */
const IDLE_MS = 10 * 60_000;

export class RunningChecksums {
  private readonly lanes = new Map<string, ChecksumLane>();
  /** When each lane was last handed out or written through (not while a write is under way). */
  private readonly idleSince = new Map<string, number>();

  /** With no place (an fs lake: one machine), hashes stay in this process and use the faster native hashers. */
  constructor(private readonly place: SavedHashesPlace | null) {}

  /**
   * The lane to feed the bytes of a write at `offset`: it continues the running hash (this
   * process's, or the one saved by the last writer), or is null when that hash is lost and the
   * bytes will be hashed from staging instead.
   */
  async lane(id: string, offset: number): Promise<ChecksumLane | null> {
    this.dropIdle();
    this.idleSince.delete(id); // in use until `written` or `close`
    const running = this.lanes.get(id);
    if (running && running.bytes === offset) return running;
    this.close(id);
    const lane =
      offset === 0 ? new ChecksumLane({ portable: this.place !== null }) : await this.resume(id, offset);
    if (lane) this.lanes.set(id, lane);
    return lane;
  }

  /** Lanes whose state is saved and that no write used for IDLE_MS; never an fs lake's (nothing saved). */
  private dropIdle(): void {
    if (!this.place) return;
    const cutoff = Date.now() - IDLE_MS;
    for (const [id, since] of this.idleSince) if (since < cutoff) this.close(id);
  }

  /** The same as a pass-through stream, for stores that hand tus's stream on. */
  async hasher(id: string, offset: number): Promise<Transform | null> {
    const lane = await this.lane(id, offset);
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

  /**
   * After a write that left the upload at `offset`: saves the running hashes for whichever
   * server takes the next write. Done before the write is acknowledged, so the client's next
   * request finds it. A lane that saw other bytes than the store holds is dropped.
   */
  async written(id: string, offset: number): Promise<void> {
    const lane = this.lanes.get(id);
    if (!lane) return;
    if (lane.bytes !== offset) {
      this.close(id);
      return;
    }
    if (!this.place) return;
    try {
      await this.place.save(id, encodeSavedHashes(await lane.save(), id));
      if (this.lanes.get(id) === lane) this.idleSince.set(id, Date.now());
    } catch {
      // Not saved: the state left there is behind, so the next server (or the finish) knows
      // to hash the staged bytes instead; this process still goes on from its own lane.
    }
  }

  /** The running checksums when they cover exactly `size` bytes; null when they must be recomputed. */
  async take(id: string, size: number): Promise<Checksums | null> {
    let lane = this.lanes.get(id);
    this.lanes.delete(id);
    this.idleSince.delete(id);
    if (lane && lane.bytes !== size) {
      lane.close();
      lane = undefined;
    }
    lane ??= (await this.resume(id, size)) ?? undefined;
    if (!lane) return null;
    // A failed hashing thread is not a failed upload: the staged bytes are hashed again.
    return lane.digest().catch(() => null);
  }

  /**
   * When no hash covers all `size` bytes: a lane resumed from the saved state that covers a
   * start of them (a PATCH died after storing some parts), for the store to feed the rest from
   * staging; null when there is none.
   */
  async behind(id: string, size: number): Promise<ChecksumLane | null> {
    if (!this.place) return null;
    const raw = await this.place.load(id).catch(() => null);
    const state = raw && decodeSavedHashes(raw, id);
    if (!state || state.bytes >= size) return null;
    return new ChecksumLane({ resume: state });
  }

  /** Stops this process's lane (a failed write); the saved state stays for whoever goes on. */
  close(id: string): void {
    this.lanes.get(id)?.close();
    this.lanes.delete(id);
    this.idleSince.delete(id);
  }

  /** How many lanes this process holds (tests). */
  get size(): number {
    return this.lanes.size;
  }

  /** The upload is gone or published: its lane and its saved state go too. */
  async forget(id: string): Promise<void> {
    this.close(id);
    await this.place?.remove(id).catch(() => {});
  }

  private async resume(id: string, offset: number): Promise<ChecksumLane | null> {
    if (!this.place) return null;
    const raw = await this.place.load(id).catch(() => null);
    const state = raw && decodeSavedHashes(raw, id);
    if (!state || state.bytes !== offset) return null;
    return new ChecksumLane({ resume: state });
  }
}
