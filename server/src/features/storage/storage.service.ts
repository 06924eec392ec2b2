import { Forbidden, NotFound } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { DailyFigure, StorageRepository } from '../../ports/storage.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { subtreeFigures } from './storage-figures.js';
import {
  checkStorageSettings,
  monthlyCost,
  readStorageSettings,
  STORAGE_SETTINGS_KEY,
  type StorageSettings,
} from './storage-settings.js';

export const DAY_MS = 86_400_000;
/** Past this many unfolded changes a read folds them first, so a read never sums a long list. */
const FOLD_ON_READ = 20_000;

export interface VolumeSpace {
  total: number;
  free: number;
}

export interface StorageVolumes {
  /** The volumes the actor may use. */
  list(actor: Actor): Array<{ id: string; name: string }>;
  /** The file system's size and free space under the volume; null when it cannot be read. */
  space(volumeId: string): Promise<VolumeSpace | null>;
}

export interface StorageDeps {
  storage: StorageRepository;
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  clock: Clock;
  volumes: StorageVolumes;
}

/** The storage page's figures: space per folder, kind, format, volume, derivatives, trash, growth, cost. */
export class StorageService {
  constructor(private readonly deps: StorageDeps) {}

  /** The kept sums and their recount (`dailies storage --check`). */
  get repository(): StorageRepository {
    return this.deps.storage;
  }

  async overview(actor: Actor, folderPath = '/') {
    const { storage, access, volumes } = this.deps;
    const folder = await access.requireFolder(actor, folderPath);
    const scope = access.scope(actor);
    if ((await storage.pending()) > FOLD_ON_READ) await storage.fold();
    const [children, sums, settings] = await Promise.all([
      storage.childFolders(scope, folder.id),
      storage.subtreeSums(scope, folder),
      readStorageSettings(this.deps.catalog.settings),
    ]);
    const figures = subtreeFigures(children, sums);
    const derivedBytes = figures.derived.reduce((sum, d) => sum + d.bytes, 0);
    const volumeList = await Promise.all(
      volumes.list(actor).map(async (v) => {
        const used = figures.volumes.get(v.id) ?? { assets: 0, bytes: 0 };
        const space = await volumes.space(v.id);
        return {
          id: v.id,
          name: v.name,
          ...used,
          free: space?.free ?? null,
          total: space?.total ?? null,
          price: settings.prices.volumes[v.id] ?? null,
          monthlyCost: monthlyCost(used.bytes, settings.prices.volumes[v.id] ?? null),
        };
      }),
    );
    const lakeBytes = figures.live.bytes + figures.trash.bytes;
    const lakeCost = monthlyCost(lakeBytes, settings.prices.lake);
    const derivedCost = monthlyCost(derivedBytes, settings.prices.derived);
    const costs = [lakeCost, derivedCost, ...volumeList.map((v) => v.monthlyCost)].filter(
      (c): c is number => c !== null,
    );
    return {
      folder: { id: folder.id, path: folder.path, ...figures.live },
      here: figures.here,
      children: figures.children,
      kinds: figures.kinds,
      formats: figures.formats,
      derived: { ...sumOf(figures.derived), kinds: figures.derived },
      trash: figures.trash,
      volumes: volumeList,
      cost: {
        currency: settings.currency,
        lakePrice: settings.prices.lake,
        derivedPrice: settings.prices.derived,
        lake: lakeCost,
        derived: derivedCost,
        total: costs.length > 0 ? round(costs.reduce((a, b) => a + b, 0)) : null,
      },
      /** Sums are exact when read (folded sums plus pending changes); this many changes wait to be folded. */
      pendingChanges: await storage.pending(),
    };
  }

