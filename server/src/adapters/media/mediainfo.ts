import { resolve } from 'node:path';
import type { ToolRunOptions } from './ffprobe.js';
import { runTool } from './run-tool.js';

/** One mediainfo track: every value is a string, `@type` says General, Video, Audio, Image, Text or Other. */
export type MediainfoTrack = { '@type': string; extra?: Record<string, string> } & Record<string, unknown>;

export interface MediainfoOutput {
  media?: { '@ref'?: string; track?: MediainfoTrack[] } | null;
}

/** mediainfo reads what it can and exits 0 even for files it does not understand. */
export async function runMediainfo(localFile: string, options: ToolRunOptions): Promise<MediainfoOutput> {
  const { stdout } = await runTool('mediainfo', ['--Output=JSON', resolve(localFile)], options);
  return JSON.parse(stdout) as MediainfoOutput;
}
