import { hostname } from 'node:os';
import { c4Of } from '../../lib/mhl/hash-formats.js';
import type { MhlChainEntry } from '../../lib/mhl/mhl-document.js';
import { allProblems, type MhlHistory, readHistory, recordedFiles } from '../../lib/mhl/mhl-history.js';
import { CHAIN_FILE, generationFileName, HISTORY_FOLDER } from '../../lib/mhl/mhl-paths.js';
import { DAILIES_TOOL, type GenerationFile, writeChain, writeGeneration } from '../../lib/mhl/mhl-writer.js';
import { assetKey, baseName, folderKey, folderSegments } from '../../lib/paths.js';
import type { Catalog, Folder } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ClusterLock } from '../../ports/cluster-lock.js';
import type { MhlRepository } from '../../ports/mhl.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LocationRepository, Volume } from '../../ports/volume.js';
import { sameFiles, toolVersion } from './generation-files.js';
import { lakeHistorySource } from './lake-history.js';
import { oneAtATime } from './one-at-a-time.js';
import { volumeHistorySource, writeVolumeFile } from './volume-writes.js';

export interface VolumeHistoryDeps {
  catalog: Catalog;
  lake: ObjectStore;
  mhl: MhlRepository;
  locations: LocationRepository;
  clock: Clock;
  lock: ClusterLock;
  /** The opened volume and its name by id (NotFound when it is no longer configured). */
  volume: (volumeId: string) => { volume: Volume; name: string };
}

/** What one generation on a volume recorded. */
export interface VolumeGeneration {
  volumeId: string;
  /** The history's folder on the volume ('' for its root). */
  root: string;
  /** The generation file written, or null when the newest already said the same. */
  written: string | null;
  sequence: number;
  files: number;
  /** Generations the lake's history brought along (a card's own history, first copy only). */
  carried: number;
  problems: string[];
}

/**
 * The ASC MHL history Dailies keeps on an edit volume: `ascmhl/` in the copied folder (a card's
 * folder when the copy is part of a card that came with a history), one generation per copy
 * with the xxh64 each file was verified by when read back from the volume. The first
 * generation on a volume carries the card's history along from the lake, so the editors' side
 * holds the whole chain of custody: camera card → lake → volume.
 */
export class VolumeHistory {
  constructor(private readonly deps: VolumeHistoryDeps) {}

  /** The folder whose history records a copy of an asset in `folder`: the nearest card above, else the folder. */
  async rootFor(folder: Folder): Promise<Folder> {
    const { catalog, mhl } = this.deps;
    const segments = folderSegments(folder.path);
    const paths = segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
    const ancestors = await catalog.folders.getManyByPaths(paths);
    const cards = await mhl.cardsAmong(ancestors.map((f) => f.id));
    const nearest = ancestors.filter((f) => cards.has(f.id)).sort((a, b) => b.path.length - a.path.length)[0];
    return nearest ?? folder;
  }

  /** Adds a generation for the verified copies under `rootFolderId` on the volume. */
  async seal(volumeId: string, rootFolderId: string): Promise<VolumeGeneration | null> {
    const root = await this.deps.catalog.folders.getById(rootFolderId);
    if (!root) return null;
    return oneAtATime(this.deps.lock, `mhl-volume:${volumeId}:${rootFolderId}`, () =>
      this.write(volumeId, root),
    );
  }

  private async write(volumeId: string, root: Folder): Promise<VolumeGeneration> {
    const { volume, name: volumeName } = this.deps.volume(volumeId);
    const rootOnVolume = folderKey(root.path);
    const historyDir = rootOnVolume ? `${rootOnVolume}/${HISTORY_FOLDER}` : HISTORY_FOLDER;
    const source = volumeHistorySource(volume, rootOnVolume);
    let carried = 0;
    let history = await readHistory(source);
    if (!history) {
      carried = await this.carryLakeHistory(volume, root, rootOnVolume);
      history = (await readHistory(source)) ?? (await this.rebuiltChain(volume, historyDir, source));
    }
    const files = await this.copiedFiles(volumeId, root, rootOnVolume, history);
    const generations = history?.generations ?? [];
    const sequence = Math.max(0, ...generations.map((g) => g.sequence)) + 1;
    const base = {
      volumeId,
      root: rootOnVolume,
      files: files.length,
      carried,
      problems: history ? allProblems(history) : [],
    };
    const newest = generations.at(-1);
    // Only a copy's own generation (a transfer) makes another one redundant: the lake's
    // generation carried along documents the copy into the lake, not this one.
    if (
      newest &&
      newest.generation.tool.name === DAILIES_TOOL &&
      newest.generation.process === 'transfer' &&
      sameFiles(newest.generation.files, files)
    )
      return { ...base, written: null, sequence: newest.sequence };
    const now = this.deps.clock.now();
    const fileName = generationFileName(sequence, baseName(root.path), new Date(now));
    const text = Buffer.from(
      writeGeneration({
        createdAt: now,
        hostname: hostname(),
        toolVersion: toolVersion(),
        process: 'transfer',
        comment: `Copied by Dailies from its content lake to the edit volume "${volumeName}", each file verified by reading it back.`,
        files,
      }),
    );
    if (!(await writeVolumeFile(volume, `${historyDir}/${fileName}`, text)))
      throw new Error(`A generation named ${fileName} is already on the volume; nothing was replaced.`);
    const chain: MhlChainEntry[] = [
      ...generations.map(({ sequence, path, c4 }) => ({ sequence, path, c4 })),
      { sequence, path: fileName, c4: c4Of(text) },
    ];
    await writeVolumeFile(volume, `${historyDir}/${CHAIN_FILE}`, Buffer.from(writeChain(chain)), {
      replace: true,
    });
    return { ...base, written: fileName, sequence };
  }

