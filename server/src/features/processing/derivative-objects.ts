import { randomBytes } from 'node:crypto';
import type { Catalog, Derivative, DerivativeKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { DerivativeFile } from '../../ports/media.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { WorkDirs } from '../../ports/work-dirs.js';

/** The sprite as the API serves it, beside the WebVTT that points at it. */
export const FILMSTRIP_SPRITE_NAME = 'filmstrip.jpg';

interface Deps {
  catalog: Catalog;
  derived: ObjectStore;
  clock: Clock;
  workDirs: WorkDirs;
}

/**
 * Derivative objects in the derived store and the catalog rows that name them. Every run writes
 * `<id>/<generation>/<name>` beside what is served, and switches the rows only when it succeeded.
 */
export class DerivativeObjects {
  constructor(private readonly deps: Deps) {}

  /** A new generation name: sorts by time, unique across workers. */
  newGeneration(): string {
    return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
  }

  /**
   * Copies a finished file into the derived store under the asset's id and this run's
   * generation (`<id>/<generation>/<name>`): never where a served derivative, or one a killed
   * run left, already is. The store's writes are atomic; the row is written by `switchTo`.
   */
  async store(
    assetId: string,
    generation: string,
    kind: DerivativeKind,
    name: string,
    made: DerivativeFile & { body?: Buffer },
  ): Promise<Derivative> {
    const { derived, clock } = this.deps;
    const key = `${assetId}/${generation}/${name}`;
    const body = made.body ?? this.deps.workDirs.open(made.file);
    const object = await derived.write(key, body, {
      contentType: made.contentType,
      size: made.body?.length ?? made.sizeBytes,
    });
    return { assetId, kind, key, contentType: made.contentType, size: object.size, createdAt: clock.now() };
  }

  /**
   * The asset's derivatives become this run's: each row now names the new object, then the
   * ones it replaced, and any a killed or failed run of the same kinds left, are deleted.
   */
  async switchTo(assetId: string, made: Derivative[]): Promise<void> {
    const { catalog, derived } = this.deps;
    if (made.length === 0) return;
    const before = await catalog.processing.derivatives([assetId]);
    for (const derivative of made) await catalog.processing.putDerivative(derivative);
    const kinds = new Set(made.map((d) => d.kind));
    const current = new Set((await catalog.processing.derivatives([assetId])).map((d) => d.key));
    const stale = new Set(before.filter((d) => kinds.has(d.kind) && !current.has(d.key)).map((d) => d.key));
    // Objects of these kinds no row names: written by a run that died before its switch.
    for await (const object of derived.listAll(`${assetId}/`)) {
      const kind = kindOfName(object.key.slice(object.key.lastIndexOf('/') + 1));
      if (kind && kinds.has(kind) && !current.has(object.key)) stale.add(object.key);
    }
    for (const key of stale) await derived.delete(key);
    // Their generation's folder, once empty (a directory on an fs store; nothing on S3).
    const folders = new Set([...stale].map((key) => key.slice(0, key.lastIndexOf('/'))));
    for (const folder of folders) {
      if (folder !== assetId) await derived.deleteFolder(folder).catch(() => {});
    }
  }

  /** This run's objects, when it does not switch to them. */
  async discard(made: Derivative[]): Promise<void> {
    for (const derivative of made.splice(0)) await this.deps.derived.delete(derivative.key);
  }

  /** The asset's per-track audio derivatives other than `kept`. */
  async deleteAudioTracksBut(assetId: string, kept: DerivativeKind[]): Promise<void> {
    const existing = await this.deps.catalog.processing.derivatives([assetId]);
    const stale = existing.filter((d) => d.kind.startsWith('audio.') && !kept.includes(d.kind));
    if (stale.length > 0)
      await this.deleteKinds(
        assetId,
        stale.map((d) => d.kind),
      );
  }

  /** Derivatives of kinds a new plan no longer makes. */
  async deleteKinds(assetId: string, kinds: DerivativeKind[]): Promise<void> {
    const { catalog, derived } = this.deps;
    const existing = (await catalog.processing.derivatives([assetId])).filter((d) => kinds.includes(d.kind));
    if (existing.length === 0) return;
    await catalog.processing.deleteDerivatives(
      assetId,
      existing.map((d) => d.kind),
    );
    for (const d of existing) await derived.delete(d.key);
  }
}

/** Which derivative an object of the derived store is, by its file name. */
function kindOfName(name: string): DerivativeKind | null {
  if (name === 'thumbnail.jpg') return 'thumbnail';
  if (name.startsWith('proxy.')) return 'proxy';
  if (name === FILMSTRIP_SPRITE_NAME) return 'filmstrip';
  if (name === 'filmstrip.vtt') return 'filmstrip.vtt';
  if (name === 'waveform.json') return 'waveform';
  const track = /^audio-([1-9]\d{0,2})\.m4a$/.exec(name);
  if (track) return `audio.${Number(track[1])}`;
  return null;
}
