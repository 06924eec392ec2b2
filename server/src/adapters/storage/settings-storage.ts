import { randomUUID } from 'node:crypto';
import { stat } from 'node:fs/promises';
import type { VolumeConfig } from '../../config.js';
import { StorageError } from '../../lib/errors.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LakeSettings, SettingsStorage } from '../../ports/settings.js';
import { FsVolume } from '../volume/fs-volume.js';
import { FsObjectStore } from './fs-object-store.js';
import type { S3ConnectionOptions } from './s3-client.js';
import { S3ObjectStore } from './s3-object-store.js';

/** Store tuning that is not a setting a person makes (tests shrink part sizes). */
type Tuning = Omit<
  ConstructorParameters<typeof S3ObjectStore>[0],
  keyof S3ConnectionOptions | 'bucket' | 'prefix'
>;

/** A probe gives up on an unreachable endpoint within seconds instead of the SDK's patient defaults. */
const PROBE_TIMEOUT_MS = 5_000;

/** Lakes and volumes opened from the settings: directories and S3 buckets. */
export function settingsStorage(tuning: Tuning = {}): SettingsStorage {
  const open = (lake: LakeSettings, probe: boolean): ObjectStore => {
    if (lake.kind === 'fs') return new FsObjectStore(lake.path);
    return new S3ObjectStore({
      ...tuning,
      ...s3Connection(lake),
      bucket: lake.bucket,
      prefix: lake.prefix,
      ...(probe
        ? { maxAttempts: 1, connectionTimeoutMs: PROBE_TIMEOUT_MS, requestTimeoutMs: PROBE_TIMEOUT_MS }
        : {}),
    });
  };
  return {
    openLake: (lake) => open(lake, false),
    async probeLake(lake) {
      if (lake.kind === 's3') {
        // HeadBucket with these credentials, then a test object written and deleted.
        await open(lake, true).check();
        return;
      }
      await existingDirectory(lake.path);
      const store = open(lake, true);
      const key = `.dailies-check-${randomUUID()}`;
      try {
        await store.write(key, Buffer.from('ok'));
        await store.delete(key);
      } catch (error) {
        await store.delete(key).catch(() => {});
        throw new StorageError(`Dailies cannot write in ${lake.path}: ${(error as Error).message}`, error);
      }
    },
    openVolume: (volume: VolumeConfig) => new FsVolume(volume.id, volume.path),
  };
}

/** The S3 connection the lake settings name (also what the upload staging uses). */
export function s3Connection(lake: Extract<LakeSettings, { kind: 's3' }>): S3ConnectionOptions {
  return {
    endpoint: lake.endpoint,
    region: lake.region,
    forcePathStyle: lake.forcePathStyle,
    accessKeyId: lake.accessKeyId,
    secretAccessKey: lake.secretAccessKey,
  };
}

/** A lake directory must already exist: a typo should not quietly become a new, empty lake. */
async function existingDirectory(path: string): Promise<void> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new StorageError(`The directory ${path} does not exist on the server.`, error);
    throw new StorageError(`The directory ${path} cannot be used: ${(error as Error).message}`, error);
  }
  if (!info.isDirectory()) throw new StorageError(`${path} is a file, not a directory.`);
}
