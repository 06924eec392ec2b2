import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A distinct, easily told colour per frame number: red rises, green falls. */
export function colourOf(n: number): [number, number, number] {
  return [(n * 23) % 256, 255 - ((n * 23) % 256), 128];
}

const hex = (rgb: [number, number, number]) => rgb.map((c) => c.toString(16).padStart(2, '0')).join('');

/**
 * Writes one frame with ffmpeg: a flat picture of `colourOf(n)` (or `size`), as DPX, PNG or
 * whatever the name's extension says.
 */
export async function writeFrame(dir: string, name: string, n: number, size = '64x48'): Promise<void> {
  await mkdir(dir, { recursive: true });
  const extension = name.slice(name.lastIndexOf('.') + 1).toLowerCase();
  const pixels =
    extension === 'dpx' ? ['-pix_fmt', 'rgb48le'] : extension === 'png' ? ['-pix_fmt', 'rgb24'] : [];
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `color=c=0x${hex(colourOf(n))}:s=${size}`],
    ...['-frames:v', '1', ...pixels, '-f', 'image2', '-update', '1', '-y', join(dir, name)],
  ]);
}

/** The mean colour of a picture or video frame `at` seconds in, as ffmpeg decodes it. */
export async function meanColour(file: string, at?: number): Promise<[number, number, number]> {
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-v', 'error', ...(at !== undefined ? ['-ss', String(at)] : []), '-i', file],
      ...['-frames:v', '1', '-vf', 'scale=1:1:flags=area', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { encoding: 'buffer' },
  );
  const b = stdout as Buffer;
  return [b[0], b[1], b[2]];
}

export async function ffprobeJson(file: string): Promise<any> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-count_frames', '-show_streams', '-show_format', '-of', 'json', file],
  ]);
  return JSON.parse(stdout);
}

/** Within a few steps of 255: JPEG and H.264 round colours a little. */
export function near(a: [number, number, number], b: [number, number, number], tolerance = 12): boolean {
  return a.every((c, i) => Math.abs(c - b[i]) <= tolerance);
}

/** The mean colour of every frame of a video, in decoding order. */
export async function frameColours(file: string): Promise<Array<[number, number, number]>> {
  const { stdout } = await run(
    'ffmpeg',
    [
      '-v',
      'error',
      '-i',
      file,
      '-vf',
      'scale=1:1:flags=area',
      '-f',
      'rawvideo',
      '-pix_fmt',
      'rgb24',
      'pipe:1',
    ],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  const b = stdout as Buffer;
  const out: Array<[number, number, number]> = [];
  for (let i = 0; i + 2 < b.length; i += 3) out.push([b[i], b[i + 1], b[i + 2]]);
  return out;
}
