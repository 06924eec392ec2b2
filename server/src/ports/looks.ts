/** A folder's dailies look, as the catalog keeps it. Folders below inherit it unless they have their own. */
export interface FolderLook {
  folderId: string;
  /** The LUT as Dailies normalised it (a `.cube` text), or null for none. */
  lut: StoredLut | null;
  burnIn: BurnIn;
  updatedAt: number;
  updatedBy: string | null;
}

export interface StoredLut {
  /** The uploaded file's name, for people. */
  name: string;
  dimensions: 1 | 3;
  /** Points per axis (3D) or entries (1D). */
  size: number;
  /** SHA-256 of `cube`: tells two looks apart without comparing the text. */
  digest: string;
  cube: string;
}

export interface BurnIn {
  clipName: boolean;
  timecode: boolean;
  frameCounter: boolean;
}

export interface FolderLookRepository {
  /** The looks set on these folders (folders without one are absent). */
  getMany(folderIds: string[]): Promise<FolderLook[]>;
  /** Sets the folder's own look, replacing any it had. */
  put(look: FolderLook): Promise<void>;
  /** The folder inherits again. */
  delete(folderId: string): Promise<void>;
  /** Which of these folders have a look of their own, without reading the LUTs. */
  withLooks(folderIds: string[]): Promise<Set<string>>;
}
