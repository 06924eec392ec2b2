import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

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
  const recipe = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const dir = join(process.env.DAILIES_TEST_MEDIA_DIR ?? join(tmpdir(), 'dailies-test-media'), recipe);
  const path = join(dir, 'clip.mov');
  const ready = await stat(path).then(
    (s) => s.size > 0,
    () => false,
  );
  if (!ready) {
    await mkdir(dir, { recursive: true });
    const temp = join(dir, `.${randomBytes(4).toString('hex')}.mov`);
    try {
      await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args, temp], {
        timeout: 60_000,
      });
      await rename(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }
  return readFile(path);
}
