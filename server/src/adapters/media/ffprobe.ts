import { resolve } from 'node:path';
import { MediaError } from '../../ports/media.js';
import { readableTail, runTool } from './run-tool.js';

/** The parts of `ffprobe -show_format -show_streams` JSON that Dailies reads; the rest is kept raw. */
export interface FfprobeStream {
  index: number;
  codec_type?: string;
  codec_name?: string;
  profile?: string;
  width?: number;
  height?: number;
  sample_aspect_ratio?: string;
  display_aspect_ratio?: string;
  pix_fmt?: string;
  color_range?: string;
  color_space?: string;
  color_transfer?: string;
  color_primaries?: string;
  field_order?: string;
  r_frame_rate?: string;
  avg_frame_rate?: string;
  duration?: string;
  bit_rate?: string;
  bits_per_raw_sample?: string;
  bits_per_sample?: number;
  nb_frames?: string;
  sample_rate?: string;
  channels?: number;
  channel_layout?: string;
  disposition?: Record<string, number>;
  tags?: Record<string, string>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: {
    format_name?: string;
    format_long_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    probe_score?: number;
    tags?: Record<string, string>;
  };
}

/** ffprobe either read the file or says why not; a non-media file is an answer, not an error. */
export type FfprobeResult = { ok: true; output: FfprobeOutput } | { ok: false; reason: string };

export interface ToolRunOptions {
  timeoutMs: number;
  niceness: number;
  signal?: AbortSignal;
}

export async function runFfprobe(localFile: string, options: ToolRunOptions): Promise<FfprobeResult> {
  const path = resolve(localFile);
  const args = ['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams'];
  try {
    // Absolute, so a name such as `concat:x` or `http:x` cannot select another protocol.
    const { stdout } = await runTool('ffprobe', [...args, path], options);
    return { ok: true, output: JSON.parse(stdout) as FfprobeOutput };
  } catch (error) {
    if (
      !(error instanceof MediaError) ||
      error.details.timedOut ||
      error.details.aborted ||
      error.details.exitCode === 127
    ) {
      throw error;
    }
    // The file is named in the record already; the reason need not repeat where it lives.
    const tail = (error.details.stderrTail ?? '').split(`${path}: `).join('');
    return { ok: false, reason: readableTail(tail) || error.message };
  }
}
