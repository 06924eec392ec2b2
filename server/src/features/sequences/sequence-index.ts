import { createHash } from 'node:crypto';
import { assetKey, nameKey } from '../../lib/paths.js';
import type { Asset, Catalog, Folder } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { EventBus } from '../../ports/events.js';
import type { StoredObject } from '../../ports/object-store.js';
import type { Sequence, SequenceFrame } from '../../ports/sequences.js';
import { newAsset } from '../assets/asset-factory.js';
import type { ProcessingTrigger } from '../indexing/processing-trigger.js';
import { type FrameName, groupFrames, parseFrameName, sequenceKey, sequenceName } from './frame-names.js';

interface Deps {
  catalog: Catalog;
  clock: Clock;
  events: EventBus;
  processing: ProcessingTrigger;
}

/** What one pass changed, for reconcile's report. */
export interface SequencePass {
  added: number;
  changed: number;
  removed: number;
}

/** A lake object that is a frame: not a link (those stay failed assets of their own). */
export function frameOf(object: StoredObject, name: string): FrameName | null {
  return object.unsupported ? null : parseFrameName(name);
}

/**
 * Keeps image sequences in the catalog equal to their frames in the lake. A sequence is one
 * asset; its frames are rows of `sequence_frames`, never assets of their own. A group of one
 * frame is a still under the frame's own name (so it downloads, moves and renames as any file);
 * from two frames on it is named by its range (`plate.[0001-0010].dpx`). Nothing here starts
 * processing: a changed sequence is marked dirty, and `SequenceSettler` queues its probe once
 * the frames have been quiet, so a render writing frame after frame is processed once.
 */
export class SequenceIndex {
  constructor(private readonly deps: Deps) {}

  /** One frame arrived (the watcher, an upload, an import). Returns the asset it now belongs to. */
  async indexFrame(
    folder: Folder,
    name: string,
    frame: FrameName,
    object: StoredObject,
    uploadedBy: string | null,
  ): Promise<Asset> {
    const { catalog } = this.deps;
    const key = sequenceKey(frame);
    const sequence = await catalog.sequences.findByKey(folder.id, key);
    const frames = new Map(
      (sequence ? await catalog.sequences.frames(sequence.assetId) : []).map((f) => [f.number, f]),
    );
    frames.set(frame.number, {
      number: frame.number,
      name,
      size: object.size,
      etag: object.etag,
      mtime: object.mtime,
    });
    const legacy = await catalog.assets.findLive(folder.id, name);
    const outcome = await this.apply(
      folder,
      frame,
      key,
      [...frames.values()],
      legacy && legacy.id !== sequence?.assetId ? [legacy] : [],
      uploadedBy,
    );
    await this.publish(folder.path, outcome);
    return outcome.asset!;
  }

  /** A frame's key vanished from the lake (the caller checked): the sequence loses it. */
  async forgetFrame(folder: Folder, name: string, frame: FrameName): Promise<boolean> {
    const { catalog } = this.deps;
    const sequence = await catalog.sequences.findByKey(folder.id, sequenceKey(frame));
    if (!sequence) return false;
    const frames = await catalog.sequences.frames(sequence.assetId);
    if (!frames.some((f) => f.number === frame.number && f.name === name)) return false;
    const outcome = await this.apply(
      folder,
      frame,
      sequence.groupKey,
      frames.filter((f) => f.number !== frame.number),
      [],
      null,
    );
    await this.publish(folder.path, outcome);
    return true;
  }

