import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The tools read directly, independent of the adapters under test, so a test can say
 * "the record equals what ffprobe and mediainfo print".
 */
export async function ffprobeJson(file: string): Promise<{ streams: any[]; format: any }> {
  const { stdout } = await run('ffprobe', [
    '-v',
    'error',
    '-print_format',
    'json',
    '-show_format',
    '-show_streams',
    file,
  ]);
  return JSON.parse(stdout);
}

export async function mediainfoTracks(file: string): Promise<Record<string, any>[]> {
  const { stdout } = await run('mediainfo', ['--Output=JSON', file]);
  return JSON.parse(stdout).media.track;
}

/** Mean luma (0–255) of a picture, or of the box `[x, y, w, h]` in it, to tell pictures apart. */
export async function meanLuma(file: string, box?: number[]): Promise<number> {
  const crop = box ? `,crop=${box[2]}:${box[3]}:${box[0]}:${box[1]}` : '';
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `movie=${file}${crop},signalstats`],
    ...['-show_entries', 'frame_tags=lavfi.signalstats.YAVG', '-of', 'json'],
  ]);
  return Number(JSON.parse(stdout).frames[0].tags['lavfi.signalstats.YAVG']);
}

/** Top-level MP4 box types in file order (`ftyp`, `moov`, `mdat`, …). */
export async function topLevelBoxes(file: string): Promise<string[]> {
  const bytes = await readFile(file);
  const boxes: string[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset);
    const type = bytes.toString('latin1', offset + 4, offset + 8);
    if (size === 1) size = Number(bytes.readBigUInt64BE(offset + 8));
    if (size === 0) size = bytes.length - offset;
    if (size < 8) break;
    boxes.push(type);
    offset += size;
  }
  return boxes;
}

/** Presentation times (seconds) of a video's keyframes. */
export async function keyframeTimes(file: string): Promise<number[]> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-skip_frame', 'nokey', '-select_streams', 'v:0'],
    ...['-show_entries', 'frame=pts_time', '-of', 'csv=p=0', file],
  ]);
  // One line per frame, some with a trailing comma or a blank line after (side data).
  return stdout
    .split('\n')
    .map((line) => line.split(',')[0])
    .filter(Boolean)
    .map(Number);
}

/** A grey clip that brightens steadily (luma 16 + 8 per second), to tell its moments apart. */
export async function brighteningClip(file: string, seconds: number): Promise<void> {
  await run('ffmpeg', [
    ...['-nostdin', '-v', 'error', '-y', '-f', 'lavfi'],
    ...['-i', `color=c=black:s=320x180:r=25:d=${seconds},geq=lum='16+8*T':cb=128:cr=128`],
    ...['-c:v', 'libx264', '-g', '250', '-x264-params', 'scenecut=0', '-pix_fmt', 'yuv420p', file],
  ]);
}
