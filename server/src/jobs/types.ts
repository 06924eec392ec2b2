/**
 * Every job the system runs, with its payload. A handler receives exactly its payload.
 * Add a job here, then its handler in `registry.ts` (start-up fails on a missing one).
 */
export interface JobPayloads {
  /** Move or rename assets in the lake, then in the catalog (one job for many assets). */
  'assets.move': { actorId: string; assetIds: string[]; toFolderPath: string; renameTo?: string };
  /** Move or rename a folder subtree in the lake, then in the catalog. */
  'folder.move': { actorId: string; fromPath: string; toPath: string };
}

export type JobName = keyof JobPayloads;
export type JobPayload<N extends JobName> = JobPayloads[N];

/** Every job name at run time; the `satisfies` makes a missing one a build error. */
export const JOB_NAMES = Object.keys({
  'assets.move': true,
  'folder.move': true,
} satisfies Record<JobName, true>) as JobName[];
