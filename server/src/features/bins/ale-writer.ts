import { framesToTimecode } from '../../lib/timecode.js';
import { type BinClip, type BinNote, customFieldNames, oneLine } from './bin-clip.js';
import { aleFps, type BinTiming, binTiming, clipSpan } from './bin-rate.js';

/**
 * Avid Log Exchange: a tab-separated text file in three sections (Heading, Column, Data) that
 * Media Composer imports as a bin. Columns are Avid's own names, so they land in Avid's own
 * fields; the logging fields that Avid has no column for and the custom fields follow under
 * their names. Timecodes are in the heading's FPS; drop-frame ones carry `;`.
 */
export const ALE_COLUMNS = [
  'Name',
  'Tracks',
  'Start',
  'End',
  'Duration',
  'Tape',
  'Source File',
  'Scene',
  'Take',
  'Circled',
  'Camera',
  'Rating',
  'Description',
  'Comments',
] as const;

export function writeAle(clips: BinClip[], options: { timing?: BinTiming } = {}): string {
  const timing = options.timing ?? binTiming(clips);
  const custom = customFieldNames(clips).filter((name) => !(ALE_COLUMNS as readonly string[]).includes(name));
  const lines = [
    'Heading',
    'FIELD_DELIM\tTABS',
    `VIDEO_FORMAT\t${videoFormat(clips)}`,
    `AUDIO_FORMAT\t${audioFormat(clips)}`,
    `FPS\t${aleFps(timing.rate)}`,
    '',
    'Column',
    [...ALE_COLUMNS, ...custom.map(oneLine)].join('\t'),
    '',
    'Data',
  ];
  const tc = (frames: number) => framesToTimecode(frames, timing.rate, timing.dropFrame);
  for (const clip of clips) {
    const { start, frames } = clipSpan(clip, timing);
    const log = clip.log ?? {};
    const cells = [
      clip.name,
      tracks(clip),
      tc(start),
      // Avid's End is the first frame after the clip.
      tc(start + frames),
      tc(frames),
      log.reel ?? '',
      clip.sourceFile,
      log.scene ?? '',
      log.take ?? '',
      log.circled ? 'Yes' : '',
      log.camera ?? '',
      log.rating === null || log.rating === undefined ? '' : String(log.rating),
      log.description ?? '',
      comments(clip, timing, start),
      ...custom.map((name) => {
        const value = log.custom?.[name];
        return value === null || value === undefined ? '' : String(value);
      }),
    ];
    lines.push(cells.map((cell) => oneLine(String(cell))).join('\t'));
  }
  // Avid writes CR LF; it reads either.
  return `${lines.join('\r\n')}\r\n`;
}

/** `V` when there is video, `A1A2…` per audio channel: Avid's Tracks column. */
function tracks(clip: BinClip): string {
  const audio = Array.from({ length: Math.min(clip.audioChannels, 24) }, (_, i) => `A${i + 1}`).join('');
  return `${clip.videoTracks > 0 ? 'V' : ''}${audio}`;
}

/**
 * Notes in the Comments column, each at its timecode in the bin's timing: Avid has one comment
 * per clip, and a note's position is worth keeping in it.
 */
function comments(clip: BinClip, timing: BinTiming, start: number): string {
  return clip.notes
    .map((note: BinNote) => {
      const at =
        note.frame === null ? '' : `${framesToTimecode(start + note.frame, timing.rate, timing.dropFrame)} `;
      return `${at}${note.text} (${note.author})`;
    })
    .join(' | ');
}

/** VIDEO_FORMAT from the tallest common frame: NTSC, PAL, 720, else 1080 (Avid's HD and larger projects). */
function videoFormat(clips: BinClip[]): string {
  const counts = new Map<number, number>();
  for (const clip of clips)
    if (clip.height !== null) counts.set(clip.height, (counts.get(clip.height) ?? 0) + 1);
  let height: number | undefined;
  for (const [h, n] of counts) if (height === undefined || n > counts.get(height)!) height = h;
  if (height === 480 || height === 486) return 'NTSC';
  if (height === 576) return 'PAL';
  if (height === 720) return '720';
  return '1080';
}

function audioFormat(clips: BinClip[]): string {
  return clips.some((c) => c.audioRate === 44100) && !clips.some((c) => c.audioRate === 48000)
    ? '44khz'
    : '48khz';
}
