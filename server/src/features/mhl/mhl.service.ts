import { NotFound } from '../../lib/errors.js';
import { CHAIN_FILE, HISTORY_FOLDER } from '../../lib/mhl/mhl-paths.js';
import { folderSegments, isWithin } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { JobContext, JobQueue, JobRecord } from '../../ports/job-queue.js';
import type { AssetMhlVerdict, MhlRepository } from '../../ports/mhl.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import { type CardReport, CardVerify, type CardVerifyDeps } from './card-verify.js';
import { MhlDownload, type MhlFile } from './mhl-download.js';
import { type VolumeGeneration, VolumeHistory, type VolumeHistoryDeps } from './volume-history.js';

interface Deps extends CardVerifyDeps, Omit<VolumeHistoryDeps, 'volume'> {
  access: AccessPolicy;
  jobs: JobQueue;
  clock: Clock;
  catalog: Catalog;
  mhl: MhlRepository;
  /** A volume the actor may use (NotFound otherwise), and any configured volume for jobs. */
  volumes: {
    usable(actor: Actor, volumeId: string): ReturnType<VolumeHistoryDeps['volume']>;
    configured(volumeId: string): ReturnType<VolumeHistoryDeps['volume']>;
  };
}

/** An asset's verdict as the API shows it. */
export interface AssetMhlView {
  verdict: AssetMhlVerdict | null;
  /** The folder whose `ascmhl/` history the asset was checked against. */
  card: string | null;
  formats: string[];
  reason: string | null;
  checkedAt: string | null;
}

/** A card's last verification, as the caller may see it. */
export interface CardView {
  folder: string;
  checkedAt: string;
  generations: number;
  verified: number;
  mismatched: number;
  unlisted: number;
  unverifiable: number;
  missing: string[];
  problems: string[];
}

/** Verifications and seals wait this long after the last file arrived, so a card arriving file by file is checked once. */
const SETTLE_MS = 2_000;

/**
 * ASC MHL: verifies camera cards that arrive with a history (`card-verify.ts`), writes a
 * generation on an edit volume for every copy (`volume-history.ts`), and downloads an MHL of a
 * folder or a selection (`mhl-download.ts`). `sealVolume` is the call a "Prepare for edit"
 * action makes after its copies.
 */
export class MhlService {
  private readonly verify: CardVerify;
  private readonly history: VolumeHistory;
  private readonly download: MhlDownload;

  constructor(private readonly deps: Deps) {
    this.verify = new CardVerify(deps);
    this.history = new VolumeHistory({ ...deps, volume: (id) => deps.volumes.configured(id) });
    this.download = new MhlDownload(deps);
  }

  /** Indexing found new or changed assets: a card's history arrived, or a file of a known card. */
  async assetsIngested(assets: Asset[]): Promise<void> {
    if (assets.length === 0) return;
    const { catalog, mhl } = this.deps;
    const folders = await catalog.folders.getManyByIds([...new Set(assets.map((a) => a.folderId))]);
    const byId = new Map(folders.map((f) => [f.id, f]));
    const cards = new Set<string>();
    const ancestorPaths = new Set<string>();
    for (const asset of assets) {
      const folder = byId.get(asset.folderId);
      if (!folder) continue;
      const isHistory =
        folder.name === HISTORY_FOLDER && (asset.name === CHAIN_FILE || asset.name.endsWith('.mhl'));
      if (isHistory && folder.parentId) cards.add(folder.parentId);
      const segments = folderSegments(folder.path);
      for (let i = 1; i <= segments.length; i++) ancestorPaths.add(`/${segments.slice(0, i).join('/')}`);
    }
    if (ancestorPaths.size > 0) {
      const ancestors = await catalog.folders.getManyByPaths([...ancestorPaths]);
      for (const id of await mhl.cardsAmong(ancestors.map((f) => f.id))) cards.add(id);
    }
    const { key, runAfter } = settle(this.deps.clock.now());
    for (const folderId of cards)
      await this.deps.jobs.enqueue(
        'mhl.verify',
        { folderId },
        { key: `${folderId}:${key}`, runAfter, maxAttempts: 3 },
      );
  }

  /** A verified copy of an asset reached a volume: its history there gets a generation. */
  async copied(volumeId: string, asset: Asset): Promise<void> {
    const folder = await this.deps.catalog.folders.getById(asset.folderId);
    if (!folder) return;
    const root = await this.history.rootFor(folder);
    const { key, runAfter } = settle(this.deps.clock.now());
    await this.deps.jobs.enqueue(
      'mhl.seal',
      { volumeId, folderId: root.id },
      { key: `${volumeId}:${root.id}:${key}`, runAfter, maxAttempts: 3 },
    );
  }

  /** The `mhl.verify` job. */
  async runVerify(job: JobRecord<'mhl.verify'>, context: JobContext): Promise<CardReport | null> {
    return this.verify.run(job.data.folderId, context.signal);
  }

