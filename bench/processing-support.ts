import { execFile } from 'node:child_process';
import { mkdir, rename, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export { countingLake } from '../server/test/support/counting-lake.js';

export const run = promisify(execFile);

/**
 * An H.264/AAC clip like a camera's (GOP of one second, 4:2:0, high bitrate), made once with
 * ffmpeg and kept in the temp dir between runs.
 */
export async function benchClip(
  seconds: number,
  size: string,
  name = `h264-${size}-${seconds}s.mp4`,
): Promise<string> {
  const dir = join(tmpdir(), 'dailies-bench-media');
  const file = join(dir, name);
  if (
    await stat(file).then(
      (s) => s.size > 0,
      () => false,
    )
  )
    return file;
  await mkdir(dir, { recursive: true });
  const temp = `${file}.partial.mp4`;
  await run('ffmpeg', [
    ...[
      '-nostdin',
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=25:duration=${seconds}`,
    ],
    ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
    ...['-c:v', 'libx264', '-preset', 'fast', '-b:v', '20M', '-g', '25', '-pix_fmt', 'yuv420p'],
    ...['-c:a', 'aac', '-b:a', '192k', '-ac', '2', temp],
  ]);
  await rename(temp, file);
  return file;
}

/** Load average of the last minute over the cores: figures taken on a busy machine say so. */
export async function load(): Promise<number> {
  const { loadavg, cpus } = await import('node:os');
  return Math.round((loadavg()[0] / cpus().length) * 100) / 100;
}

/**
 * CPU seconds used so far by this process and by every child it has waited for (ffmpeg,
 * ffprobe, mediainfo): on a machine others share, a ratio of these says what wall time cannot.
 */
export async function cpuSeconds(): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  const stat = await readFile('/proc/self/stat', 'utf8');
  // Fields after the command name (which may hold spaces) start at ")".
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}
