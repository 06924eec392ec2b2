import { hostname } from 'node:os';
import { ChecksumAccumulator } from '../../lib/checksums.js';
import { c4Of, type HashFormat, hasherFor } from '../../lib/mhl/hash-formats.js';
import {
  allGenerations,
  allProblems,
  ignoredByHistory,
  type MhlHistory,
  readHistory,
  recordedFiles,
} from '../../lib/mhl/mhl-history.js';
import { CHAIN_FILE, generationFileName, HISTORY_FOLDER } from '../../lib/mhl/mhl-paths.js';
import { type FileCheck, verifyFiles } from '../../lib/mhl/mhl-verify.js';
import { DAILIES_TOOL, type GenerationFile, writeChain, writeGeneration } from '../../lib/mhl/mhl-writer.js';
import { assetKey, baseName } from '../../lib/paths.js';
import type { Asset, Catalog, Folder } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ClusterLock } from '../../ports/cluster-lock.js';
import type { AssetMhlCheck, MhlCard, MhlRepository } from '../../ports/mhl.js';
import type { ObjectStore, StoredObject } from '../../ports/object-store.js';
import { SYSTEM_ACTOR } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { sameFiles, toolVersion } from './generation-files.js';
import { lakeHistorySource } from './lake-history.js';
import { oneAtATime } from './one-at-a-time.js';

export interface CardVerifyDeps {
  catalog: Catalog;
  lake: ObjectStore;
  mhl: MhlRepository;
  clock: Clock;
  audit: AuditService;
  lock: ClusterLock;
  /** Indexes an object Dailies wrote into the lake (the new generation), as an upload does. */
  index: (object: StoredObject) => Promise<unknown>;
}

/** A live asset under the card, with its path under the card's folder. */
interface CardFile {
  path: string;
  size: number;
  asset: Asset;
}

/** What one verification found (the card's counts as kept), for the job log and the tests. */
export interface CardReport extends Omit<MhlCard, 'folderId' | 'checkedAt'> {
  folderPath: string;
  /** The generation Dailies added to the lake's history, when it added one. */
  sealed: string | null;
}

/**
 * Verifies a camera card in the lake against the ASC MHL history it carries (`ascmhl/` in the
 * card's folder): every file the history lists is compared with what the lake holds (the
 * checksums Dailies took on the way in where the history uses xxh64 or MD5; the lake is read for
 * SHA-1 and C4), and every verdict is kept. Once every listed file is there, Dailies adds its
 * own generation to the card's history in the lake, documenting the copy into the lake, so the
 * history travels on with the card (to the edit volumes).
 */
export class CardVerify {
  constructor(private readonly deps: CardVerifyDeps) {}

  async run(folderId: string, signal?: AbortSignal): Promise<CardReport | null> {
    const folder = await this.deps.catalog.folders.getById(folderId);
    if (!folder) return null;
    // One verification of a card at a time across processes: two would both add a generation.
    return oneAtATime(this.deps.lock, `mhl-card:${folderId}`, () => this.verify(folder, signal));
  }

  private async verify(folder: Folder, signal?: AbortSignal): Promise<CardReport | null> {
    const { lake, mhl, clock } = this.deps;
    const history = await readHistory(lakeHistorySource(lake, folder.path));
    if (!history) return null;
    const top = history.generations.at(-1)?.generation;
    const ignore = top?.ignore.length ? top.ignore : ['ascmhl', 'ascmhl/', '.DS_Store'];
    const files = (await this.cardFiles(folder)).filter(
      (f) => !f.path.split('/').includes(HISTORY_FOLDER) && !ignoredByHistory(f.path, ignore),
    );
    const recorded = recordedFiles(history);
    const unreadable = new Map<string, string>();
    const sums = new Map<string, Partial<Record<HashFormat, string>>>();
    const verification = await verifyFiles(recorded, files, async (file, formats) => {
      try {
        const values = await this.hashesOf(folder.path, file, formats, signal);
        sums.set(file.asset.id, values);
        return values;
      } catch (error) {
        signal?.throwIfAborted();
        unreadable.set(file.asset.id, (error as Error).message);
        return {};
      }
    });
    const now = clock.now();
    const checks: AssetMhlCheck[] = verification.files.map((check) =>
      toCheck(check, folder.id, now, unreadable),
    );
    const count = (v: AssetMhlCheck['verdict']) => checks.filter((c) => c.verdict === v).length;
    const problems = allProblems(history);
    const report: CardReport = {
      folderPath: folder.path,
      generations: allGenerations(history).length,
      verified: count('verified'),
      mismatched: count('mismatch'),
      unlisted: count('unlisted'),
      missing: verification.missing,
      problems,
      sealed: null,
    };
    const before = await mhl.card(folder.id);
    await mhl.saveCard(
      {
        folderId: folder.id,
        checkedAt: now,
        generations: report.generations,
        verified: report.verified,
        mismatched: report.mismatched,
        unlisted: report.unlisted,
        missing: report.missing,
        problems,
      },
      checks,
    );
    if (report.mismatched > 0 && before?.mismatched !== report.mismatched) {
      await this.deps.audit.record(
        SYSTEM_ACTOR,
        'mhl.mismatch',
        { type: 'folder', id: folder.id },
        {
          folder: folder.path,
          files: checks.filter((c) => c.verdict === 'mismatch').length,
        },
      );
    }
    // A card still arriving is not sealed: the generation would document half a copy.
    if (report.missing.length === 0 && history.generations.length > 0) {
      report.sealed = await this.seal(folder, history, verification.files, sums, now, signal);
    }
    return report;
  }

