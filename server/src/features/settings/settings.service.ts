import { randomUUID } from 'node:crypto';
import type { VolumeConfig } from '../../config.js';
import { resolvedAddressProblem } from '../../lib/endpoint-address.js';
import { Forbidden, Invalid, StorageError, Unprocessable } from '../../lib/errors.js';
import type { SecretInput } from '../../lib/server-secret.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { DeploymentSettings, LakeSettings, LakeSwitch, SettingsStorage } from '../../ports/settings.js';
import type { Volume } from '../../ports/volume.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  type EffectiveSettings,
  LAKE_KEY,
  readEffectiveSettings,
  sealLake,
  VOLUMES_KEY,
} from './saved-settings.js';
import {
  type LakeInput,
  normalizeLake,
  normalizeVolumes,
  type ReservedPath,
  requireClear,
  type VolumeInput,
} from './settings-input.js';

export type S3Lake = Extract<LakeSettings, { kind: 's3' }>;

/** The lake as shown: never a secret, only whether one is set. */
export type LakeView =
  | { kind: 'fs'; path: string }
  | (Omit<S3Lake, 'secretAccessKey' | 'endpoint' | 'accessKeyId'> & {
      endpoint: string | null;
      accessKeyId: string | null;
      secretSet: boolean;
    });

export interface SettingsView {
  lake: LakeView;
  volumes: VolumeConfig[];
  /** False where the value comes from the config file or environment. */
  saved: { lake: boolean; volumes: boolean };
  updatedAt: string | null;
  updatedBy: string | null;
}

export interface SettingsUpdate {
  lake?: LakeInput;
  volumes?: VolumeInput[];
}

interface Deps {
  catalog: Catalog;
  storage: SettingsStorage;
  lake: LakeSwitch;
  /** Volumes take effect at once. */
  replaceVolumes(volumes: Array<{ config: VolumeConfig; volume: Volume }>): void;
  /** A fresh re-index of the lake now in use (after any running one). */
  reconcile(): Promise<unknown>;
  /** The subset of `names` that are groups. */
  groupExists(names: string[]): Promise<string[]>;
  audit: AuditService;
  events: EventBus;
  clock: Clock;
  /** The config file and environment, under the saved settings. */
  base: DeploymentSettings;
  /** S3 connection details a bucket typed on the page starts from (the environment's). */
  s3Defaults: Omit<S3Lake, 'bucket' | 'prefix'>;
  serverSecret: SecretInput;
  /** Dailies' own files and directories, which no lake or volume may hold. */
  reserved: ReservedPath[];
  /** What wiring read at start, already in use. */
  initial: EffectiveSettings;
  log(message: string, error?: unknown): void;
}

/**
 * Settings a media manager changes on the settings page: which lake the deployment uses and
 * the edit volumes. Saved in the catalog over the config, validated before saving (a lake must be
 * reachable and writable, a volume mounted and writable), audited without secrets, and applied
 * without a restart: the lake every service holds is swapped and re-indexed, volumes at once.
 */
export class SettingsService {
  private effective: EffectiveSettings;
  /** Tells this process's own change notices apart from another server's. */
  private readonly origin = randomUUID();
  /** Saves one at a time, so two admins' saves never interleave their checks and writes. */
  private saving: Promise<unknown> = Promise.resolve();

  constructor(private readonly deps: Deps) {
    this.effective = deps.initial;
    deps.events.subscribe((event) => {
      // A save on another server may be among the events this one missed.
      if (
        (event.type === 'settings.changed' && event.origin !== this.origin) ||
        event.type === 'events.missed'
      )
        void this.reload().catch((error) =>
          deps.log('settings from another server could not be applied', error),
        );
    });
  }

  /** The settings in effect now. */
  get current(): DeploymentSettings {
    return { lake: this.effective.lake, volumes: this.effective.volumes };
  }

  get(actor: Actor): SettingsView {
    requireAdmin(actor);
    return view(this.effective);
  }

  update(actor: Actor, input: SettingsUpdate): Promise<SettingsView> {
    requireAdmin(actor);
    const run = this.saving.then(() => this.save(actor, input));
    this.saving = run.catch(() => {});
    return run;
  }

  /** Reads the saved settings again and applies them (another server saved them). */
  async reload(): Promise<void> {
    const { catalog, base, serverSecret } = this.deps;
    const next = await readEffectiveSettings(catalog.settings, base, serverSecret);
    const lakeChanged = !sameLake(next.lake, this.effective.lake);
    this.apply(next, lakeChanged);
  }

