import { extensionOf } from '../../lib/paths.js';
import type { Asset, StoredMetadata } from '../../ports/catalog.js';
import type { Note } from '../../ports/notes.js';
import { clipTiming } from '../notes/clip-timing.js';
import { sortForReading } from '../notes/notes.service.js';
import type { BinClip, BinLog } from './bin-clip.js';

/** An asset as a bin clip: name, technical metadata, source timecode, logging fields and notes. */
export function assetClip(
  asset: Asset,
  folderPath: string,
  record: StoredMetadata['record'] | null,
  notes: Note[],
  /** The folder the bin's media paths start from (`/` for a selection). */
  relativeTo: string,
  log?: BinLog,
): BinClip {
  const timing = clipTiming(asset, record);
  const extension = extensionOf(asset.name);
  const name = extension ? asset.name.slice(0, -(extension.length + 1)) || asset.name : asset.name;
  const audioChannels = (record?.audio ?? []).reduce((sum, a) => sum + (a.channels ?? 1), 0);
  return {
    id: asset.id,
    name,
    sourceFile: asset.name,
    relativePath: relativePath(folderPath, asset.name, relativeTo),
    kind: asset.kind,
    rate: timing?.rate ?? null,
    dropFrame: timing?.dropFrame ?? false,
    startFrame: timing?.startFrame ?? 0,
    frames: timing?.frames ?? null,
    durationSeconds: record?.general.durationSeconds ?? asset.duration,
    width: record?.video[0]?.width ?? asset.width,
    height: record?.video[0]?.height ?? asset.height,
    videoTracks: (record?.video.length ?? (asset.kind === 'video' ? 1 : 0)) > 0 ? 1 : 0,
    audioChannels: record ? audioChannels : (asset.audioTracks ?? 0),
    audioRate: record?.audio[0]?.sampleRate ?? null,
    log,
    notes: sortForReading(notes).map((n) => ({
      frame: n.frame,
      endFrame: n.endFrame,
      text: n.body,
      author: n.authorName,
    })),
  };
}

function relativePath(folderPath: string, name: string, relativeTo: string): string {
  const folder = folderPath === '/' ? '' : folderPath;
  const base = relativeTo === '/' ? '' : relativeTo;
  const inside = folder.startsWith(`${base}/`) || folder === base ? folder.slice(base.length) : folder;
  return `${inside}/${name}`.replace(/^\/+/, '');
}
