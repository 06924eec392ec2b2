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
    const arrived: SequenceFrame = {
      number: frame.number,
      name,
      size: object.size,
      etag: object.etag,
      mtime: object.mtime,
    };
    const legacy = await catalog.assets.findLive(folder.id, name);
    const outcome = await this.apply(
      folder,
      frame,
      key,
      (stored) => [...stored.filter((f) => f.number !== frame.number), arrived],
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
      (stored) => stored.filter((f) => !(f.number === frame.number && f.name === name)),
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
        const outcome = await this.apply(folder, group.frame, group.key, () => wanted, stills, null);
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
      const outcome = await this.apply(folder, frame, sequence.groupKey, () => [], [], null);
      pass.removed += outcome.removedIds.length;
      await this.publish(folder.path, outcome);
    }
    return pass;
  }

  /**
   * Makes the catalog hold the frames `desired` answers (given the frames stored now) as one
   * asset of `folder`: made, renamed, resized, emptied (deleted). `stills` are assets at frame
   * keys that the sequence takes over: the first becomes the sequence (its id kept), the others
   * go. The frames are read and written under the sequence row's lock, so two processes adding
   * frames at once both land and the asset's name, size and ETag are those of all of them.
   */
  private async apply(
    folder: Folder,
    frame: Pick<FrameName, 'prefix' | 'separator' | 'extension'>,
    key: string,
    desired: (stored: SequenceFrame[]) => SequenceFrame[],
    stills: Asset[],
    uploadedBy: string | null,
  ): Promise<Outcome> {
    const { catalog, clock } = this.deps;
    const now = clock.now();
    const outcome: Outcome = { asset: null, created: false, changed: false, removedIds: [] };
    const padding = Number(key.slice(key.lastIndexOf('/') + 1));
    let asset: Asset | null = null;
    let takeOver = stills;
    for (let attempt = 0; attempt < 5 && !asset; attempt++) {
      const sequence = await catalog.sequences.findByKey(folder.id, key);
      const existing = sequence ? await catalog.assets.get(sequence.assetId) : null;
      // The stills the sequence takes over leave first, so their names are free.
      const taken = takeOver.filter((s) => s.id !== existing?.id);
      const base = existing ? null : (taken.shift() ?? null);
      if (taken.length > 0) {
        await catalog.assets.delete(taken.map((s) => s.id));
        outcome.removedIds.push(...taken.map((s) => s.id));
      }
      takeOver = [];
      if (existing) {
        asset = existing;
        break;
      }
      const first = desired([]);
      if (first.length === 0) {
        if (base) await this.deps.catalog.assets.delete([base.id]);
        if (base) outcome.removedIds.push(base.id);
        return outcome;
      }
      let made = base;
      if (!made) {
        const name = await this.freeName(catalog, folder, shownName(frame, first, padding), null);
        made = newAsset(
          { key: assetKey(folder.path, name), ...aggregateOf(first), mtime: aggregateOf(first).lakeMtime },
          folder.id,
          name,
          now,
          { uploadedBy },
        );
        await catalog.assets.insert(made);
      }
      const row: Sequence = {
        assetId: made.id,
        folderId: folder.id,
        groupKey: key,
        prefix: frame.prefix,
        separator: frame.separator,
        extension: frame.extension,
        padding,
        frameRate: null,
        dirtyAt: now,
      };
      if (await catalog.sequences.insert(row)) {
        asset = made;
        outcome.created = !base;
      } else if (base) {
        // Another process made this group a sequence a moment ago: the still goes to it.
        takeOver = [base];
      } else {
        await catalog.assets.delete([made.id]);
      }
    }
    if (!asset) throw new Error('The sequence changed under this index again and again; indexing it later.');
    const self = asset;
    await catalog.transaction(async (trx) => {
      await trx.sequences.lock(self.id);
      const stored = await trx.sequences.frames(self.id);
      const wanted = desired(stored).sort((a, b) => a.number - b.number);
      if (wanted.length === 0) {
        await trx.assets.delete([self.id]);
        outcome.removedIds.push(self.id);
        outcome.created = false;
        return;
      }
      const aggregate = aggregateOf(wanted);
      const name = await this.freeName(trx, folder, shownName(frame, wanted, padding), self.id);
      let current = self;
      if (self.etag !== aggregate.etag || self.name !== name || self.size !== aggregate.size) {
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
        await trx.assets.update(self.id, patch);
        current = { ...self, ...patch };
        outcome.changed = !outcome.created;
      }
      const old = new Map(stored.map((f) => [f.number, f]));
      const put = wanted.filter((f) => {
        const before = old.get(f.number);
        old.delete(f.number);
        return (
          !before ||
          before.name !== f.name ||
          before.size !== f.size ||
          before.etag !== f.etag ||
          before.mtime !== f.mtime
        );
      });
      await trx.sequences.putFrames(self.id, put);
      await trx.sequences.removeFrames(self.id, [...old.keys()]);
      if (outcome.created || outcome.changed || put.length > 0 || old.size > 0)
        await trx.sequences.markDirty([self.id], now);
      outcome.asset = current;
    });
    return outcome;
  }

  /**
   * The shown name, unless another live asset holds it exactly (a file really called
   * `plate.[0001-0010].dpx`): then the sequence says what it is in its name.
   */
  private async freeName(
    catalog: Catalog,
    folder: Folder,
    shown: string,
    self: string | null,
  ): Promise<string> {
    if (!shown.includes('[')) return shown;
    const holder = await catalog.assets.findLive(folder.id, shown);
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

/** The name a group shows: the frame's own while it is one, else its range. */
function shownName(
  frame: Pick<FrameName, 'prefix' | 'separator' | 'extension'>,
  frames: SequenceFrame[],
  padding: number,
): string {
  const sorted = [...frames].sort((a, b) => a.number - b.number);
  return sorted.length === 1
    ? sorted[0].name
    : sequenceName(frame, sorted[0].number, sorted[sorted.length - 1].number, padding);
}

function aggregateOf(frames: SequenceFrame[]): { size: number; etag: string; lakeMtime: number } {
  const sorted = [...frames].sort((a, b) => a.number - b.number);
  return {
    size: sorted.reduce((sum, f) => sum + f.size, 0),
    etag: etagOf(sorted),
    lakeMtime: Math.max(...sorted.map((f) => f.mtime)),
  };
}

/** One ETag for the whole group: any frame added, removed or rewritten changes it. */
function etagOf(frames: SequenceFrame[]): string {
  const hash = createHash('sha256');
  for (const f of frames) hash.update(`${f.number}\u0000${f.name}\u0000${f.size}\u0000${f.etag}\n`);
  return `seq-${hash.digest('hex').slice(0, 32)}`;
}