  /** Every verified copy on the volume under the root, with what the history recorded before. */
  private async copiedFiles(
    volumeId: string,
    root: Folder,
    rootOnVolume: string,
    history: MhlHistory | null,
  ): Promise<GenerationFile[]> {
    const { catalog, locations } = this.deps;
    const folders = (await catalog.folders.subtree(root.path)).filter(
      (f) => !folderSegments(f.path).includes(HISTORY_FOLDER),
    );
    const assets = await catalog.assets.liveInFolders(folders.map((f) => f.id));
    const found = (await locations.forAssets(assets.map((a) => a.id))).filter(
      (l) => l.volumeId === volumeId && l.state === 'verified',
    );
    const recorded = history ? recordedFiles(history) : new Map();
    const prefix = rootOnVolume ? `${rootOnVolume}/` : '';
    const files: GenerationFile[] = [];
    for (const location of found) {
      if (!location.path.startsWith(prefix)) continue;
      // A sequence's copy is a folder of frame files: the history lists each with its own checksum.
      const copies = location.frames
        ? location.frames.map((f) => ({ ...f, path: `${location.path}/${f.name}` }))
        : [location];
      for (const copy of copies) {
        const path = copy.path.slice(prefix.length);
        const was = recorded.get(path)?.values.xxh64;
        files.push({
          path,
          size: copy.size,
          lastModified: copy.mtime,
          values: {
            xxh64: {
              value: copy.xxh64,
              action: was === undefined ? 'original' : was === copy.xxh64 ? 'verified' : 'failed',
              hashDate: location.copiedAt,
            },
          },
        });
      }
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * The first generation on a volume: the card's history files in the lake (its own `ascmhl/`
   * and those of cards nested in it) are copied beside it first. Returns how many generations.
   */
  private async carryLakeHistory(volume: Volume, root: Folder, rootOnVolume: string): Promise<number> {
    const { lake } = this.deps;
    const lakeHistory = await readHistory(lakeHistorySource(lake, root.path));
    if (!lakeHistory) return 0;
    const prefix = rootOnVolume ? `${rootOnVolume}/` : '';
    let carried = 0;
    for await (const object of lake.listAll(prefix)) {
      const segments = object.key.split('/');
      if (segments.at(-2) !== HISTORY_FOLDER || object.unsupported) continue;
      const bytes = await lakeHistorySource(lake, '/')(object.key);
      if (!bytes) continue;
      await writeVolumeFile(volume, object.key, Buffer.from(bytes));
      if (object.key.endsWith('.mhl')) carried += 1;
    }
    return carried;
  }

  /** Generations on the volume without a chain (a crash between removing and placing it): listed again by name. */
  private async rebuiltChain(
    volume: Volume,
    historyDir: string,
    source: (path: string) => Promise<Uint8Array | null>,
  ) {
    const entries: MhlChainEntry[] = [];
    let listing: Awaited<ReturnType<Volume['list']>> = [];
    try {
      listing = await volume.list(historyDir);
    } catch {
      return null;
    }
    for (const entry of listing) {
      const match = /^(\d{4,})_.*\.mhl$/.exec(entry.name);
      if (entry.type !== 'file' || !match) continue;
      const bytes = await source(`${HISTORY_FOLDER}/${entry.name}`);
      if (bytes) entries.push({ sequence: Number(match[1]), path: entry.name, c4: c4Of(bytes) });
    }
    if (entries.length === 0) return null;
    await writeVolumeFile(volume, `${historyDir}/${CHAIN_FILE}`, Buffer.from(writeChain(entries)), {
      replace: true,
    });
    return readHistory(source);
  }
}

/** The lake key of a folder's history folder. */
export function historyKey(folderPath: string): string {
  return assetKey(folderPath, HISTORY_FOLDER);
}
