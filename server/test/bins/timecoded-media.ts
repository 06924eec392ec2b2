import { readFile } from 'node:fs/promises';
import { makeMedia } from '../support/media-fixtures.js';

/** A clip ffmpeg makes with a start timecode, as a camera would write it. */
export interface TimecodedClip {
  rate: string;
  timecode: string;
  seconds: number;
  size?: string;
}

/**
 * The clip's bytes: MPEG-4 Part 2 video in QuickTime with a tmcd track, and a stereo tone.
 * Made once per recipe and kept, so test files running side by side share it.
 */
export async function timecodedClip(clip: TimecodedClip): Promise<Buffer> {
  const args = [
    ...[
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${clip.size ?? '320x240'}:rate=${clip.rate}:duration=${clip.seconds}`,
    ],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${clip.seconds}`],
    ...['-c:v', 'mpeg4', '-q:v', '10', '-c:a', 'pcm_s16le', '-ac', '2'],
    ...['-timecode', clip.timecode, '-f', 'mov'],
  ];
  return readFile(await makeMedia({ file: 'clip.mov', args }));
}
