/** Notes on assets (comments, optionally at a frame or a range of frames): the catalog's notes table. */
export interface Note {
  id: string;
  assetId: string;
  /** Null once the author's account is gone; the name stays as it was written. */
  authorId: string | null;
  authorName: string;
  body: string;
  /** Frames from the asset's first frame; null for a note on the whole asset. */
  frame: number | null;
  /** The frame after the range (exclusive); null for a note at one frame or none. */
  endFrame: number | null;
  createdAt: number;
  updatedAt: number;
}

export type NotePatch = Partial<Pick<Note, 'body' | 'frame' | 'endFrame'>> & { updatedAt: number };

export interface NoteRepository {
  add(note: Note): Promise<void>;
  get(id: string): Promise<Note | null>;
  /** The notes of these assets, oldest first (then by id). */
  forAssets(assetIds: string[]): Promise<Note[]>;
  /** Changes the note unless it is gone; false when it was. */
  update(id: string, patch: NotePatch): Promise<boolean>;
  /** False when there was no such note. */
  delete(id: string): Promise<boolean>;
  /** Notes of assets deleted for good. */
  forget(assetIds: string[]): Promise<void>;
}
