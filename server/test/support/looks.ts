import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A 3D cube whose every entry is `f(r, g, b)` (inputs 0..1), red fastest as the format says. */
export function cube3d(size: number, f: (r: number, g: number, b: number) => number[]): string {
  const rows = ['TITLE "test"', `LUT_3D_SIZE ${size}`];
  for (let b = 0; b < size; b++)
    for (let g = 0; g < size; g++)
      for (let r = 0; r < size; r++) rows.push(f(r / (size - 1), g / (size - 1), b / (size - 1)).join(' '));
  return rows.join('\n');
}

/** A 1D cube: each channel's curve `f(x)` (input 0..1). */
export function cube1d(size: number, f: (x: number) => number[]): string {
  const rows = [`LUT_1D_SIZE ${size}`];
  for (let i = 0; i < size; i++) rows.push(f(i / (size - 1)).join(' '));
  return rows.join('\n');
}

/** One frame of the ffmpeg lavfi `source` (a generator and its filters) written as a still at `file`. */
export async function writeLavfiStill(
  file: string,
  source: string,
  outputOptions: string[] = [],
): Promise<string> {
  await run('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', source, '-frames:v', '1', ...outputOptions, file]);
  return file;
}

/** A 320×240 mid-grey still (PNG) written by ffmpeg at `file`: what a look visibly changes. */
export function writeGreyStill(file: string): Promise<string> {
  return writeLavfiStill(file, 'color=c=0x808080:size=320x240');
}

/** Grade: grey (x, x, x) → (x, x/2, x/4). */
export const WARM_3D = cube3d(9, (r, g, b) => [r, g * 0.5, b * 0.25]);
/** Grade: grey x → (x, x/2, 1 − x). */
export const SPLIT_1D = cube1d(64, (x) => [x, x * 0.5, 1 - x]);

/** Decoded RGB bytes of one frame (the first, or `frame`) of a picture or clip, with its size. */
export async function rgbFrame(
  file: string,
  frame = 0,
): Promise<{ width: number; height: number; data: Buffer }> {
  const { stdout: probe } = await run('ffprobe', [
    ...['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', file],
  ]);
  const { width, height } = JSON.parse(probe).streams[0];
  const { stdout } = await run(
    'ffmpeg',
    [
      ...['-v', 'error', '-i', file, '-vf', `select=eq(n\\,${frame})`, '-frames:v', '1'],
      ...['-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    ],
    { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  return { width, height, data: stdout };
}

/** Mean R, G, B of a box `[x, y, w, h]` (default: the whole frame). */
export function meanRgb(
  frame: { width: number; height: number; data: Buffer },
  box = [0, 0, frame.width, frame.height],
): number[] {
  const sum = [0, 0, 0];
  for (let y = box[1]; y < box[1] + box[3]; y++)
    for (let x = box[0]; x < box[0] + box[2]; x++)
      for (let c = 0; c < 3; c++) sum[c] += frame.data[(y * frame.width + x) * 3 + c];
  return sum.map((s) => s / (box[2] * box[3]));
}

/** Mean absolute difference of two frames of one size within a box. */
export function boxDifference(
  a: { width: number; height: number; data: Buffer },
  b: { width: number; height: number; data: Buffer },
  box: number[],
): number {
  let sum = 0;
  for (let y = box[1]; y < box[1] + box[3]; y++)
    for (let x = box[0]; x < box[0] + box[2]; x++)
      for (let c = 0; c < 3; c++) {
        const i = (y * a.width + x) * 3 + c;
        sum += Math.abs(a.data[i] - b.data[i]);
      }
  return sum / (box[2] * box[3] * 3);
}
