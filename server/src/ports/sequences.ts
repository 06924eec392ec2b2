/** Image sequences in the catalog: which asset stands for which frames (see features/sequences). */

export interface Sequence {
  /** The asset that is the sequence (its row in `assets` carries name, size, state). */
  assetId: string;
  folderId: string;
  /** `frame-names.ts sequenceKey`: prefix, separator, extension and padding. */
  groupKey: string;
  prefix: string;
  separator: '.' | '_' | '';
  extension: string;
  padding: number;
  /** The frame rate a person chose (`24/1`, `24000/1001`); null plays at the default. */
  frameRate: string | null;
  /** When the frames last changed and the derivatives wait for quiet; null when settled. */
  dirtyAt: number | null;
}

/** One lake object that is a frame, in the sequence's folder. */
export interface SequenceFrame {
  number: number;
  name: string;
  size: number;
  etag: string;
  mtime: number;
}

export interface SequenceRepository {
  get(assetId: string): Promise<Sequence | null>;
  getMany(assetIds: string[]): Promise<Sequence[]>;
  /** The sequence of a folder's frame group. */
  findByKey(folderId: string, groupKey: string): Promise<Sequence | null>;
  /** Every sequence (reconcile compares them with the lake). */
  all(): Promise<Sequence[]>;
  /** False when another writer made this folder's group a sequence first. */
  insert(sequence: Sequence): Promise<boolean>;
  /**
   * Holds the sequence's row until the transaction ends (PostgreSQL: a row lock; SQLite has one
   * writer anyway), so writers of one sequence's frames take turns.
   */
  lock(assetId: string): Promise<void>;
  /** By frame number, ascending. */
  frames(assetId: string): Promise<SequenceFrame[]>;
  /** Adds or replaces frames by number. */
  putFrames(assetId: string, frames: SequenceFrame[]): Promise<void>;
  removeFrames(assetId: string, numbers: number[]): Promise<void>;
  update(
    assetId: string,
    patch: Partial<Pick<Sequence, 'folderId' | 'groupKey' | 'frameRate'>>,
  ): Promise<void>;
  /** Makes these assets no sequence (their frames' rows go too). */
  delete(assetIds: string[]): Promise<void>;
  /** The frames changed at `at`: processing waits until they are quiet. */
  markDirty(assetIds: string[], at: number): Promise<void>;
  /** Sequences whose frames changed last before `before`, oldest first. */
  quiet(before: number, limit: number): Promise<Array<{ assetId: string; dirtyAt: number }>>;
  /** Marks one settled, unless it changed again since `dirtyAt`; true when this caller did. */
  settle(assetId: string, dirtyAt: number): Promise<boolean>;
}
