import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LookOptions, TechnicalMetadata } from '../../ports/media.js';

/**
 * ffmpeg filters for a dailies look: the LUT (lut1d/lut3d) then the burn-in (drawtext). Every
 * value that reaches the filter graph is either a number Dailies computed or a path Dailies
 * chose, escaped for both of ffmpeg's parsers; the clip name never does: drawtext reads it
 * from a file with expansion off, so `:`, `'`, `\`, `%{…}` in a name are drawn, not parsed.
 */

/** The burn-in's font: in /usr, so the sandbox (which binds /usr) sees it too. */
export const BURN_IN_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf';

/** Text height as a share of the frame's height, and the margin from its edges. */
export const BURN_IN_STYLE = {
  fontSize: 'h/20',
  margin: 'h/40',
  colour: 'white',
  box: 'black@0.6',
} as const;

/** Where the burn-in's texts go: name top left, timecode bottom left, frame counter bottom right. */
export const BURN_IN_POSITION = {
  name: { x: BURN_IN_STYLE.margin, y: BURN_IN_STYLE.margin },
  timecode: { x: BURN_IN_STYLE.margin, y: `h-th-${BURN_IN_STYLE.margin}` },
  frame: { x: `w-tw-${BURN_IN_STYLE.margin}`, y: `h-th-${BURN_IN_STYLE.margin}` },
} as const;

/** The clip name's file, beside the outputs (inside the sandbox's output directory). */
const NAME_FILE = '.burn-in-name.txt';

/**
 * A value for one option of one filter inside a graph: escaped for the option parser
 * (`'`, `\`, `:`), then for the graph parser (`'`, `\`, `[`, `]`, `,`, `;`).
 */
export function filterValue(text: string): string {
  const option = text.replace(/[\\':]/g, (c) => `\\${c}`);
  return option.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/**
 * Writes what the look's filters read at run time (the clip name's text file) into
 * `outputDir`. Control characters become spaces: the name is drawn on one line.
 */
export async function prepareLook(look: LookOptions | undefined, outputDir: string): Promise<void> {
  const name = look?.burnIn.clipName;
  if (!name) return;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is replaced
  await writeFile(join(outputDir, NAME_FILE), name.replace(/[\u0000-\u001f\u007f]/g, ' '));
}

/** The LUT, as one filter; empty when the look has none. */
/** `toolPath` names a file of the output directory as the tool sees it (in or out of its sandbox). */
export type ToolPath = (file: string) => string;

export function lutFilters(look: LookOptions | undefined, toolPath: ToolPath): string[] {
  if (!look?.lut) return [];
  const file = filterValue(toolPath(look.lut.file));
  return look.lut.dimensions === 3
    ? [`lut3d=file=${file}:interp=tetrahedral`]
    : [`lut1d=file=${file}:interp=linear`];
}

/**
 * The burn-in's drawtext filters for frames of `kind`. A still has no timecode or frame
 * number, so only its name is drawn. The timecode counts the frames through the filter, so it
 * must see every frame from the first (never after a `select`).
 */
export function burnInFilters(
  look: LookOptions | undefined,
  toolPath: ToolPath,
  outputDir: string,
  source: TechnicalMetadata,
  kind: 'video' | 'image',
): string[] {
  if (!look) return [];
  const { clipName, timecode, frameCounter } = look.burnIn;
  const out: string[] = [];
  const common = [
    `fontfile=${filterValue(BURN_IN_FONT)}`,
    `fontsize=${BURN_IN_STYLE.fontSize}`,
    `fontcolor=${BURN_IN_STYLE.colour}`,
    'box=1',
    `boxcolor=${BURN_IN_STYLE.box}`,
  ];
  const draw = (options: string[], at: { x: string; y: string }) =>
    `drawtext=${[...common, ...options, `x=${at.x}`, `y=${at.y}`].join(':')}`;
  if (clipName) {
    const file = filterValue(toolPath(join(outputDir, NAME_FILE)));
    out.push(draw([`textfile=${file}`, 'expansion=none'], BURN_IN_POSITION.name));
  }
  if (kind === 'video' && timecode) {
    const rate = timecodeRate(source);
    if (rate) {
      out.push(
        draw(
          [`timecode=${filterValue(startTimecode(source))}`, `timecode_rate=${rate}`],
          BURN_IN_POSITION.timecode,
        ),
      );
    }
  }
  if (kind === 'video' && frameCounter) {
    out.push(draw([`text=${filterValue('%{frame_num}')}`, 'start_number=0'], BURN_IN_POSITION.frame));
  }
  return out;
}

/** The source's start timecode when it is one ffmpeg reads, else the day's start. */
export function startTimecode(source: TechnicalMetadata): string {
  const tc = source.general.startTimecode ?? '';
  return /^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/.test(tc) ? tc.replace('.', ':') : '00:00:00:00';
}

/** The video's frame rate as `num/den` (whole numbers only), or null when unknown. */
export function timecodeRate(source: TechnicalMetadata): string | null {
  const rate = source.video[0]?.frameRate ?? '';
  const match = /^(\d{1,6})\/(\d{1,6})$/.exec(rate);
  if (!match || Number(match[2]) === 0 || Number(match[1]) === 0) return null;
  const value = Number(match[1]) / Number(match[2]);
  return value > 0 && value <= 1000 ? `${match[1]}/${match[2]}` : null;
}

/** The directory the look's files must be in: the output's. */
export function lookDirFor(output: string): string {
  return dirname(output);
}
