import { basename } from 'node:path';
import { MediaError } from '../../ports/media.js';
import { fileUrl, inputPolicy, refusedInput } from './input-policy.js';
import { hidePaths, readableTail, runTool } from './run-tool.js';
import { toolIo } from './tool-sandbox.js';

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
  /** The display matrix's `rotation` is counter-clockwise degrees. */
  side_data_list?: Array<{ side_data_type?: string; rotation?: number | string }>;
}

export interface FfprobeOutput {
  streams?: FfprobeStream[];
  format?: {
    filename?: string;
    format_name?: string;
    format_long_name?: string;
    duration?: string;
    size?: string;
    bit_rate?: string;
    probe_score?: number;
    tags?: Record<string, string>;
  };
}

/**
 * ffprobe either read the file or says why not; a non-media file is an answer, not an error.
 * `refused` says the input policy turned the file away (it names other files).
 */
export type FfprobeResult =
  | { ok: true; output: FfprobeOutput }
  | { ok: false; reason: string; refused?: boolean };

export interface ToolRunOptions {
  timeoutMs: number;
  niceness: number;
  signal?: AbortSignal;
  memoryMb?: number;
  cpuSeconds?: number;
  /** Run in a bubblewrap sandbox that sees only the file (see tool-sandbox.ts). */
  sandboxed?: boolean;
}

export async function runFfprobe(localFile: string, options: ToolRunOptions): Promise<FfprobeResult> {
  const io = toolIo({ input: localFile }, options.sandboxed ?? false);
  const args = [
    ...['-v', 'error', '-hide_banner', '-print_format', 'json', '-show_format', '-show_streams'],
    ...inputPolicy(io.input, 'ffprobe'),
    fileUrl(io.input),
  ];
  try {
    const { stdout } = await runTool('ffprobe', args, { ...options, io });
    const output = JSON.parse(stdout) as FfprobeOutput;
    // Where the file sat (or the sandbox's name for it) is nobody's business: the caller names it.
    if (output.format) output.format = { ...output.format, filename: basename(localFile) };
    return { ok: true, output };
  } catch (error) {
    if (
      !(error instanceof MediaError) ||
      error.details.timedOut ||
      error.details.aborted ||
      error.details.exitCode === 127 ||
      !error.details.deterministic
    ) {
      throw error;
    }
    const stderr = error.details.stderrTail ?? '';
    const refused = refusedInput(stderr);
    if (refused) return { ok: false, reason: refused, refused: true };
    // The file is named in the record already; the reason need not repeat where it lives.
    const tail = stderr.split(`${fileUrl(io.input)}: `).join('');
    return { ok: false, reason: readableTail(hidePaths(tail, [], io)) || error.message };
  }
}
