import { Invalid, Unprocessable } from '../../lib/errors.js';
import { HISTORY_FOLDER } from '../../lib/mhl/mhl-paths.js';
import { parentPath } from '../../lib/paths.js';
import type { AssetLog } from '../../ports/asset-log.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { NoteRepository } from '../../ports/notes.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';
import { namedLog } from '../logging/named-log.js';
import { writeAle } from './ale-writer.js';
import { assetClip } from './asset-clip.js';
import type { BinClip, BinFormat, BinLog } from './bin-clip.js';
import { writeCsv } from './csv-writer.js';
import { writeFcpxml } from './fcpxml-writer.js';

interface Deps {
  catalog: Catalog;
  notes: NoteRepository;
  access: AccessPolicy;
  audit: AuditService;
}

/**
 * What goes into a bin: a folder (and, if asked, everything below it), or chosen assets.
 * `media` leaves out the ASC MHL history files (`…/ascmhl/`), as a copy to a volume does.
 */
export type BinSource =
  | { folder: string; recursive?: boolean; media?: boolean }
  /** `title` names the bin (its file name and FCPXML event); "Selection" without one. */
  | { ids: string[]; title?: string };

export interface BinFile {
  fileName: string;
  contentType: string;
  body: string;
}

/** A bin is built in memory: past this many clips an export is refused rather than exhaust the server. */
export const BIN_MAX_CLIPS = 20_000;

const CONTENT_TYPES: Record<BinFormat, string> = {
  ale: 'text/plain; charset=utf-8',
  fcpxml: 'application/xml; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Bins for the edit software: ALE (Avid), FCPXML (Final Cut, Premiere Pro, Resolve) and CSV,
 * of the assets the caller may see and nothing else. A folder the caller cannot see is not
 * found; folders below it that they cannot see are left out without a word.
 */
export class BinsService {
  constructor(private readonly deps: Deps) {}

  async export(actor: Actor, source: BinSource, format: BinFormat): Promise<BinFile> {
    const { file, clips } = await this.build(actor, source, format);
    await this.deps.audit.record(
      actor,
      'bin.export',
      'folder' in source ? { type: 'folder', id: source.folder } : {},
      {
        format,
        clips,
        ...('folder' in source ? { recursive: source.recursive ?? false } : {}),
      },
    );
    return file;
  }

  /** The bin without an audit line of its own: "Prepare for edit" writes it and audits the whole. */
  async build(actor: Actor, source: BinSource, format: BinFormat): Promise<{ file: BinFile; clips: number }> {
    const { assets, folderPaths, relativeTo, title } = await this.assetsOf(actor, source);
    if (assets.length > BIN_MAX_CLIPS)
      throw new Unprocessable(
        `A bin holds at most ${BIN_MAX_CLIPS} clips; this one would hold ${assets.length}.`,
      );
    const clips = await this.clips(assets, folderPaths, relativeTo);
    const body =
      format === 'ale'
        ? writeAle(clips)
        : format === 'fcpxml'
          ? writeFcpxml(clips, { eventName: title })
          : writeCsv(clips);
    return {
      file: { fileName: `${safeFileName(title)}.${format}`, contentType: CONTENT_TYPES[format], body },
      clips: clips.length,
    };
  }

  private async assetsOf(actor: Actor, source: BinSource) {
    const { catalog, access } = this.deps;
    if ('ids' in source) {
      if (source.ids.length === 0) throw new Invalid('Choose at least one asset.');
      const loaded = await loadVisibleAssets(catalog, access, actor, source.ids);
      byPlace(loaded.assets, loaded.folderPaths);
      return { ...loaded, relativeTo: '/', title: source.title ?? 'Selection' };
    }
    const folder = await access.requireFolder(actor, source.folder);
    const folders = source.recursive ? await catalog.folders.subtree(folder.path) : [folder];
    const visible = await access.visibleFolderIds(
      actor,
      folders.map((f) => f.id),
    );
    const shown = folders.filter(
      (f) => visible.has(f.id) && !(source.media && f.path.endsWith(`/${HISTORY_FOLDER}`)),
    );
    const assets: Asset[] = [];
    for (let i = 0; i < shown.length; i += 500) {
      assets.push(...(await catalog.assets.liveInFolders(shown.slice(i, i + 500).map((f) => f.id))));
      if (assets.length > BIN_MAX_CLIPS) break;
    }
    const folderPaths = new Map(shown.map((f) => [f.id, f.path]));
    byPlace(assets, folderPaths);
    // Paths start at the folder's parent, so a bin beside the copied folder finds its media.
    const relativeTo = parentPath(folder.path) ?? '/';
    return { assets, folderPaths, relativeTo, title: folder.path === '/' ? 'Dailies' : folder.name };
  }

  private async clips(
    assets: Asset[],
    folderPaths: Map<string, string>,
    relativeTo: string,
  ): Promise<BinClip[]> {
    const { catalog, notes } = this.deps;
    const byAsset = new Map<string, Awaited<ReturnType<NoteRepository['forAssets']>>>();
    for (const note of await notes.forAssets(assets.map((a) => a.id))) {
      const list = byAsset.get(note.assetId) ?? [];
      list.push(note);
      byAsset.set(note.assetId, list);
    }
    const ids = assets.map((a) => a.id);
    const [records, logs, fields] = await Promise.all([
      catalog.processing.metadataRecords(ids),
      catalog.logs.get(ids),
      catalog.logs.fields(),
    ]);
    // Custom columns carry the labels people defined (an editor reads "Lens", not `lens`).
    const labelOf = new Map(fields.map((f) => [f.id, f.label]));
    const logOf = (log: AssetLog | undefined): BinLog | undefined => log && namedLog(log, labelOf);
    return assets.map((asset) =>
      assetClip(
        asset,
        folderPaths.get(asset.folderId)!,
        records.get(asset.id) ?? null,
        byAsset.get(asset.id) ?? [],
        relativeTo,
        logOf(logs.get(asset.id)),
      ),
    );
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sorted by where they are, then by name: the order an editor reads a card in. */
function byPlace(assets: Asset[], folderPaths: Map<string, string>): void {
  assets.sort(
    (a, b) =>
      compare(folderPaths.get(a.folderId)!, folderPaths.get(b.folderId)!) || compare(a.sortName, b.sortName),
  );
}

/** A download name every file system can hold. */
function safeFileName(title: string): string {
  return title.replace(UNSAFE_IN_FILE_NAMES, '_').slice(0, 120) || 'bin';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are among the unsafe ones
const UNSAFE_IN_FILE_NAMES = /[\\/:*?"<>|\u0000-\u001f]/g;
