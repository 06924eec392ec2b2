import { join } from 'node:path';
import type { Asset } from '../../ports/catalog.js';
import {
  type DerivativeOptions,
  PROXY_KEYFRAME_SECONDS,
  type ProgressListener,
  type Transcoder,
  type VideoSet,
} from '../../ports/media.js';
import type { LoadedSequence, SequenceInput } from './sequence-input.js';

/**
 * Where a video set's pictures come from: a clip's original (one local file), or an image
 * sequence's frames in the lake.
 */
export type VideoSetSource =
  | { original: string }
  | { sequence: LoadedSequence; asset: Asset; folderPath: string };

/** A job's options: it always has its abort signal. */
type JobOptions = DerivativeOptions & { signal: AbortSignal };

interface Parts {
  transcoder: Transcoder;
  sequences: SequenceInput;
}

/**
 * The proxy, the thumbnail and (with `filmstrip`) the filmstrip of a video, with its look, in
 * `dir`: the proxy job's one step for clips and sequences alike, so both are stored, switched
 * and re-made on a look change the same way. An original is decoded once for all three
 * (`Transcoder.videoSet`); a sequence's thumbnail is its middle frame, its proxy is made from
 * every frame, and its filmstrip is cut from that proxy (whose keyframes it needs alone).
 */
export async function makeVideoSet(
  parts: Parts,
  from: VideoSetSource,
  dir: string,
  filmstrip: boolean,
  options: JobOptions,
  onProgress: ProgressListener,
): Promise<VideoSet> {
  const { transcoder, sequences } = parts;
  const outputs = {
    proxy: join(dir, 'proxy.mp4'),
    thumbnail: join(dir, 'thumbnail.jpg'),
    filmstripDir: filmstrip ? join(dir, 'filmstrip') : null,
  };
  if ('original' in from) return transcoder.videoSet(from.original, outputs, options, onProgress);
  const thumbnail = await sequenceThumbnail(parts, from, dir, options);
  const frames = await sequences.stage(from.asset, from.folderPath, from.sequence, dir, options.signal);
  const proxy = await transcoder.sequenceProxy(frames, outputs.proxy, options, onProgress);
  return {
    proxy,
    thumbnail,
    filmstrip: outputs.filmstripDir
      ? await transcoder.filmstrip(proxy.file, outputs.filmstripDir, {
          source: options.source,
          signal: options.signal,
          keyframeSeconds: PROXY_KEYFRAME_SECONDS,
        })
      : null,
  };
}

/** A sequence's thumbnail: its middle frame, read as the still it is, with the look. */
export async function sequenceThumbnail(
  parts: Parts,
  from: Extract<VideoSetSource, { sequence: LoadedSequence }>,
  dir: string,
  options: JobOptions,
) {
  const { transcoder, sequences } = parts;
  const middle = sequences.middle(from.sequence.frames);
  const file = await sequences.frameFile(from.asset, from.folderPath, middle, dir, options.signal);
  return transcoder.thumbnail(file, join(dir, 'thumbnail.jpg'), {
    ...options,
    source: sequences.frameRecord(options.source),
  });
}
