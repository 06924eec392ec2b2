/**
 * Every job the system runs, with its payload. A handler receives exactly its payload.
 * Add a job here, then its handler in `registry.ts` (start-up fails on a missing one).
 */
export interface JobPayloads {
  /** Move or rename assets in the lake, then in the catalog (one job for many assets). */
  'assets.move': RequestedBy & { assetIds: string[]; toFolderPath: string; renameTo?: string };
  /** Move or rename a folder subtree in the lake, then in the catalog. */
  'folder.move': RequestedBy & { fromPath: string; toPath: string };
  /** Copy one asset from the lake to an edit volume, verified by checksum. */
  'volume.copy': RequestedBy & { volumeId: string; assetId: string };
  /** Remove one asset's copy from an edit volume, only while it holds what Dailies wrote (unless forced). */
  'volume.remove': RequestedBy & { volumeId: string; assetId: string; force: boolean };
  /** Bring files or folders from an edit volume into a lake folder as new assets. */
  'volume.import': RequestedBy & { volumeId: string; paths: string[]; folder: string };
  /**
   * "Prepare for edit": waits for a folder's copy jobs, then writes the volume's ASC MHL
   * generation and the ALE + FCPXML bins beside the copied folder. For a selection: the copied
   * assets' ids, and the bins' name (they go to the volume's root, where the selection's paths start).
   */
  'volume.prepare': RequestedBy & { volumeId: string; copyJobIds: string[] } & (
      | { folderId: string }
      | { assetIds: string[]; binName: string }
    );
  /** Trash the copies of duplicate groups not kept (storage page), one audited job. */
  'storage.dedupe': RequestedBy & { groups: Array<{ keep: string; trash: string[] }> };
  /** Checksums when missing, then ffprobe + mediainfo; plans the derivative jobs below. */
  'asset.probe': AssetJobPayload;
  /** A representative frame (or the image, or the sound drawn) as a JPEG. */
  'asset.thumbnail': AssetJobPayload;
  /** Web-playable: H.264/AAC MP4 for video, AAC for audio, a web-sized JPEG for images. */
  'asset.proxy': AssetJobPayload;
  /** Video only: a sprite sheet and a WebVTT file for scrubbing. */
  'asset.filmstrip': AssetJobPayload;
  /** Anything with audio: peaks as JSON. */
  'asset.waveform': AssetJobPayload;
  /** Verify a camera card in the lake against its ASC MHL history (`ascmhl/` in the folder). */
  'mhl.verify': { folderId: string };
  /** Add an ASC MHL generation for the verified copies under a folder on an edit volume. */
  'mhl.seal': { volumeId: string; folderId: string };
}

/**
 * Who asked for a job, the one way every job a person starts carries them: their id (whose
 * job it is: `GET /api/jobs/:id` and its live progress go to them) and their name then, so the
 * audit names them even when the account is gone before the job runs. A job that acts with
 * the person's rights looks them up as they are when it runs (`features/access/job-actor.ts`).
 */
export interface RequestedBy {
  actorId: string;
  /** Absent on moves queued by versions before 0.2. */
  actorName?: string;
}

/** Asset jobs work on the asset's current content; its metadata says which content was probed. */
export interface AssetJobPayload {
  assetId: string;
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Every job name at run time; the `satisfies` makes a missing one a build error. */
export const JOB_NAMES = Object.keys({
  'assets.move': true,
  'folder.move': true,
  'volume.copy': true,
  'volume.remove': true,
  'volume.import': true,
  'volume.prepare': true,
  'storage.dedupe': true,
  'asset.probe': true,
  'asset.thumbnail': true,
  'asset.proxy': true,
  'asset.filmstrip': true,
  'asset.waveform': true,
  'mhl.verify': true,
  'mhl.seal': true,
} satisfies Record<JobName, true>) as JobName[];
