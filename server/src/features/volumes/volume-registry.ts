import type { VolumeConfig } from '../../config.js';
import { Invalid, NotFound } from '../../lib/errors.js';
import { assetKey, folderSegments, validateName } from '../../lib/paths.js';
import type { LocationRepository, Volume } from '../../ports/volume.js';
import { mayUseVolume } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';

export interface VolumeView {
  id: string;
  name: string;
  displayPath: string;
  groups: string[];
}

/** A configured volume: what the settings say and the opened share. */
export interface OpenedVolume {
  config: VolumeConfig;
  volume: Volume;
}

/**
 * The volumes in use and who may use them. The settings page replaces them while the server
 * runs, so every part asks here rather than keeping its own list.
 */
export class VolumeRegistry {
  private volumes: OpenedVolume[] = [];
  private byId = new Map<string, OpenedVolume>();

  constructor(
    volumes: OpenedVolume[],
    private readonly locations: LocationRepository,
  ) {
    this.replace(volumes);
  }

  /** The volumes saved on the settings page take effect at once; jobs on a dropped one fail, named. */
  replace(volumes: OpenedVolume[]): void {
    this.volumes = [...volumes];
    this.byId = new Map(volumes.map((v) => [v.config.id, v]));
  }

  all(): OpenedVolume[] {
    return this.volumes;
  }

  /** The volumes the actor may use. */
  list(actor: Actor): VolumeView[] {
    return this.volumes.filter((v) => mayUseVolume(actor, v.config)).map((v) => view(v.config));
  }

  /** Extra locations of each asset: the ids of the volumes holding a verified copy. */
  async locationsOf(assetIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    for (const location of await this.locations.forAssets(assetIds)) {
      if (location.state !== 'verified' || !this.byId.has(location.volumeId)) continue;
      const list = out.get(location.assetId) ?? [];
      list.push(location.volumeId);
      out.set(location.assetId, list.sort());
    }
    return out;
  }

  /** The volume, or NotFound when it is not configured or the actor may not use it. */
  require(actor: Actor, volumeId: string): OpenedVolume {
    const entry = this.byId.get(volumeId);
    if (!entry || !mayUseVolume(actor, entry.config))
      throw new NotFound(`The volume "${volumeId}" was not found.`);
    return entry;
  }

  /** The volume a job names; its access was checked when it was asked for. */
  configured(volumeId: string): OpenedVolume {
    const entry = this.byId.get(volumeId);
    if (!entry) throw new NotFound(`The volume "${volumeId}" is no longer configured.`);
    return entry;
  }
}

function view(config: VolumeConfig): VolumeView {
  return { id: config.id, name: config.name, displayPath: config.displayPath, groups: config.groups };
}

/** The asset's path on the volume: its lake path, every segment checked against SMB/NTFS rules. */
export function volumePath(folderPath: string, name: string, config: VolumeConfig): string {
  const key = assetKey(folderPath, name);
  try {
    for (const segment of folderSegments(folderPath)) validateName(segment, 'folder name');
    validateName(name, 'file name');
  } catch (error) {
    if (error instanceof Invalid)
      throw new Invalid(`"/${key}" cannot be copied to ${config.name}: ${error.message}`);
    throw error;
  }
  return key;
}

/** The path as editors see it, e.g. `\\fsx\share\Day 01\A001.mov`. */
export function displayOf(config: VolumeConfig, path: string): string {
  const windows = config.displayPath.includes('\\');
  const separator = windows ? '\\' : '/';
  const base = config.displayPath.replace(/[\\/]+$/, '');
  return `${base}${separator}${windows ? path.replaceAll('/', '\\') : path}`;
}