  /**
   * Reconcile's part: `frames` are every frame object the listing found (keys), `legacy` the
   * assets that stood at frame keys (stills indexed before they had company). Groups whose
   * asset changed since `started` (an upload meanwhile) are left to the next pass, as are
   * groups with a key `busy` (a step under way).
   */
  async reconcile(
    frames: StoredObject[],
    folders: ReadonlyMap<string, Folder>,
    legacy: ReadonlyMap<string, Asset>,
    started: number,
    busy: (key: string) => boolean,
  ): Promise<SequencePass> {
    const { catalog } = this.deps;
    const pass: SequencePass = { added: 0, changed: 0, removed: 0 };
    const byFolder = new Map<string, Array<{ object: StoredObject; name: string }>>();
    for (const object of frames) {
      const slash = object.key.lastIndexOf('/');
      const path = slash < 0 ? '/' : `/${object.key.slice(0, slash)}`;
      const list = byFolder.get(path) ?? [];
      list.push({ object, name: object.key.slice(slash + 1) });
      byFolder.set(path, list);
    }
    const seen = new Set<string>();
    for (const [path, items] of byFolder) {
      const folder = folders.get(path);
      if (!folder) continue;
      for (const group of groupFrames(items, (i) => i.name).groups) {
        if (group.frames.some((f) => busy(f.item.object.key))) continue;
        const existing = await catalog.sequences.findByKey(folder.id, group.key);
        if (existing) seen.add(existing.assetId);
        const asset = existing ? await catalog.assets.get(existing.assetId) : null;
        if (asset && (asset.updatedAt >= started || asset.trashedAt !== null)) continue;
        const wanted: SequenceFrame[] = group.frames.map(({ number, item }) => ({
          number,
          name: item.name,
          size: item.object.size,
          etag: item.object.etag,
          mtime: item.object.mtime,
        }));
        const stills = group.frames
          .map((f) => legacy.get(f.item.object.key))
          .filter((a): a is Asset => !!a && a.id !== existing?.assetId && a.updatedAt < started);
        const outcome = await this.apply(folder, group.frame, group.key, wanted, stills, null);
        if (outcome.created) pass.added++;
        else if (outcome.changed) pass.changed++;
        pass.removed += outcome.removedIds.length;
        await this.publish(folder.path, outcome);
      }
    }
    // Sequences none of whose frames the listing found.
    const pathOf = new Map([...folders.values()].map((f) => [f.id, f]));
    for (const sequence of await catalog.sequences.all()) {
      if (seen.has(sequence.assetId)) continue;
      const folder = pathOf.get(sequence.folderId);
      const asset = await catalog.assets.get(sequence.assetId);
      if (!folder || !asset || asset.trashedAt !== null || asset.updatedAt >= started) continue;
      const stored = await catalog.sequences.frames(sequence.assetId);
      if (stored.some((f) => busy(assetKey(folder.path, f.name)))) continue;
      const frame = { prefix: sequence.prefix, separator: sequence.separator, extension: sequence.extension };
      const outcome = await this.apply(folder, frame, sequence.groupKey, [], [], null);
      pass.removed += outcome.removedIds.length;
      await this.publish(folder.path, outcome);
    }
    return pass;
  }

