import { type Rate, supportsDropFrame, timecodeBase } from '../../lib/timecode.js';

/**
 * One clip of a bin: what the ALE, FCPXML and CSV writers read. Pure data, so the writers are
 * pure functions and the service alone decides what the caller may see.
 */
export interface BinClip {
  id: string;
  /** The clip's name as the edit tools show it: the file name without its extension. */
  name: string;
  /** The file's own name (`A001C003_220101_R1AB.mov`). */
  sourceFile: string;
  /** Path of the file relative to the bin, `/`-separated (`Day 01/Cam A/A001C003.mov`). */
  relativePath: string;
  kind: 'video' | 'audio' | 'image' | 'other' | null;
  /** Exact video frame rate; null for audio, stills, and anything not probed. */
  rate: Rate | null;
  /** The source timecode is drop-frame (its `;`). */
  dropFrame: boolean;
  /** The frame the source timecode labels the first frame with (0 without one). */
  startFrame: number;
  /** Frames in the clip; null when unknown. */
  frames: number | null;
  durationSeconds: number | null;
  width: number | null;
  height: number | null;
  /** Video tracks (0 or 1) and audio channels, for ALE's Tracks (`VA1A2`). */
  videoTracks: number;
  audioChannels: number;
  audioRate: number | null;
  /** Logging fields (empty cells where nobody logged the asset). */
  log?: BinLog;
  notes: BinNote[];
}

export interface BinLog {
  camera?: string | null;
  reel?: string | null;
  scene?: string | null;
  take?: string | null;
  circled?: boolean | null;
  rating?: number | null;
  description?: string | null;
  /** Admin-defined fields by their names. */
  custom?: Record<string, string | number | null | undefined>;
}

export interface BinNote {
  /** Frames from the clip's first frame; null for a note on the whole clip. */
  frame: number | null;
  endFrame: number | null;
  text: string;
  author: string;
}

export type BinFormat = 'ale' | 'fcpxml' | 'csv';

/** The custom field names of every clip, in the order first seen (columns in a stable order). */
export function customFieldNames(clips: BinClip[]): string[] {
  const names = new Set<string>();
  for (const clip of clips) for (const name of Object.keys(clip.log?.custom ?? {})) names.add(name);
  return [...names];
}

/** Whether a clip is counted in timecode: it has a video rate whose timecode we can write. */
export function hasTimecode(clip: BinClip): clip is BinClip & { rate: Rate } {
  return clip.rate !== null && timecodeBase(clip.rate) > 0;
}

/** Drop-frame only where the rate has it, whatever the source claimed. */
export function effectiveDropFrame(clip: BinClip): boolean {
  return clip.dropFrame && clip.rate !== null && supportsDropFrame(clip.rate);
}

/** ALE and CSV hold one line per clip: tabs and line breaks become spaces. */
export function oneLine(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(CONTROLS, '');
}

const LINE_BREAKS = /[\t\r\n\u2028\u2029\u0085]+/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