  /** The `mhl.seal` job. */
  async runSeal(job: JobRecord<'mhl.seal'>): Promise<VolumeGeneration | null> {
    return this.history.seal(job.data.volumeId, job.data.folderId);
  }

  /**
   * Writes the generation for what Dailies copied of `folderPath` (and below) to a volume, now:
   * what "Prepare for edit" calls once its copies are done. The history's folder is the card
   * the folder is part of, when it is part of one.
   */
  async sealVolume(actor: Actor, volumeId: string, folderPath: string): Promise<VolumeGeneration | null> {
    this.deps.volumes.usable(actor, volumeId);
    const folder = await this.deps.access.requireFolder(actor, folderPath);
    const root = await this.history.rootFor(folder);
    return this.history.seal(volumeId, root.id);
  }

  /**
   * `sealVolume` for a selection spread over folders: one generation per history the copies
   * belong to (a card's folder when in a card, else each folder), each written once.
   */
  async sealVolumeFolders(
    actor: Actor,
    volumeId: string,
    folderPaths: string[],
  ): Promise<VolumeGeneration[]> {
    this.deps.volumes.usable(actor, volumeId);
    const roots = new Map<string, string>();
    for (const path of new Set(folderPaths)) {
      const root = await this.history.rootFor(await this.deps.access.requireFolder(actor, path));
      roots.set(root.id, root.path);
    }
    const generations: VolumeGeneration[] = [];
    // In path order, so the generations are listed as the volume reads.
    for (const [id] of [...roots].sort((a, b) => a[1].length - b[1].length)) {
      const generation = await this.history.seal(volumeId, id);
      if (generation) generations.push(generation);
    }
    return generations;
  }

  async assetCheck(actor: Actor, assetId: string): Promise<AssetMhlView> {
    await loadVisibleAssets(this.deps.catalog, this.deps.access, actor, [assetId]);
    const [check] = await this.deps.mhl.checksFor([assetId]);
    if (!check) return { verdict: null, card: null, formats: [], reason: null, checkedAt: null };
    // The card is the asset's folder or one above it: visible whenever the asset is.
    const card = await this.deps.catalog.folders.getById(check.cardFolderId);
    return {
      verdict: check.verdict,
      card: card?.path ?? null,
      formats: check.formats ? check.formats.split(',') : [],
      reason: check.reason,
      checkedAt: new Date(check.checkedAt).toISOString(),
    };
  }

  /**
   * A card's last verification. Counts are of the files the caller can see; a missing file is
   * named only when its folder is not hidden from them; the history's problems (which may name
   * any path) only to those who see the whole card.
   */
  async card(actor: Actor, folderPath: string): Promise<CardView> {
    const { catalog, access, mhl } = this.deps;
    const folder = await access.requireFolder(actor, folderPath);
    const card = await mhl.card(folder.id);
    // A folder without a verified history answers as a missing one would.
    if (!card) throw new NotFound(`No ASC MHL history has been verified in "${folder.path}".`);
    const subtree = await catalog.folders.subtree(folder.path);
    const visible = await access.visibleFolderIds(
      actor,
      subtree.map((f) => f.id),
    );
    const wholeCard = isAdmin(actor) || visible.size === subtree.length;
    // Every verdict under the card, whichever history gave it (a nested card's files are
    // checked by its own history and by the one around it), of the assets the caller sees.
    const assets = await catalog.assets.liveInFolders([...visible]);
    const checks = await mhl.checksFor(assets.map((a) => a.id));
    const count = (v: AssetMhlVerdict) => checks.filter((c) => c.verdict === v).length;
    const hidden = subtree.filter((f) => !visible.has(f.id)).map((f) => f.path);
    const missing = card.missing.filter((path) => {
      const full = folder.path === '/' ? `/${path}` : `${folder.path}/${path}`;
      return !hidden.some((h) => isWithin(full, h));
    });
    return {
      folder: folder.path,
      checkedAt: new Date(card.checkedAt).toISOString(),
      generations: card.generations,
      verified: count('verified'),
      mismatched: count('mismatch'),
      unlisted: count('unlisted'),
      unverifiable: count('unverifiable'),
      missing,
      problems: wholeCard ? card.problems : [],
    };
  }

  folderMhl(actor: Actor, folderPath: string): Promise<MhlFile> {
    return this.download.ofFolder(actor, folderPath);
  }

  selectionMhl(actor: Actor, assetIds: string[]): Promise<MhlFile> {
    return this.download.ofSelection(actor, assetIds);
  }
}

function settle(now: number): { key: string; runAfter: number } {
  const bucket = Math.floor(now / SETTLE_MS);
  return { key: String(bucket), runAfter: (bucket + 1) * SETTLE_MS };
}
