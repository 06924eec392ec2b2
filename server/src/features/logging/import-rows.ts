import { MAX_DESCRIPTION_LENGTH, normaliseCode, normaliseText, parseYesNo } from '../../lib/log-values.js';
import { parseCameraName } from './camera-names.js';

/**
 * A script supervisor's sheet read: which column holds what (headers as spreadsheets spell
 * them), what each row's cells say as log values, and the keys a clip and an asset answer to.
 */

export type Column = 'clip' | 'scene' | 'take' | 'circled' | 'notes' | 'camera' | 'reel' | 'rating';

/** Header names as spreadsheets spell them, folded to letters and digits. */
const HEADERS: Record<Column, string[]> = {
  clip: ['clip', 'clipname', 'clipid', 'name', 'filename', 'file', 'sourcefile', 'source', 'clipfile'],
  scene: ['scene', 'sc', 'scn', 'scenenumber'],
  take: ['take', 'tk', 'takenumber'],
  circled: ['circled', 'circle', 'circletake', 'circ', 'print', 'good', 'selected'],
  notes: ['notes', 'note', 'comments', 'comment', 'description', 'remarks', 'remark'],
  camera: ['camera', 'cam'],
  reel: ['reel', 'roll', 'camroll', 'cameraroll', 'tape', 'reelname', 'tapename'],
  rating: ['rating', 'stars'],
};

export interface RowValues {
  scene?: string | null;
  take?: string | null;
  circled?: boolean;
  description?: string | null;
  camera?: string | null;
  reel?: string | null;
  rating?: number | null;
}

function fold(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Column of each field: the first header with one of its names. */
export function findColumns(header: string[]): Partial<Record<Column, number>> {
  const columns: Partial<Record<Column, number>> = {};
  const folded = header.map(fold);
  for (const [column, names] of Object.entries(HEADERS) as Array<[Column, string[]]>) {
    for (const name of names) {
      const at = folded.indexOf(name);
      if (at >= 0 && !Object.values(columns).includes(at)) {
        columns[column] = at;
        break;
      }
    }
  }
  return columns;
}

function stem(name: string): string {
  const n = name.normalize('NFC').trim();
  const dot = n.lastIndexOf('.');
  const base = dot > 0 && /^[A-Za-z0-9]{1,5}$/.test(n.slice(dot + 1)) ? n.slice(0, dot) : n;
  return base.toUpperCase();
}

/** What an asset answers to: its name without the extension, and the camera's clip id. */
export function assetKeys(name: string): string[] {
  const keys = [stem(name)];
  const camera = parseCameraName(name);
  if (camera) keys.push(camera.clip);
  return keys;
}

/** What a row's clip cell may mean: the same two, so `A001C003` finds `A001C003_220314_R1AB.mxf`. */
export function clipKeys(clip: string): string[] {
  return assetKeys(clip);
}

export function rowValues(cell: (c: Column) => string | undefined, problems: string[]): RowValues {
  const values: RowValues = {};
  const code = (c: 'scene' | 'take' | 'camera' | 'reel') => {
    const text = cell(c);
    if (text === undefined || text.trim() === '') return;
    try {
      values[c] = normaliseCode(text, c);
    } catch (error) {
      problems.push((error as Error).message);
    }
  };
  code('scene');
  code('take');
  code('camera');
  code('reel');
  const circled = cell('circled');
  if (circled !== undefined) {
    const yes = parseYesNo(circled);
    if (yes === undefined) problems.push(`Circled "${circled.trim().slice(0, 40)}" is neither yes nor no.`);
    else values.circled = yes;
  }
  const notes = cell('notes');
  if (notes !== undefined && notes.trim() !== '') {
    try {
      values.description = normaliseText(notes, 'notes', MAX_DESCRIPTION_LENGTH);
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  const rating = cell('rating');
  if (rating !== undefined && rating.trim() !== '') {
    const stars =
      /^\s*([0-5])\s*$/.exec(rating)?.[1] ?? /^\s*(\*{1,5})\s*$/.exec(rating)?.[1]?.length.toString();
    if (stars === undefined) problems.push(`Rating "${rating.trim().slice(0, 40)}" is not 0 to 5 stars.`);
    else values.rating = Number(stars);
  }
  return values;
}
