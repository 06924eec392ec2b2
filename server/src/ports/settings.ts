import type { VolumeConfig } from '../config.js';
import type { ObjectStore } from './object-store.js';
import type { Volume } from './volume.js';

/** The content lake a deployment uses: a directory on the server, or an S3 bucket (with a prefix). */
export type LakeSettings =
  | { kind: 'fs'; path: string }
  | {
      kind: 's3';
      bucket: string;
      /** Without leading or trailing slash; '' for the whole bucket. */
      prefix: string;
      region: string;
      /** Absent for AWS itself. */
      endpoint?: string;
      forcePathStyle: boolean;
      accessKeyId?: string;
      secretAccessKey?: string;
    };

/** What the settings page changes, as in effect: saved settings over the file and environment. */
export interface DeploymentSettings {
  lake: LakeSettings;
  volumes: VolumeConfig[];
}

/**
 * Opens the stores the settings name. `probe*` proves one is usable (reachable, the directory or
 * bucket there, a test file written and deleted) and throws a StorageError saying what is wrong.
 */
export interface SettingsStorage {
  openLake(lake: LakeSettings): ObjectStore;
  probeLake(lake: LakeSettings): Promise<void>;
  openVolume(volume: VolumeConfig): Volume;
}

/** Where the lake in use is swapped for another while the server runs. */
export interface LakeSwitch {
  /** Every holder of the lake sees `store` from now on (uploads, reads, the watcher). */
  swap(store: ObjectStore, lake: LakeSettings): void;
}
