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

/** Mean luma (0–255) of a picture, to tell a black frame from a picture. */
export async function meanLuma(file: string): Promise<number> {
  const { stdout } = await run('ffprobe', [
    ...['-v', 'error', '-f', 'lavfi', '-i', `movie=${file},signalstats`],
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
