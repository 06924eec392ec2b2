import { Conflict } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { ObjectStore } from '../../ports/object-store.js';
import { parseFrameName, sequenceKey } from './frame-names.js';

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
}

/** The folder part of a key, with its slash (`Day 01/`), or '' at the root. */
function dirOf(key: string): string {
  return key.slice(0, key.lastIndexOf('/') + 1);
}

/**
 * An asset's objects in the lake, for the steps that move or delete them (trash, restore, move,
 * empty): one object for most assets, every frame for an image sequence. A step names the
 * asset's key as always (`Day 01/plate.[0001-0010].dpx`, or in the trash); a sequence's frames
 * are the files of its frame list beside that key. Moving frames is one object at a time, so a
 * crash can leave some moved: the step's intent then finishes the move (`finished`), since the
 * person asked for it, rather than leaving frames on both sides.
 */
export class AssetObjects {
  constructor(private readonly deps: Deps) {}

  /** Frame names of a sequence (one or more), null for any other asset. */
  async frames(assetId: string): Promise<string[] | null> {
    const { catalog } = this.deps;
    if (!(await catalog.sequences.get(assetId))) return null;
    return (await catalog.sequences.frames(assetId)).map((f) => f.name);
  }

  /** What the step's intent keeps so the watcher and reconcile leave every frame to it. */
  async intentDetail(assetId: string): Promise<{ frames?: string[] }> {
    const frames = await this.frames(assetId);
    return frames ? { frames } : {};
  }

  /** Whether the asset is whole at `key`. */
  async exists(assetId: string, key: string): Promise<boolean> {
    const frames = await this.frames(assetId);
    if (!frames) return (await this.deps.lake.head(key)) !== null;
    if (frames.length === 0) return false;
    for (const name of frames) if (!(await this.deps.lake.head(`${dirOf(key)}${name}`))) return false;
    return true;
  }

  /** Moves the asset from one key to another; frames already moved (a step taken again) are left. */
  async move(assetId: string, fromKey: string, toKey: string): Promise<void> {
    const { lake } = this.deps;
    const frames = await this.frames(assetId);
    if (!frames) {
      await lake.move(fromKey, toKey);
      return;
    }
    // Every frame's place must be free before the first moves: a move never replaces a file, and
    // one refused half way would leave the sequence in two folders.
    for (const name of frames) {
      if ((await lake.head(`${dirOf(fromKey)}${name}`)) && (await lake.head(`${dirOf(toKey)}${name}`)))
        throw new Conflict(`"${name}" is already where the sequence would go; move or rename it first.`);
    }
    for (const name of frames) {
      const from = `${dirOf(fromKey)}${name}`;
      const to = `${dirOf(toKey)}${name}`;
      if (await lake.head(from)) await lake.move(from, to);
      else if (!(await lake.head(to))) throw new Error(`"${from}" is missing from the lake`);
    }
  }

  /**
   * After a crash: true when the move from `fromKey` to `toKey` happened (a file: it is at the
   * new key and not the old). A sequence with any frame moved has the rest moved now.
   */
  async finished(assetId: string, fromKey: string, toKey: string): Promise<boolean> {
    const { lake } = this.deps;
    const frames = await this.frames(assetId);
    if (!frames) return (await lake.head(toKey)) !== null && !(await lake.head(fromKey));
    // Started when a frame left its place for the new one (one at both is someone else's file).
    let started = false;
    for (const name of frames) {
      if ((await lake.head(`${dirOf(toKey)}${name}`)) && !(await lake.head(`${dirOf(fromKey)}${name}`)))
        started = true;
    }
    if (!started) return false;
    await this.move(assetId, fromKey, toKey);
    return true;
  }

  /** Deletes the asset's objects at `key` (emptying the trash). */
  async deleteAt(assetId: string, key: string): Promise<void> {
    const frames = await this.frames(assetId);
    if (!frames) return this.deps.lake.delete(key);
    for (const name of frames) await this.deps.lake.delete(`${dirOf(key)}${name}`);
  }

  /**
   * A sequence may land in a folder only where no other sequence of the same frames lives (the
   * two would be one): refused before anything moves.
   */
  async requireRoomIn(assetId: string, folderId: string): Promise<void> {
    const { catalog } = this.deps;
    const key = await this.groupKey(assetId);
    if (!key) return;
    const other = await catalog.sequences.findByKey(folderId, key);
    if (other && other.assetId !== assetId)
      throw new Conflict('A sequence of the same frames is already in that folder; move or delete it first.');
  }

  /** The catalog's part once the asset is in the trash: its frames no longer make its folder's group. */
  async trashed(catalog: Catalog, assetId: string): Promise<void> {
    await catalog.sequences.update(assetId, { groupKey: `trashed:${assetId}` });
  }

  /** The catalog's part once the asset is in `folderId` (moved, or restored from the trash). */
  async placed(catalog: Catalog, assetId: string, folderId: string): Promise<void> {
    const key = await this.groupKey(assetId, catalog);
    if (key) await catalog.sequences.update(assetId, { folderId, groupKey: key });
  }

  /** The group a sequence's frames make, from their names. */
  private async groupKey(assetId: string, catalog = this.deps.catalog): Promise<string | null> {
    if (!(await catalog.sequences.get(assetId))) return null;
    const [first] = await catalog.sequences.frames(assetId);
    const frame = first ? parseFrameName(first.name) : null;
    return frame ? sequenceKey(frame) : null;
  }
}