  /** Live assets in the card's folder and below, with their paths under it. */
  private async cardFiles(folder: Folder): Promise<CardFile[]> {
    const { catalog } = this.deps;
    const folders = await catalog.folders.subtree(folder.path);
    const pathOf = new Map(folders.map((f) => [f.id, f.path]));
    const assets = await catalog.assets.liveInFolders(folders.map((f) => f.id));
    const prefix = folder.path === '/' ? '' : folder.path.slice(1);
    return assets.map((asset) => {
      const key = assetKey(pathOf.get(asset.folderId)!, asset.name);
      return { path: prefix ? key.slice(prefix.length + 1) : key, size: asset.size, asset };
    });
  }

  /**
   * The asked formats of a file: xxh64 and MD5 from the asset's checksums when it has them
   * (taken on the way in), anything else by reading the lake once (which also stores the
   * checksums an asset lacked). xxh64 and MD5 are always included: the seal records them.
   */
  private async hashesOf(
    cardPath: string,
    file: CardFile,
    formats: HashFormat[],
    signal?: AbortSignal,
  ): Promise<Partial<Record<HashFormat, string>>> {
    const { asset } = file;
    const extra = formats.filter((f) => f !== 'xxh64' && f !== 'md5');
    if (asset.checksumXxh64 && asset.checksumMd5 && extra.length === 0)
      return { xxh64: asset.checksumXxh64, md5: asset.checksumMd5 };
    const key = assetKey(cardPath, file.path);
    const sums = new ChecksumAccumulator();
    const hashers = extra.map((f) => [f, hasherFor(f)] as const);
    const stream = await this.deps.lake.read(key);
    try {
      for await (const chunk of stream as AsyncIterable<Uint8Array>) {
        signal?.throwIfAborted();
        sums.update(chunk);
        for (const [, h] of hashers) h.update(chunk);
      }
    } finally {
      stream.destroy();
    }
    const { xxh64, md5 } = sums.digest();
    if (!asset.checksumXxh64 || !asset.checksumMd5)
      await this.deps.catalog.assets.update(asset.id, { checksumXxh64: xxh64, checksumMd5: md5 });
    return { xxh64, md5, ...Object.fromEntries(hashers.map(([f, h]) => [f, h.digest()])) };
  }

  /** Adds Dailies' generation to the card's history in the lake, unless the newest already says the same. */
  private async seal(
    folder: Folder,
    history: MhlHistory,
    checks: Array<FileCheck<CardFile>>,
    sums: Map<string, Partial<Record<HashFormat, string>>>,
    now: number,
    signal?: AbortSignal,
  ): Promise<string | null> {
    const { lake } = this.deps;
    const recorded = recordedFiles(history);
    const entries: GenerationFile[] = [];
    for (const check of checks) {
      const values =
        sums.get(check.file.asset.id) ?? (await this.hashesOf(folder.path, check.file, [], signal));
      const before = recorded.get(check.recordedPath ?? check.file.path)?.values ?? {};
      const entry: GenerationFile = {
        path: check.file.path,
        size: check.file.size,
        lastModified: check.file.asset.lakeMtime,
        values: {},
      };
      for (const format of ['md5', 'xxh64'] as const) {
        const value = values[format];
        if (!value) continue;
        const was = before[format];
        entry.values[format] = {
          value,
          action: was === undefined ? 'original' : was === value ? 'verified' : 'failed',
          hashDate: now,
        };
      }
      entries.push(entry);
    }
    const newest = history.generations.at(-1)!;
    if (
      newest.generation.tool.name === DAILIES_TOOL &&
      newest.generation.process === 'in-place' &&
      sameFiles(newest.generation.files, entries)
    )
      return null;
    const sequence = Math.max(...history.generations.map((g) => g.sequence)) + 1;
    const name = generationFileName(sequence, baseName(folder.path), new Date(now));
    const text = Buffer.from(
      writeGeneration({
        createdAt: now,
        hostname: hostname(),
        toolVersion: toolVersion(),
        process: 'in-place',
        comment: 'Verified by Dailies on its way into the content lake.',
        files: entries,
      }),
    );
    const historyKey = assetKey(folder.path, HISTORY_FOLDER);
    const genKey = `${historyKey}/${name}`;
    if (await lake.head(genKey)) return null;
    const written = await lake.write(genKey, text, { contentType: 'application/xml', size: text.length });
    const chain = Buffer.from(
      writeChain([
        ...history.generations.map(({ sequence, path, c4 }) => ({ sequence, path, c4 })),
        { sequence, path: name, c4: c4Of(text) },
      ]),
    );
    // The lake never overwrites: the old chain goes first. A crash between the two leaves the
    // generations without a chain, read as no history until the next generation is written.
    await lake.delete(`${historyKey}/${CHAIN_FILE}`);
    const chainWritten = await lake.write(`${historyKey}/${CHAIN_FILE}`, chain, {
      contentType: 'application/xml',
      size: chain.length,
    });
    await this.deps.index(written);
    await this.deps.index(chainWritten);
    return name;
  }
}

function toCheck(
  check: FileCheck<CardFile>,
  cardFolderId: string,
  checkedAt: number,
  unreadable: Map<string, string>,
): AssetMhlCheck {
  const failure = unreadable.get(check.file.asset.id);
  return {
    assetId: check.file.asset.id,
    cardFolderId,
    verdict: failure ? 'unverifiable' : check.verdict,
    formats: check.compared.map((c) => c.format).join(','),
    reason: failure ? `The lake's file could not be read: ${failure}` : (check.reason ?? null),
    checkedAt,
  };
}
