import { Xxh64Accumulator } from '../../lib/checksums.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { assetKey, validateName } from '../../lib/paths.js';
import type { Asset } from '../../ports/catalog.js';
import type { JobContext } from '../../ports/job-queue.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { SequenceFrame } from '../../ports/sequences.js';
import type { LocationFrame, Volume } from '../../ports/volume.js';
import { hashOnVolume, hashStream, passThrough, throttled } from './volume-hashing.js';

/**
 * One digest for a sequence's copy (the location's `xxh64`): of its frames' names and
 * checksums, in name order, so two copies of the same frames have the same one.
 */
export function framesDigest(frames: LocationFrame[]): string {
  const sum = new Xxh64Accumulator();
  const lines = frames.map((f) => `${f.name}\t${f.xxh64}\n`).sort();
  for (const line of lines) sum.update(Buffer.from(line, 'utf8'));
  return sum.digest();
}

/** The frame file's path in the sequence's folder on the volume. */
export function framePath(folder: string, name: string): string {
  return `${folder}/${name}`;
}

export interface SequenceCopyParts {
  lake: ObjectStore;
  volume: Volume;
  volumeName: string;
  /** The editors' spelling of a path on the volume (`\\fsx\share\…`). */
  shown: (path: string) => string;
}

/**
 * Copies every frame of a sequence into the folder named for it (`Day 01/plate.[0001-0010].dpx/`),
 * each written under a temporary name, read back, compared by xxHash64 with the lake's bytes
 * and only then given its name. A frame already there with the lake's bytes is adopted (a copy
 * asked again, or one killed half way); a different file is never replaced. Any failure
 * removes the frames this run placed and the folder if it made it empty: no partial copy stays.
 */
export async function copySequenceFrames(
  parts: SequenceCopyParts,
  asset: Asset,
  folderPath: string,
  folder: string,
  frames: SequenceFrame[],
  context: JobContext,
): Promise<LocationFrame[]> {
  const { lake, volume, volumeName, shown } = parts;
  if (frames.length === 0)
    throw new NotFound(`"${asset.name}" has no frames in the lake; nothing was copied.`);
  for (const frame of frames) {
    try {
      validateName(frame.name, 'file name');
    } catch (error) {
      if (error instanceof Invalid)
        throw new Invalid(`The frame "${frame.name}" cannot be copied to ${volumeName}: ${error.message}`);
      throw error;
    }
  }
  const total = frames.reduce((sum, f) => sum + f.size, 0) * 2;
  const report = throttled(context, total);
  let done = 0;
  const placed: string[] = [];
  const out: LocationFrame[] = [];
  const lakeBytes = async (name: string) => {
    try {
      return await lake.read(assetKey(folderPath, name));
    } catch (error) {
      if (error instanceof NotFound)
        throw new NotFound(
          `The frame "${name}" of "${asset.name}" is no longer in the lake; nothing was copied.`,
        );
      throw error;
    }
  };
  /** A file already at the frame's place: adopted when it holds the lake's bytes, else refused. */
  const adopt = async (frame: SequenceFrame, path: string): Promise<LocationFrame> => {
    const before = await volume.stat(path);
    const inLake = await hashStream(await lakeBytes(frame.name), context.signal);
    const onVolume = before ? await hashOnVolume(volume, path, context.signal) : null;
    if (!before || onVolume !== inLake)
      throw new Conflict(
        `A different file already exists at ${shown(path)}; Dailies never overwrites a file on a volume. Move or rename it on the volume, then copy again.`,
      );
    return { name: frame.name, xxh64: inLake, size: before.size, mtime: before.mtime };
  };

  // A temporary a killed run left in the folder goes first (each frame's is named by the asset).
  await volume.discardTemp(framePath(folder, frames[0]!.name), asset.id);
  let tempPath: string | null = null;
  try {
    for (const frame of frames) {
      context.signal?.throwIfAborted();
      const path = framePath(folder, frame.name);
      if (await volume.stat(path)) {
        out.push(await adopt(frame, path));
        done += frame.size * 2;
        report(done);
        continue;
      }
      const inLake = new Xxh64Accumulator();
      const readBack = new Xxh64Accumulator();
      let sent = 0;
      tempPath = await volume.writeTemp(
        path,
        asset.id,
        { stream: passThrough(await lakeBytes(frame.name), [inLake], context.signal) },
        {
          written: (bytes) => {
            sent = bytes;
            report(done + sent + readBack.bytes);
          },
          readBack: (bytes) => readBack.update(bytes),
        },
      );
      const expected = inLake.digest();
      const actual = readBack.digest();
      if (readBack.bytes !== inLake.bytes || actual !== expected)
        throw new Error(
          `The copy of the frame "${frame.name}" on ${volumeName} read back differently (xxh64 ${actual} of ${readBack.bytes} bytes, expected ${expected} of ${inLake.bytes}); nothing was kept.`,
        );
      const temp: string = tempPath;
      try {
        const file = await volume.commit(temp, path);
        tempPath = null;
        placed.push(path);
        out.push({ name: frame.name, xxh64: expected, size: file.size, mtime: file.mtime });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        // Someone put a file there while we copied: never replace it.
        await volume.delete(temp);
        tempPath = null;
        out.push(await adopt(frame, path));
      }
      done += frame.size * 2;
      report(done);
    }
  } catch (error) {
    if (tempPath) await volume.delete(tempPath).catch(() => {});
    for (const path of placed) await volume.delete(path).catch(() => {});
    await volume.removeEmptyFolder(folder).catch(() => {});
    throw error;
  }
  return out;
}

/** What a copy's frames look like on the volume now, against what Dailies wrote. */
export interface FramesOnVolume {
  /** Frames no longer there. */
  gone: string[];
  /** Frames whose bytes differ from what Dailies wrote. */
  changed: string[];
  /** The frames with the size and time of the bytes Dailies wrote (a frame touched but the same: as found). */
  frames: LocationFrame[];
}

/**
 * Checks each recorded frame file of a copy: a frame whose size and time are as recorded is
 * taken as unchanged unless `hashAll` (a removal reads every byte it is about to delete).
 */
export async function framesOnVolume(
  volume: Volume,
  folder: string,
  recorded: LocationFrame[],
  options: { hashAll: boolean; signal?: AbortSignal; onBytes?: (n: number) => void },
): Promise<FramesOnVolume> {
  const result: FramesOnVolume = { gone: [], changed: [], frames: [] };
  let hashed = 0;
  for (const frame of recorded) {
    const path = framePath(folder, frame.name);
    const file = await volume.stat(path);
    if (!file) {
      result.gone.push(frame.name);
      result.frames.push(frame);
      continue;
    }
    if (!options.hashAll && file.size === frame.size && file.mtime === frame.mtime) {
      result.frames.push(frame);
      continue;
    }
    const base = hashed;
    const actual = await hashOnVolume(volume, path, options.signal, (n) => options.onBytes?.(base + n));
    hashed += file.size;
    const after = await volume.stat(path);
    if (actual !== frame.xxh64 || !after || after.size !== file.size || after.mtime !== file.mtime) {
      // Kept as Dailies wrote it: the next scan reads it again and sees it put back.
      result.changed.push(frame.name);
      result.frames.push(frame);
    } else result.frames.push({ ...frame, size: file.size, mtime: file.mtime });
  }
  return result;
}
