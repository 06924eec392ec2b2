import { link, lstat, mkdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { assetKey } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { FrameList, TechnicalMetadata } from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { Sequence, SequenceFrame } from '../../ports/sequences.js';
import type { WorkDirs } from '../../ports/work-dirs.js';

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  workDirs: WorkDirs;
}

/** A sequence plays at this rate until a person chooses another. */
export const DEFAULT_SEQUENCE_RATE = { num: 24, den: 1 };

/** Frames fetched at once from an S3 lake. */
const PARALLEL_DOWNLOADS = 8;

export interface LoadedSequence {
  sequence: Sequence;
  /** By number, at least two. */
  frames: SequenceFrame[];
}

/**
 * What processing needs to read an image sequence (an asset of two frames or more; a lone frame
 * is a still and is read as one): its frames, the middle one for the probe and the thumbnail,
 * all of them staged for the proxy, and the record that describes the whole.
 */
export class SequenceInput {
  constructor(private readonly deps: Deps) {}

  async load(assetId: string): Promise<LoadedSequence | null> {
    const { catalog } = this.deps;
    const sequence = await catalog.sequences.get(assetId);
    if (!sequence) return null;
    const frames = await catalog.sequences.frames(assetId);
    return frames.length >= 2 ? { sequence, frames } : null;
  }

  /** The frame a person would call the middle one: of the frames present, the one halfway. */
  middle(frames: SequenceFrame[]): SequenceFrame {
    return frames[Math.floor((frames.length - 1) / 2)];
  }

  /** One frame as a local file the tools can read (the lake's own file, else a download). */
  async frameFile(asset: Asset, folderPath: string, frame: SequenceFrame, dir: string, signal: AbortSignal) {
    const { lake, workDirs } = this.deps;
    const key = frameKey(asset, folderPath, frame);
    if (lake.localPath) return lake.localPath(key);
    const file = join(dir, `frame.${stagedExtension(frame.name)}`);
    await workDirs.download(await lake.read(key), file, signal, false);
    return file;
  }

  /**
   * Every frame in `dir/frames` under a name Dailies chose, and how long each lasts. From an fs
   * lake a frame is a hard link (no copy; checked to be a plain file, since a link would name a
   * link again), otherwise its bytes are read through the lake as any download.
   */
  async stage(
    asset: Asset,
    folderPath: string,
    loaded: LoadedSequence,
    dir: string,
    signal: AbortSignal,
  ): Promise<FrameList> {
    const { lake, workDirs } = this.deps;
    const framesDir = join(dir, 'frames');
    await mkdir(framesDir);
    const { frames } = loaded;
    const list: FrameList['frames'] = frames.map((frame, i) => ({
      file: `f${String(i).padStart(6, '0')}.${stagedExtension(frame.name)}`,
      holds: i + 1 < frames.length ? frames[i + 1].number - frame.number : 1,
    }));
    const stageOne = async (i: number) => {
      const key = frameKey(asset, folderPath, frames[i]);
      const target = join(framesDir, list[i].file);
      if (lake.localPath) {
        const linked = await link(lake.localPath(key), target).then(
          () => true,
          () => false,
        );
        if (linked && (await lstat(target)).isFile()) return;
        if (linked) await unlink(target);
      }
      await workDirs.download(await lake.read(key), target, signal, false);
    };
    for (let i = 0; i < frames.length; i += PARALLEL_DOWNLOADS) {
      signal.throwIfAborted();
      await Promise.all(frames.slice(i, i + PARALLEL_DOWNLOADS).map((_, j) => stageOne(i + j)));
    }
    return { dir: framesDir, frames: list, frameRate: rateOf(loaded.sequence) };
  }

  /**
   * The sequence as one video: the middle frame's picture (size, bit depth, colour) at the
   * sequence's rate, as many frames as its range spans (gaps included: they are held), and
   * what it is in `general.format` (`DPX sequence`).
   */
  record(loaded: LoadedSequence, middle: TechnicalMetadata): TechnicalMetadata {
    const { frames, sequence } = loaded;
    const rate = rateOf(sequence);
    const span = frames[frames.length - 1].number - frames[0].number + 1;
    const duration = (span * rate.den) / rate.num;
    const image = middle.image;
    const picture = middle.video[0];
    const width = image?.width ?? picture?.width ?? 0;
    const height = image?.height ?? picture?.height ?? 0;
    return {
      kind: 'video',
      general: {
        format: `${sequence.extension.toUpperCase()} sequence`,
        formatProfile: null,
        durationSeconds: duration,
        sizeBytes: frames.reduce((sum, f) => sum + f.size, 0),
        overallBitrate: null,
        startTimecode: null,
      },
      video: [
        {
          index: 0,
          codec: picture?.codec ?? sequence.extension.toLowerCase(),
          format: image?.format ?? picture?.format ?? null,
          profile: null,
          width,
          height,
          displayAspectRatio: picture?.displayAspectRatio ?? null,
          displayAspect: picture?.displayAspect ?? (height > 0 ? width / height : null),
          // Frames carry no rotation; square pixels unless the middle frame says otherwise.
          rotation: 0,
          sampleAspectRatio: picture?.sampleAspectRatio ?? null,
          displayWidth: picture?.displayWidth ?? width,
          displayHeight: picture?.displayHeight ?? height,
          frameRate: `${rate.num}/${rate.den}`,
          frameRateValue: rate.num / rate.den,
          frameRateMode: 'CFR',
          frameCount: span,
          durationSeconds: duration,
          bitrate: null,
          scanType: 'Progressive',
          fieldOrder: null,
          bitDepth: image?.bitDepth ?? picture?.bitDepth ?? null,
          chromaSubsampling: picture?.chromaSubsampling ?? null,
          colourPrimaries: picture?.colourPrimaries ?? null,
          colourTransfer: picture?.colourTransfer ?? null,
          colourMatrix: picture?.colourMatrix ?? null,
          colourRange: picture?.colourRange ?? null,
          pixelFormat: picture?.pixelFormat ?? null,
        },
      ],
      audio: [],
      image,
      raw: middle.raw,
    };
  }

  /** The middle frame's own record (an image) back out of the sequence's, for its thumbnail. */
  frameRecord(record: TechnicalMetadata): TechnicalMetadata {
    return { ...record, kind: 'image', general: { ...record.general, durationSeconds: null } };
  }
}

/** A frame's key: beside the sequence's other frames in its folder (or its trash folder). */
function frameKey(asset: Asset, folderPath: string, frame: SequenceFrame): string {
  if (asset.trashKey) return `${asset.trashKey.slice(0, asset.trashKey.lastIndexOf('/') + 1)}${frame.name}`;
  return assetKey(folderPath, frame.name);
}

function stagedExtension(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1).toLowerCase();
}

/** The chosen rate (`24000/1001`), else the default. */
export function rateOf(sequence: Pick<Sequence, 'frameRate'>): { num: number; den: number } {
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(sequence.frameRate ?? '');
  if (!match) return DEFAULT_SEQUENCE_RATE;
  const num = Number(match[1]);
  const den = Number(match[2]);
  return num > 0 && den > 0 ? { num, den } : DEFAULT_SEQUENCE_RATE;
}
