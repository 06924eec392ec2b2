import { CsvError, decodeCsv, parseCsv } from '../../lib/csv.js';
import { Invalid } from '../../lib/errors.js';
import { MAX_DESCRIPTION_LENGTH, normaliseCode, normaliseText, parseYesNo } from '../../lib/log-values.js';
import { normalizeFolderPath } from '../../lib/paths.js';
import type { LogPatch } from '../../ports/asset-log.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { parseCameraName } from './camera-names.js';

/**
 * The script supervisor's CSV onto a folder (and the folders below it that the caller may
 * see): each row names a clip, and gives scene, take, circled and notes (camera, reel and
 * rating too when there are such columns). `preview` says what would happen — which rows
 * match which assets, which rows match none, which assets no row names — and changes
 * nothing; `apply` does it, as the caller's edit. The client sends the same file twice, so
 * nothing is kept between the two.
 */

export const MAX_CSV_BYTES = 4 * 1024 * 1024;
export const MAX_CSV_ROWS = 20_000;

type Column = 'clip' | 'scene' | 'take' | 'circled' | 'notes' | 'camera' | 'reel' | 'rating';

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

export interface ImportAsset {
  id: string;
  name: string;
  folder: string;
}

export interface ImportRow {
  /** The line's record number in the file, the header being 1. */
  row: number;
  clip: string;
  assets: ImportAsset[];
  values: {
    scene?: string | null;
    take?: string | null;
    circled?: boolean;
    description?: string | null;
    camera?: string | null;
    reel?: string | null;
    rating?: number | null;
  };
  /** Cells that could not be used (the rest of the row still applies). */
  problems: string[];
}

export interface ImportPreview {
  folder: string;
  /** Which header each field was read from. */
  columns: Partial<Record<Column, string>>;
  rows: number;
  matched: ImportRow[];
  unmatched: Array<{ row: number; clip: string }>;
  assetsWithoutRow: ImportAsset[];
}

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
}

export class LogImport {
  constructor(private readonly deps: Deps) {}

  async preview(actor: Actor, folder: string, bytes: Uint8Array): Promise<ImportPreview> {
    return (await this.plan(actor, folder, bytes)).preview;
  }

  async apply(actor: Actor, folder: string, bytes: Uint8Array): Promise<ImportPreview & { updated: number }> {
    const { catalog, audit, events, clock } = this.deps;
    const { preview, folderOf } = await this.plan(actor, folder, bytes);
    const now = clock.now();
    const touched = new Set<string>();
    await catalog.transaction(async (trx) => {
      for (const row of preview.matched) {
        const patch: LogPatch = { ...row.values };
        if (Object.keys(patch).length === 0) continue;
        const ids = row.assets.map((a) => a.id);
        await trx.logs.write(ids, patch, actor.username, now);
        for (const id of ids) touched.add(id);
      }
    });
    await audit.record(
      actor,
      'asset.log_import',
      { type: 'folder', id: preview.folder },
      { rows: preview.rows, matchedRows: preview.matched.length, assets: touched.size },
    );
    for (const id of touched)
      events.publish({ type: 'asset.changed', assetId: id, folderPath: folderOf.get(id)! });
    return { ...preview, updated: touched.size };
  }

  private async plan(actor: Actor, folderText: string, bytes: Uint8Array) {
    const { catalog, access } = this.deps;
    const root = await access.requireFolder(actor, normalizeFolderPath(folderText));
    if (bytes.length > MAX_CSV_BYTES)
      throw new Invalid(`The CSV is larger than ${MAX_CSV_BYTES / 1024 / 1024} MiB.`);
    let records: string[][];
    try {
      records = parseCsv(decodeCsv(bytes));
    } catch (error) {
      if (error instanceof CsvError) throw new Invalid(error.message);
      throw error;
    }
    if (records.length === 0) throw new Invalid('The CSV is empty.');
    if (records.length - 1 > MAX_CSV_ROWS)
      throw new Invalid(`The CSV has ${records.length - 1} rows; import at most ${MAX_CSV_ROWS} at once.`);
    const [header, ...body] = records;
    const columns = findColumns(header);
    if (columns.clip === undefined)
      throw new Invalid(
        `The CSV has no clip column: its first line must name one (such as "Clip", "Clip Name" or "File Name"). It has: ${header
          .map((h) => `"${h.trim()}"`)
          .join(', ')
          .slice(0, 300)}.`,
      );

    // The folder and the folders below it that the caller may see; their live assets.
    const folders = await catalog.folders.subtree(root.path);
    const visible = await access.visibleFolderIds(
      actor,
      folders.map((f) => f.id),
    );
    const pathOf = new Map(folders.filter((f) => visible.has(f.id)).map((f) => [f.id, f.path]));
    const assets = await catalog.assets.liveInFolders([...pathOf.keys()]);
    const byKey = new Map<string, Asset[]>();
    for (const asset of assets)
      for (const key of assetKeys(asset.name)) byKey.set(key, [...(byKey.get(key) ?? []), asset]);
    const view = (a: Asset): ImportAsset => ({ id: a.id, name: a.name, folder: pathOf.get(a.folderId)! });

    const matched: ImportRow[] = [];
    const unmatched: ImportPreview['unmatched'] = [];
    const claimed = new Map<string, number>();
    body.forEach((cells, index) => {
      const row = index + 2;
      const cell = (c: Column) => (columns[c] === undefined ? undefined : (cells[columns[c]!] ?? ''));
      const clip = (cell('clip') ?? '').trim();
      if (cells.every((c) => c.trim() === '')) return;
      if (clip === '') {
        unmatched.push({ row, clip });
        return;
      }
      const found = new Map<string, Asset>();
      for (const key of clipKeys(clip)) for (const a of byKey.get(key) ?? []) found.set(a.id, a);
      if (found.size === 0) {
        unmatched.push({ row, clip: clip.slice(0, 300) });
        return;
      }
      const problems: string[] = [];
      const taken = [...found.keys()].map((id) => claimed.get(id)).find((r) => r !== undefined);
      if (taken !== undefined) {
        problems.push(`Row ${taken} names the same clip; this row is left out.`);
        matched.push({ row, clip, assets: [...found.values()].map(view), values: {}, problems });
        return;
      }
      for (const id of found.keys()) claimed.set(id, row);
      matched.push({
        row,
        clip,
        assets: [...found.values()].map(view),
        values: rowValues(cell, problems),
        problems,
      });
    });
    const named = new Set(claimed.keys());
    const preview: ImportPreview = {
      folder: root.path,
      columns: Object.fromEntries(
        Object.entries(columns).map(([c, i]) => [c, header[i as number].trim()]),
      ) as ImportPreview['columns'],
      rows: body.length,
      matched,
      unmatched,
      assetsWithoutRow: assets.filter((a) => !named.has(a.id)).map(view),
    };
    const folderOf = new Map(assets.map((a) => [a.id, pathOf.get(a.folderId)!]));
    return { preview, folderOf };
  }
}

function fold(header: string): string {
  return header
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/** Column of each field: the first header with one of its names. */
function findColumns(header: string[]): Partial<Record<Column, number>> {
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
function assetKeys(name: string): string[] {
  const keys = [stem(name)];
  const camera = parseCameraName(name);
  if (camera) keys.push(camera.clip);
  return keys;
}

/** What a row's clip cell may mean: the same two, so `A001C003` finds `A001C003_220314_R1AB.mxf`. */
function clipKeys(clip: string): string[] {
  return assetKeys(clip);
}

function rowValues(cell: (c: Column) => string | undefined, problems: string[]): ImportRow['values'] {
  const values: ImportRow['values'] = {};
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