  private async save(actor: Actor, input: SettingsUpdate): Promise<SettingsView> {
    const { catalog, storage, audit, clock, serverSecret } = this.deps;
    const before = this.effective;
    const s3Current =
      before.lake.kind === 's3' ? before.lake : { ...this.deps.s3Defaults, bucket: '', prefix: '' };
    // Everything is checked before anything is written: a refusal changes nothing.
    const lake = input.lake ? normalizeLake(input.lake, s3Current) : before.lake;
    const volumes = input.volumes ? normalizeVolumes(input.volumes) : before.volumes;
    if (input.lake && lake.kind === 'fs') requireClear(lake.path, this.deps.reserved, 'lake.path');
    if (input.volumes)
      for (const [i, v] of volumes.entries()) requireClear(v.path, this.deps.reserved, `volumes.${i}.path`);
    await this.requireGroups(volumes);
    if (input.lake && lake.kind === 's3' && lake.endpoint) {
      const problem = await resolvedAddressProblem(new URL(lake.endpoint).hostname);
      if (problem) throw new Invalid(`The S3 endpoint may not be ${problem}.`, { field: 'lake.endpoint' });
    }
    if (input.lake) await unusable(lake.kind === 'fs' ? 'lake.path' : 'lake', () => storage.probeLake(lake));
    const opened = volumes.map((config) => ({ config, volume: storage.openVolume(config) }));
    if (input.volumes) {
      // The volume's own messages name it ("The volume "edit" is not mounted: …").
      for (const [i, { volume }] of opened.entries())
        await unusable(`volumes.${i}.path`, () => volume.check());
    }

    const now = clock.now();
    await catalog.transaction(async (tx) => {
      if (input.lake) await tx.settings.set(LAKE_KEY, sealLake(lake, serverSecret), now, actor.username);
      if (input.volumes) await tx.settings.set(VOLUMES_KEY, JSON.stringify(volumes), now, actor.username);
    });
    const lakeChanged = !sameLake(lake, before.lake);
    const next: EffectiveSettings = {
      lake,
      volumes,
      saved: {
        lake: before.saved.lake || Boolean(input.lake),
        volumes: before.saved.volumes || Boolean(input.volumes),
      },
      updatedAt: now,
      updatedBy: actor.username,
    };
    this.apply(next, lakeChanged, opened);
    await audit.record(
      actor,
      'settings.change',
      { type: 'settings', id: 'deployment' },
      changes(before, next),
    );
    this.deps.events.publish({ type: 'settings.changed', origin: this.origin });
    if (lakeChanged)
      void this.deps.reconcile().catch((error) => this.deps.log('reconcile of the new lake failed', error));
    return view(next);
  }

  private apply(
    next: EffectiveSettings,
    lakeChanged: boolean,
    opened?: Array<{ config: VolumeConfig; volume: Volume }>,
  ): void {
    const { storage } = this.deps;
    if (lakeChanged) this.deps.lake.swap(storage.openLake(next.lake), next.lake);
    this.deps.replaceVolumes(
      opened ?? next.volumes.map((config) => ({ config, volume: storage.openVolume(config) })),
    );
    this.effective = next;
  }

  private async requireGroups(volumes: VolumeConfig[]): Promise<void> {
    const named = [...new Set(volumes.flatMap((v) => v.groups))];
    const existing = new Set(await this.deps.groupExists(named));
    for (const [i, volume] of volumes.entries()) {
      const missing = volume.groups.filter((g) => !existing.has(g));
      if (missing.length > 0)
        throw new Invalid(
          `Volume "${volume.id}" names ${missing.length === 1 ? 'a group that does not exist' : 'groups that do not exist'}: ${missing.join(', ')}.`,
          { field: `volumes.${i}.groups` },
        );
    }
  }
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only admins change the settings.');
}

/** A store that cannot be used is a 422 naming the field; other failures stay what they are. */
async function unusable(field: string, check: () => Promise<void>): Promise<void> {
  try {
    await check();
  } catch (error) {
    if (error instanceof StorageError) throw new Unprocessable(withoutRawDetail(error.message), { field });
    throw error;
  }
}

/**
 * A probe's own words ("unreachable", "access denied", "no such bucket") are kept; what some
 * other service answered is not echoed back, so the settings page cannot be used to read the
 * replies of whatever the server can reach.
 */
function withoutRawDetail(message: string): string {
  const raw = /^(S3 failed to [^:]+):/.exec(message);
  return raw ? `${raw[1]}: the endpoint did not answer as an S3 service does; check its address.` : message;
}

function sameLake(a: LakeSettings, b: LakeSettings): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function lakeView(lake: LakeSettings): LakeView {
  if (lake.kind === 'fs') return { kind: 'fs', path: lake.path };
  const { secretAccessKey, endpoint, accessKeyId, ...rest } = lake;
  return {
    ...rest,
    endpoint: endpoint ?? null,
    accessKeyId: accessKeyId ?? null,
    secretSet: Boolean(secretAccessKey),
  };
}

function view(settings: EffectiveSettings): SettingsView {
  return {
    lake: lakeView(settings.lake),
    volumes: settings.volumes,
    saved: settings.saved,
    updatedAt: settings.updatedAt === null ? null : new Date(settings.updatedAt).toISOString(),
    updatedBy: settings.updatedBy,
  };
}

/** What changed, for the audit log: the lake before and after (no secrets), volumes by id. */
function changes(before: DeploymentSettings, after: DeploymentSettings): Record<string, unknown> {
  const detail: Record<string, unknown> = {};
  if (!sameLake(before.lake, after.lake)) {
    detail.lake = { from: lakeView(before.lake), to: lakeView(after.lake) };
    const secretOf = (l: LakeSettings) => (l.kind === 's3' ? l.secretAccessKey : undefined);
    if (secretOf(before.lake) !== secretOf(after.lake)) detail.secretChanged = true;
  }
  const byId = (list: VolumeConfig[]) => new Map(list.map((v) => [v.id, JSON.stringify(v)]));
  const was = byId(before.volumes);
  const now = byId(after.volumes);
  const added = [...now.keys()].filter((id) => !was.has(id));
  const removed = [...was.keys()].filter((id) => !now.has(id));
  const changed = [...now.keys()].filter((id) => was.has(id) && was.get(id) !== now.get(id));
  if (added.length + removed.length + changed.length > 0)
    detail.volumes = { added, removed, changed, now: after.volumes };
  return detail;
}
