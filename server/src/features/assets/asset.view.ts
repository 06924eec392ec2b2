import type { Asset, DerivativeKind } from '../../ports/catalog.js';
import { emptyLog, type LogView } from '../logging/logging.service.js';
import { contentNameWarning } from '../processing/content-name.js';

/** An asset as the API shows it. */
export interface AssetView {
  id: string;
  name: string;
  folder: string;
  format: string;
  kind: string | null;
  size: number;
  state: string;
  stateReason: string | null;
  currentJob: string | null;
  checksums: { xxh64: string | null; md5: string | null };
  duration: number | null;
  width: number | null;
  height: number | null;
  frameRate: string | null;
  videoCodec: string | null;
  audioCodec: string | null;
  audioTracks: number | null;
  startTimecode: string | null;
  uploadedBy: string | null;
  createdAt: string;
  modifiedAt: string;
  /** `lake`, plus the id of every edit volume that holds a verified copy. */
  locations: string[];
  trashedAt: string | null;
  /** Where each derivative is served, or null until it exists. */
  derivatives: DerivativeLinks;
  /**
   * Set when another file in the folder differs from this name only in case or Unicode form, or
   * when the content is not what the name says (a JPEG named `.mxf`).
   */
  warning?: string;
  /** Logging fields: camera, reel, scene, take, circled, rating, description, custom. */
  log: LogView;
}

export interface DerivativeLinks {
  thumbnail: string | null;
  proxy: string | null;
  /** WebVTT cues for scrubbing; they point at the sprite sheet beside them. */
  filmstrip: string | null;
  waveform: string | null;
  /**
   * Each audio track of the proxy on its own, in order (`/audio/1` …), when the source has
   * several: browsers play only a file's first track, so the player plays these to choose or solo.
   */
  audio: string[];
  /** The normalised technical metadata, once probed. */
  metadata: string | null;
}

export function toAssetView(
  asset: Asset,
  folderPath: string,
  locations: string[] = ['lake'],
  derivatives: DerivativeKind[] = [],
  log: LogView = emptyLog(),
): AssetView {
  const base = `/api/assets/${asset.id}`;
  const warning = contentNameWarning(asset.name, asset.contentFormat);
  const link = (kind: DerivativeKind, path: string) =>
    derivatives.includes(kind) ? `${base}/${path}` : null;
  return {
    id: asset.id,
    name: asset.name,
    folder: folderPath,
    format: asset.format,
    kind: asset.kind,
    size: asset.size,
    state: asset.state,
    stateReason: asset.stateReason,
    currentJob: asset.currentJob,
    checksums: { xxh64: asset.checksumXxh64, md5: asset.checksumMd5 },
    duration: asset.duration,
    width: asset.width,
    height: asset.height,
    frameRate: asset.frameRate,
    videoCodec: asset.videoCodec,
    audioCodec: asset.audioCodec,
    audioTracks: asset.audioTracks,
    startTimecode: asset.startTimecode,
    uploadedBy: asset.uploadedBy,
    createdAt: new Date(asset.createdAt).toISOString(),
    modifiedAt: new Date(asset.updatedAt).toISOString(),
    locations,
    trashedAt: asset.trashedAt ? new Date(asset.trashedAt).toISOString() : null,
    derivatives: {
      thumbnail: link('thumbnail', 'thumbnail'),
      proxy: link('proxy', 'proxy'),
      filmstrip: derivatives.includes('filmstrip') ? link('filmstrip.vtt', 'filmstrip.vtt') : null,
      waveform: link('waveform', 'waveform'),
      audio: derivatives
        .filter((kind) => /^audio\.\d+$/.test(kind))
        .map((kind) => Number(kind.slice('audio.'.length)))
        .sort((a, b) => a - b)
        .map((track) => `${base}/audio/${track}`),
      metadata: asset.kind !== null ? `${base}/metadata` : null,
    },
    log,
    ...(warning ? { warning } : {}),
  };
}
