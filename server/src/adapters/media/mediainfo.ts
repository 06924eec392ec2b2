import { basename } from 'node:path';
import type { ToolRunOptions } from './ffprobe.js';
import { runTool } from './run-tool.js';
import { toolIo } from './tool-sandbox.js';

/** One mediainfo track: every value is a string, `@type` says General, Video, Audio, Image, Text or Other. */
export type MediainfoTrack = { '@type': string; extra?: Record<string, string> } & Record<string, unknown>;

export interface MediainfoOutput {
  media?: { '@ref'?: string; track?: MediainfoTrack[] } | null;
}

/**
 * mediainfo reads what it can and exits 0 even for files it does not understand. It follows
 * references (HLS playlists, QuickTime reference movies, MXF external essence, DCP/IMF
 * compositions, P2/XDCAM sidecars) and has no option to stop that, so it runs in the sandbox
 * that holds only this file; unsandboxed, an answer built from other files is thrown away.
 * Image sequences are not looked for (`File_TestContinuousFileNames=0`).
 */
export async function runMediainfo(localFile: string, options: ToolRunOptions): Promise<MediainfoOutput> {
  const io = toolIo({ input: localFile }, options.sandboxed ?? false);
  const { stdout } = await runTool(
    'mediainfo',
    ['--Output=JSON', '--File_TestContinuousFileNames=0', '--File_CheckSideCarFiles=0', io.input],
    { ...options, io },
  );
  const output = JSON.parse(stdout) as MediainfoOutput;
  if (output.media) output.media = { ...output.media, '@ref': basename(localFile) };
  if (!io.binds && readOtherFiles(output)) return { media: null };
  return output;
}

/** Formats that are lists of other files, and the field mediainfo fills for a referenced track. */
const REFERENCE_FORMATS = new Set([
  'HLS',
  'DASH MPD',
  'CPL',
  'PKL',
  'AssetMap',
  'IMF CPL',
  'DCP CPL',
  'ISM',
  'XDCAM Clip',
  'P2 Clip',
  'MXF References',
]);

function readOtherFiles(output: MediainfoOutput): boolean {
  const tracks = output.media?.track ?? [];
  return tracks.some(
    (t) =>
      (t['@type'] === 'General' && REFERENCE_FORMATS.has(String(t.Format ?? ''))) ||
      t.Source !== undefined ||
      t.Source_Info !== undefined,
  );
}
