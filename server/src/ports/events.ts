/**
 * Live changes, raised by services after a write commits, delivered to SSE clients.
 * Each event names the asset or folder it is about so the access layer can filter per user.
 */
export type DailiesEvent =
  | { type: 'asset.created'; assetId: string; folderPath: string }
  | { type: 'asset.changed'; assetId: string; folderPath: string }
  /** `fromFolderPath` is left out for a listener who may not see where the asset came from. */
  | { type: 'asset.moved'; assetId: string; folderPath: string; fromFolderPath?: string }
  | { type: 'asset.deleted'; assetId: string; folderPath: string }
  | { type: 'asset.restored'; assetId: string; folderPath: string }
  | { type: 'folder.created'; folderPath: string }
  | { type: 'folder.changed'; folderPath: string }
  | { type: 'folder.deleted'; folderPath: string }
  /** A note on the asset was added, changed or deleted; the listener reads the asset's notes again. */
  | {
      type: 'note.added' | 'note.changed' | 'note.deleted';
      assetId: string;
      noteId: string;
      folderPath: string;
    }
  /** "Prepare for edit" of the folder finished on the volume: media, ASC MHL and bins are there. */
  | { type: 'volume.prepared'; volumeId: string; folderPath: string; jobId: string }
  /**
   * This process lost the events of the others for a while (its PostgreSQL connection dropped):
   * whatever shows live data reads it again. Raised locally, never sent between servers.
   */
  | { type: 'events.missed' }
  /** Between servers only (never to browsers): saved settings changed; `origin` names the saver. */
  | { type: 'settings.changed'; origin: string }
  | {
      type: 'job.progress';
      jobId: string;
      name: string;
      assetId?: string;
      folderPath?: string;
      /** Who asked for the job (a move); with no folder, only they and admins see its progress. */
      actorId?: string;
      done: number;
      total: number;
      state: string;
    };

export interface EventBus {
  publish(event: DailiesEvent): void;
  subscribe(listener: (event: DailiesEvent) => void): () => void;
  close?(): Promise<void>;
}