  /** The daily figures of the last `days` days, for what the actor may see. */
  async growth(actor: Actor, days = 90) {
    const { storage, clock, access } = this.deps;
    const since = dayOf(clock.now() - (days - 1) * DAY_MS);
    const rows = await storage.days(since);
    const scope = access.scope(actor);
    const mayRead = (key: string) =>
      scope.all || key === '*' || key.split(',').some((g) => g !== '' && scope.groups.includes(g));
    const byDay = new Map<
      string,
      {
        day: string;
        assets: number;
        bytes: number;
        trashedBytes: number;
        derivedBytes: number;
        volumeBytes: number;
      }
    >();
    for (const row of rows) {
      if (!mayRead(row.accessKey)) continue;
      const day = byDay.get(row.day) ?? {
        day: row.day,
        assets: 0,
        bytes: 0,
        trashedBytes: 0,
        derivedBytes: 0,
        volumeBytes: 0,
      };
      day.assets += row.assets;
      day.bytes += row.bytes;
      day.trashedBytes += row.trashedBytes;
      day.derivedBytes += row.derivedBytes;
      day.volumeBytes += row.volumeBytes;
      byDay.set(row.day, day);
    }
    return { days: [...byDay.values()] };
  }

  /**
   * Writes today's figure (UTC), per set of groups that may see each folder, so an editor's
   * chart adds only the rows of folders open to one of their groups. Run by the server hourly;
   * the day's last run stands.
   */
  async recordDay(): Promise<DailyFigure[]> {
    const { storage, clock } = this.deps;
    await storage.fold();
    const [sums, keys] = await Promise.all([storage.sums({ all: true }), storage.accessKeys()]);
    const day = dayOf(clock.now());
    const byKey = new Map<string, DailyFigure>();
    for (const sum of sums) {
      // A folder without access rows (none should be) is for admins only.
      const accessKey = keys.get(sum.folderId) ?? '';
      const figure = byKey.get(accessKey) ?? {
        day,
        accessKey,
        assets: 0,
        bytes: 0,
        trashedBytes: 0,
        derivedBytes: 0,
        volumeBytes: 0,
      };
      if (sum.part === 'asset' && !sum.trashed) {
        figure.assets += sum.assets;
        figure.bytes += sum.bytes;
      } else if (sum.part === 'asset') figure.trashedBytes += sum.bytes;
      else if (sum.part === 'derived') figure.derivedBytes += sum.bytes;
      else if (!sum.trashed) figure.volumeBytes += sum.bytes;
      byKey.set(accessKey, figure);
    }
    const figures = [...byKey.values()];
    if (figures.length === 0)
      figures.push({
        day,
        accessKey: '*',
        assets: 0,
        bytes: 0,
        trashedBytes: 0,
        derivedBytes: 0,
        volumeBytes: 0,
      });
    await storage.writeDay(figures);
    return figures;
  }

  async settings(actor: Actor): Promise<StorageSettings> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins read storage settings.');
    return readStorageSettings(this.deps.catalog.settings);
  }

  async saveSettings(actor: Actor, input: StorageSettings): Promise<StorageSettings> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins change storage settings.');
    const checked = checkStorageSettings(input);
    await this.deps.catalog.settings.set(
      STORAGE_SETTINGS_KEY,
      JSON.stringify(checked),
      this.deps.clock.now(),
      actor.username,
    );
    await this.deps.audit.record(
      actor,
      'storage.settings',
      { type: 'settings', id: STORAGE_SETTINGS_KEY },
      { ...checked },
    );
    return checked;
  }

  /** Whole-catalog totals for the Prometheus gauges. */
  async totals() {
    const sums = await this.deps.storage.sums({ all: true });
    const out = new Map<
      string,
      { part: string; label: string; trashed: boolean; assets: number; bytes: number }
    >();
    for (const sum of sums) {
      const key = `${sum.part}|${sum.label}|${sum.trashed}`;
      const entry = out.get(key) ?? {
        part: sum.part,
        label: sum.label,
        trashed: sum.trashed,
        assets: 0,
        bytes: 0,
      };
      entry.assets += sum.assets;
      entry.bytes += sum.bytes;
      out.set(key, entry);
    }
    return [...out.values()];
  }

  /** Adds pending changes into the sums (run every few seconds in the background). */
  fold(): Promise<number> {
    return this.deps.storage.fold();
  }
}

export function dayOf(ms: number): string {
  if (!Number.isFinite(ms)) throw new NotFound('No such day.');
  return new Date(ms).toISOString().slice(0, 10);
}

const round = (n: number) => Math.round(n * 100) / 100;

function sumOf(list: Array<{ assets: number; bytes: number }>) {
  return list.reduce((sum, x) => ({ assets: sum.assets + x.assets, bytes: sum.bytes + x.bytes }), {
    assets: 0,
    bytes: 0,
  });
}