  /**
   * Makes the catalog hold `frames` (the whole group as the lake has it) as one asset of
   * `folder`: made, renamed, resized, emptied (deleted). `stills` are assets at frame keys that
   * the sequence takes over: the first becomes the sequence (its id kept), the others go.
   */
  private async apply(
    folder: Folder,
    frame: Pick<FrameName, 'prefix' | 'separator' | 'extension'>,
    key: string,
    frames: SequenceFrame[],
    stills: Asset[],
    uploadedBy: string | null,
  ): Promise<Outcome> {
    const { catalog, clock } = this.deps;
    const now = clock.now();
    const outcome: Outcome = { asset: null, created: false, changed: false, removedIds: [] };
    let sequence = await catalog.sequences.findByKey(folder.id, key);
    let asset = sequence ? await catalog.assets.get(sequence.assetId) : null;
    if (sequence && !asset) sequence = null;
    frames.sort((a, b) => a.number - b.number);
    if (frames.length === 0) {
      if (asset) {
        await catalog.assets.delete([asset.id]);
        outcome.removedIds.push(asset.id);
      }
      return outcome;
    }
    const padding = Number(key.slice(key.lastIndexOf('/') + 1));
    const shown =
      frames.length === 1
        ? frames[0].name
        : sequenceName(frame, frames[0].number, frames[frames.length - 1].number, padding);
    const aggregate = {
      size: frames.reduce((sum, f) => sum + f.size, 0),
      etag: etagOf(frames),
      lakeMtime: Math.max(...frames.map((f) => f.mtime)),
    };
    // The stills the sequence takes over leave first, so their names are free.
    const taken = stills.filter((s) => s.id !== asset?.id);
    const base = asset ?? taken.shift() ?? null;
    if (taken.length > 0) {
      await catalog.assets.delete(taken.map((s) => s.id));
      outcome.removedIds.push(...taken.map((s) => s.id));
    }
    const name = await this.freeName(folder, shown, base?.id ?? null, frames.length > 1);
    if (!base) {
      const made = newAsset(
        {
          key: assetKey(folder.path, name),
          size: aggregate.size,
          etag: aggregate.etag,
          mtime: aggregate.lakeMtime,
        },
        folder.id,
        name,
        now,
        { uploadedBy },
      );
      await catalog.assets.insert(made);
      asset = made;
      outcome.created = true;
    } else {
      asset = base;
      if (asset.etag !== aggregate.etag || asset.name !== name || asset.size !== aggregate.size) {
        const patch: Partial<Asset> = {
          name,
          sortName: nameKey(name),
          ...aggregate,
          state: 'pending',
          stateReason: null,
          checksumXxh64: null,
          checksumMd5: null,
          updatedAt: now,
        };
        await catalog.assets.update(asset.id, patch);
        asset = { ...asset, ...patch };
        outcome.changed = true;
      }
    }
    if (!sequence) {
      const row: Sequence = {
        assetId: asset.id,
        folderId: folder.id,
        groupKey: key,
        prefix: frame.prefix,
        separator: frame.separator,
        extension: frame.extension,
        padding,
        frameRate: null,
        dirtyAt: now,
      };
      if (!(await catalog.sequences.insert(row))) {
        // Another process made this group a sequence a moment ago: this asset is a twin of it.
        if (outcome.created) await catalog.assets.delete([asset.id]);
        const winner = await catalog.sequences.findByKey(folder.id, key);
        const theirs = winner ? await catalog.assets.get(winner.assetId) : null;
        if (!theirs) throw new Error('A sequence vanished while its frames were indexed; indexing again.');
        return this.apply(folder, frame, key, frames, outcome.created ? [] : [asset], uploadedBy);
      }
    }
    const stored = new Map((await catalog.sequences.frames(asset.id)).map((f) => [f.number, f]));
    const put = frames.filter((f) => {
      const old = stored.get(f.number);
      stored.delete(f.number);
      return (
        !old || old.name !== f.name || old.size !== f.size || old.etag !== f.etag || old.mtime !== f.mtime
      );
    });
    await catalog.sequences.putFrames(asset.id, put);
    await catalog.sequences.removeFrames(asset.id, [...stored.keys()]);
    if (outcome.created || outcome.changed) await catalog.sequences.markDirty([asset.id], now);
    outcome.asset = asset;
    return outcome;
  }

  /**
   * The shown name, unless another live asset holds it exactly (a file really called
   * `plate.[0001-0010].dpx`): then the sequence says what it is in its name.
   */
  private async freeName(
    folder: Folder,
    shown: string,
    self: string | null,
    ranged: boolean,
  ): Promise<string> {
    if (!ranged) return shown;
    const holder = await this.deps.catalog.assets.findLive(folder.id, shown);
    if (!holder || holder.id === self) return shown;
    const dot = shown.lastIndexOf('.');
    return `${shown.slice(0, dot)} (sequence)${shown.slice(dot)}`;
  }

  private async publish(folderPath: string, outcome: Outcome): Promise<void> {
    const { events, processing } = this.deps;
    if (outcome.asset) {
      const type = outcome.created ? 'asset.created' : outcome.changed ? 'asset.changed' : null;
      if (type) events.publish({ type, assetId: outcome.asset.id, folderPath });
    }
    for (const id of outcome.removedIds) events.publish({ type: 'asset.deleted', assetId: id, folderPath });
    if (outcome.removedIds.length > 0) await processing.assetsRemoved(outcome.removedIds);
  }
}

interface Outcome {
  asset: Asset | null;
  created: boolean;
  changed: boolean;
  removedIds: string[];
}

/** One ETag for the whole group: any frame added, removed or rewritten changes it. */
function etagOf(frames: SequenceFrame[]): string {
  const hash = createHash('sha256');
  for (const f of frames) hash.update(`${f.number}\u0000${f.name}\u0000${f.size}\u0000${f.etag}\n`);
  return `seq-${hash.digest('hex').slice(0, 32)}`;
}
