import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FrameList } from '../../ports/media.js';
import { fileUrl } from './input-policy.js';

/**
 * How ffmpeg reads an image sequence without ever reading a pattern. The input policy refuses
 * image2's `%d` and glob names and the concat demuxer for any file from the lake (a list there
 * could name any file). A sequence is read through an ffconcat list that Dailies itself writes,
 * naming frames that Dailies itself staged under names it chose (`f000001.dpx`: letters, digits
 * and a known extension, checked here again), in a directory that holds nothing else; `-safe 1`
 * refuses any other kind of name in it, and only `file` is allowed as a protocol.
 */

/** The list's name in the staged directory. */
export const FRAME_LIST_NAME = 'frames.ffconcat';

/** What a staged frame may be called. */
const STAGED_NAME = /^f\d{1,9}\.(dpx|exr|tif|tiff|png|jpg|jpeg)$/;

/** The demuxers the list and its frames need: the list's, and the image formats' own. */
const SEQUENCE_DEMUXERS = ['concat', 'image2', 'dpx_pipe', 'exr_pipe', 'tiff_pipe', 'png_pipe', 'jpeg_pipe'];

/**
 * Writes the list (frames in order, each lasting its holds: a gap shows the frame before it,
 * so the proxy's time is the sequence's) and returns its path.
 */
export async function writeFrameList(list: FrameList): Promise<string> {
  const { num, den } = list.frameRate;
  if (!(num > 0 && den > 0)) throw new Error('A sequence needs a positive frame rate.');
  const lines = ['ffconcat version 1.0'];
  for (const frame of list.frames) {
    if (!STAGED_NAME.test(frame.file)) throw new Error(`${frame.file} is not a staged frame name.`);
    if (!(Number.isInteger(frame.holds) && frame.holds >= 1))
      throw new Error('A frame lasts at least one frame.');
    lines.push(`file ${frame.file}`);
    // Microseconds: ffconcat takes a time, not a ratio. Over 100,000 frames the rounding adds
    // up to well under a frame, and the proxy's fps filter places each frame on the grid.
    lines.push(`duration ${((frame.holds * den) / num).toFixed(6)}`);
  }
  const path = join(list.dir, FRAME_LIST_NAME);
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

/** `… -i file:<list>`: the concat demuxer held to its list's directory and the image formats. */
export function sequenceInputArgs(listInTool: string): string[] {
  return [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    SEQUENCE_DEMUXERS.join(','),
    '-f',
    'concat',
    '-safe',
    '1',
    '-i',
    fileUrl(listInTool),
  ];
}
