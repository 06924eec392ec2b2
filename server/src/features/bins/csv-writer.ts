import { framesToTimecode } from '../../lib/timecode.js';
import { type BinClip, customFieldNames, effectiveDropFrame } from './bin-clip.js';

export const CSV_COLUMNS = [
  'Name',
  'Source File',
  'Path',
  'Frame Rate',
  'Start',
  'End',
  'Duration',
  'Frames',
  'Width',
  'Height',
  'Audio Channels',
  'Tape',
  'Camera',
  'Scene',
  'Take',
  'Circled',
  'Rating',
  'Description',
  'Notes',
] as const;

/**
 * A spreadsheet of the clips (RFC 4180: CR LF, fields quoted when they hold a comma, a quote or
 * a line break). Each clip's timecodes are in its own rate. A cell that a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`, tab, CR) is written with a leading `'`, so a clip named
 * `=HYPERLINK(…)` stays text.
 */
export function writeCsv(clips: BinClip[]): string {
  const custom = customFieldNames(clips);
  const rows: string[][] = [[...CSV_COLUMNS, ...custom]];
  for (const clip of clips) {
    const log = clip.log ?? {};
    const df = effectiveDropFrame(clip);
    const tc = (frames: number | null) =>
      clip.rate && frames !== null ? framesToTimecode(frames, clip.rate, df) : '';
    const frames = clip.frames;
    rows.push([
      clip.name,
      clip.sourceFile,
      clip.relativePath,
      clip.rate ? `${clip.rate.num}/${clip.rate.den}` : '',
      tc(clip.rate ? clip.startFrame : null),
      tc(clip.rate && frames !== null ? clip.startFrame + frames : null),
      tc(frames),
      frames === null ? '' : String(frames),
      clip.width === null ? '' : String(clip.width),
      clip.height === null ? '' : String(clip.height),
      String(clip.audioChannels),
      log.reel ?? '',
      log.camera ?? '',
      log.scene ?? '',
      log.take ?? '',
      log.circled ? 'yes' : '',
      log.rating === null || log.rating === undefined ? '' : String(log.rating),
      log.description ?? '',
      clip.notes
        .map((n) => `${n.frame === null ? '' : `${tc(clip.startFrame + n.frame)} `}${n.text} (${n.author})`)
        .join('\n'),
      ...custom.map((name) => {
        const value = log.custom?.[name];
        return value === null || value === undefined ? '' : String(value);
      }),
    ]);
  }
  return `${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

export function csvCell(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
