import type { Checksums } from '../../lib/checksums.js';
import { crashPoint } from '../../lib/crash-points.js';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import type { IncomingWrites } from '../../lib/incoming-writes.js';
import { assetKey, nameKey, normalizeFolderPath, splitKey, validateName } from '../../lib/paths.js';
import type { Asset, Catalog, LakeIntent } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ObjectStore, StoredObject } from '../../ports/object-store.js';
import type { UploadLocks } from '../../ports/upload-locks.js';
import type { StagedUpload, UploadStore } from '../../ports/upload-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { ensureFolderChain } from '../folders/folder-tree.js';
import type { FoldersService } from '../folders/folders.service.js';
import { requireFreeName } from '../folders/sibling-names.js';
import type { IndexingService } from '../indexing/indexing.service.js';
import { actorDetail, FolderMoveUnderWay, intentActor, type LakeIntents } from '../indexing/lake-intents.js';
import { keepBothName } from './keep-both-name.js';

interface Deps {
  /** The staging of the lake in use (it changes when the lake is swapped on the settings page). */
  store: () => UploadStore;
  /** Shared by every server: tus's locker, and who finishes an upload. */
  locks: UploadLocks;
  catalog: Catalog;
  lake: ObjectStore;
  folders: FoldersService;
  indexing: IndexingService;
  audit: AuditService;
  access: AccessPolicy;
  intents: LakeIntents;
  clock: Clock;
  /** From this size, an upload whose publish is a copy is published after its last PATCH is answered. */
  backgroundPublishBytes: number;
  /** Where a publish that failed after its PATCH was answered is told (it is retried by the sweep or a HEAD). */
  log: (message: string, error?: unknown) => void;
  /** PATCHes whose bytes are arriving, counted for the big pages that make room for them. */
  incoming?: IncomingWrites;
}

/** An upload whose last byte has arrived, as tus read it at the start of that PATCH. */
export interface FinishedUpload {
  id: string;
  size?: number;
  metadata?: UploadMetadata;
}

/** How the last PATCH of an upload ends: the asset made, or the publish under way after the answer. */
export type UploadCompletion = { asset: Asset | null } | { publishing: true };

/** What a client sends in `Upload-Metadata`, and what the server keeps beside it. */
export type UploadMetadata = Record<string, string | null | undefined>;

/**
 * Resumable uploads (tus): the rules around the protocol. Names and the target folder are
 * checked before any byte is accepted; the asset exists only once every byte has arrived and
 * the staged object is published under its final key, never over an existing one.
 */
export class UploadsService {
  /** Finishing uploads by id, so a PATCH, a HEAD and the sweep never publish one twice. */
  private readonly finishing = new Map<string, Promise<Asset | null>>();

  constructor(private readonly deps: Deps) {
    deps.intents.settleWith('upload', (intent) => this.settlePublish(intent));
  }

  /** The locker the tus server takes for each request on an upload. */
  get locks(): UploadLocks {
    return this.deps.locks;
  }

  /** The store the tus server writes through. */
  get store(): UploadStore {
    return this.deps.store();
  }

  /** Handles a request that carries an upload's bytes (a PATCH), counted while it runs. */
  receiving<T>(work: () => Promise<T>): Promise<T> {
    return this.deps.incoming ? this.deps.incoming.during(work) : work();
  }

  /**
   * Creation: validates `filename` and `folder`, makes sure the folder exists (creating missing
   * sub-folders, so a camera card keeps its structure) and the actor may write there, and refuses
   * a name already taken. Returns the metadata to keep with the upload.
   */
  async begin(actor: Actor, metadata: UploadMetadata, size?: number): Promise<Record<string, string>> {
    const { catalog, folders, lake, access } = this.deps;
    const { store } = this;
    if (!metadata.filename) throw new Invalid('The upload needs a "filename" in Upload-Metadata.');
    const keepBoth = duplicateChoice(metadata.duplicate) === KEEP_BOTH;
    const filename = validateName(metadata.filename, 'file name');
    const folder = await folders.ensure(actor, metadata.folder ?? '/');
    const folderPath = folder.path;
    // Keep both: the name is chosen when the bytes are in (`publish`), since another file may take
    // the next free one meanwhile.
    if (!keepBoth) {
      try {
        await requireFreeName({ catalog, access }, actor, folder, filename);
      } catch (error) {
        // The web app asks "keep both, skip or cancel" on this answer, and on no other 409.
        throw error instanceof Conflict ? new Conflict(error.message, NAME_TAKEN) : error;
      }
      if (await lake.head(assetKey(folderPath, filename)))
        throw new Conflict(`"${filename}" already exists in ${folderPath} in the lake.`, NAME_TAKEN);
    }
    if (size !== undefined && store.ensureRoom) await store.ensureRoom(size);
    return {
      filename,
      folder: folderPath,
      uploaderId: actor.id,
      uploaderName: actor.username,
      ...(keepBoth ? { duplicate: KEEP_BOTH } : {}),
    };
  }

  /** Only the actor who created an upload (or an admin) may resume, inspect or cancel it. */
  async authorize(actor: Actor, id: string): Promise<StagedUpload | null> {
    const upload = await this.store.get(id);
    if (!upload) return null;
    if (upload.metadata.uploaderId !== actor.id && !actor.isAdmin) throw new NotFound('No such upload.');
    return upload;
  }

  /**
   * Before a PATCH writes: the uploader's own, and room in the lake for what is still to come.
   * An upload created without a length (creation-defer-length) had no check at creation, so the
   * length it declares now, or else the bytes this request carries, are checked as they come.
   */
  async authorizeWrite(
    actor: Actor,
    id: string,
    sending: { declaredLength?: number; contentLength?: number },
  ): Promise<void> {
    const upload = await this.authorize(actor, id);
    const { store } = this;
    if (!upload || !store.ensureRoom) return;
    const total = upload.size ?? sending.declaredLength;
    const remaining = total !== undefined ? total - upload.offset : (sending.contentLength ?? 1);
    if (Number.isFinite(remaining) && remaining > 0) await store.ensureRoom(remaining);
  }

  /**
   * A client asking where to resume: an upload whose bytes are all here but that is not yet an
   * asset (the server stopped, or publishing failed) is finished now, so "complete" is true.
   */
  async settle(actor: Actor, id: string): Promise<void> {
    const upload = await this.authorize(actor, id);
    // One being published here already (after its last PATCH was answered) is not waited for.
    if (this.finishing.has(id)) return;
    if (upload && !upload.published && upload.size !== undefined && upload.offset === upload.size)
      await this.finish(actor, id);
  }

  /**
   * The last byte has arrived (tus's onUploadFinish). Publishing a large upload whose publish is
   * a copy would hold this PATCH for seconds (a server-side copy of the whole object); it is
   * checked now (a name taken answers 409 as for any upload), started under the finish lock,
   * and the PATCH is answered once the lock is held, so a HEAD anywhere meanwhile says
   * "complete" without starting a second publish. A publish that then fails keeps the bytes
   * for the sweep's or the client's next HEAD, as a failed publish always has.
   */
  async complete(actor: Actor, upload: FinishedUpload): Promise<UploadCompletion> {
    const { store } = this;
    const { id, metadata = {} } = upload;
    if (!store.publishCopies || (upload.size ?? 0) < this.deps.backgroundPublishBytes)
      return { asset: await this.finish(actor, id) };
    if (this.finishing.has(id)) return { publishing: true };
    // Checked from what tus read at the PATCH's start: the staging is read again only when the
    // name is taken, which is also how a retried PATCH of an upload already published looks.
    if (metadata.duplicate !== KEEP_BOTH) {
      const folderPath = normalizeFolderPath(metadata.folder ?? '/');
      const name = validateName(metadata.filename ?? '', 'file name');
      try {
        await this.requireFreeName(folderPath, name);
      } catch (error) {
        if (error instanceof Conflict && (await store.get(id))?.published) return { asset: null };
        if (error instanceof Conflict) await store.discard(id);
        throw error;
      }
    }
    let held!: () => void;
    const holding = new Promise<void>((resolve) => {
      held = resolve;
    });
    const publishing = this.finish(actor, id, held);
    // A storage error keeps the bytes for the sweep or the next HEAD; a name taken meanwhile
    // (the error says so) dropped them, as it would have before the answer.
    publishing.catch((error) => this.deps.log(`upload ${id} was not published after its last PATCH`, error));
    await Promise.race([
      holding,
      publishing.then(
        () => {},
        () => {},
      ),
    ]);
    return { publishing: true };
  }

  /**
   * Every byte has arrived: publish the staged object at its final key, index it, audit it.
   * One server does it: on any other (a HEAD, the sweep, a retried PATCH) it answers null at
   * once, as for an upload already published, and the client's next HEAD finds it complete.
   */
  async finish(actor: Actor, id: string, held?: () => void): Promise<Asset | null> {
    let running = this.finishing.get(id);
    if (!running) {
      running = this.deps.locks
        .finishing(id, () => {
          held?.();
          return this.publish(actor, id);
        })
        .then((outcome) => (outcome.ran ? outcome.value : null))
        .finally(() => this.finishing.delete(id));
      this.finishing.set(id, running);
    }
    return running;
  }

  private async publish(caller: Actor, id: string): Promise<Asset | null> {
    const { store } = this;
    const upload = await store.get(id);
    if (!upload) throw new NotFound('No such upload.');
    if (upload.published) return null;
    const actor = uploaderOf(upload, caller);
    if (upload.size === undefined || upload.offset !== upload.size)
      throw new Conflict('The upload is not complete yet.');
    const name = validateName(upload.metadata.filename ?? '', 'file name');
    const folderPath = normalizeFolderPath(upload.metadata.folder ?? '/');
    if (upload.metadata.duplicate === KEEP_BOTH)
      return this.publishKeepingBoth(actor, upload, folderPath, name);
    try {
      await this.requireFreeName(folderPath, name);
      const checksums = await store.checksums(id);
      // Published and indexed under one intent: a crash between the two ends with this upload's
      // asset (its uploader and checksums), never with the bytes taken for someone else's file.
      // A folder moving over its path is waited out: published meanwhile, the file would stay at
      // the old path in the lake while the catalog carried it along to the new one.
      const intent = await this.deps.intents.beginClearOfMoves(
        'upload',
        {
          fromKey: id,
          toKey: assetKey(folderPath, name),
          detail: { ...actorDetail(actor), uploadId: id, size: upload.size, checksums },
        },
        { wait: true },
      );
      let object: Awaited<ReturnType<UploadStore['publish']>>;
      try {
        // Again: the wait may have let another file take the name.
        await this.requireFreeName(folderPath, name);
        await crashPoint('upload.beforePublish');
        object = await store.publish(id, intent.toKey);
        await crashPoint('upload.afterPublish');
      } catch (error) {
        await this.deps.catalog.intents.remove(intent.id);
        throw error;
      }
      return await this.finishPublish(intent, object, actor, checksums);
    } catch (error) {
      // A name taken meanwhile can never succeed: drop the bytes. Storage errors, and a folder
      // move that outlasted the wait, keep them for a retry (the sweep's or the client's).
      if (error instanceof Conflict && !(error instanceof FolderMoveUnderWay)) await store.discard(id);
      throw error;
    }
  }

  /**
   * Keep both: published under the first free name of `name`, `name (2)`, `name (3)`… Free means
   * no folder, live asset or twin of it in the catalog, no object in the lake, and no other step
   * under way on it. Two uploads of one name finishing at once (in one process or on two
   * servers) each write their intent before reading the others' (written first, read second:
   * at least one sees the other), so they never take one name; one that sees another on its
   * name steps back, waits a moment and looks again. The lake's publish, which never replaces an
   * object, is the last word.
   */
  private async publishKeepingBoth(
    actor: Actor,
    upload: StagedUpload,
    folderPath: string,
    name: string,
  ): Promise<Asset | null> {
    const { store } = this;
    const { catalog, intents } = this.deps;
    const checksums = await store.checksums(upload.id);
    for (let attempt = 0; attempt < KEEP_BOTH_ATTEMPTS; attempt++) {
      const candidate = await this.freeName(actor, folderPath, name);
      const intent = await intents.beginClearOfMoves(
        'upload',
        {
          fromKey: upload.id,
          toKey: assetKey(folderPath, candidate),
          detail: { ...actorDetail(actor), uploadId: upload.id, size: upload.size, checksums },
        },
        { wait: true },
      );
      let object: StoredObject | null = null;
      try {
        // Again, after the intent: the wait, or another upload, may have taken the name.
        if (await this.nameFree(actor, folderPath, candidate, intent.id)) {
          object = await store.publish(upload.id, intent.toKey);
          await crashPoint('upload.afterPublish');
        }
      } catch (error) {
        await catalog.intents.remove(intent.id);
        if (!(error instanceof Conflict)) throw error;
      }
      if (object) return this.finishPublish(intent, object, actor, checksums);
      await catalog.intents.remove(intent.id);
      // A random pause, so two that stepped back from one name do not meet on it again.
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 45));
    }
    throw new Conflict(
      `No free name like "${name}" could be found in ${folderPath} after ${KEEP_BOTH_ATTEMPTS} tries; try again.`,
    );
  }

  /** The first of `name`, `name (2)`, `name (3)`… free in the folder (see `publishKeepingBoth`). */
  private async freeName(actor: Actor, folderPath: string, name: string): Promise<string> {
    for (let n = 1; n <= 10_000; n++) {
      const candidate = n === 1 ? name : keepBothName(name, n);
      if (await this.nameFree(actor, folderPath, candidate)) return candidate;
    }
    throw new Conflict(`Too many files named like "${name}" in ${folderPath}; rename the file first.`);
  }

  private async nameFree(
    actor: Actor,
    folderPath: string,
    name: string,
    ownIntent?: string,
  ): Promise<boolean> {
    const { catalog, access, lake } = this.deps;
    const folder = await catalog.folders.getByPath(folderPath);
    if (folder) {
      try {
        await requireFreeName({ catalog, access }, actor, folder, name);
      } catch (error) {
        if (error instanceof Conflict) return false;
        throw error;
      }
    }
    const key = nameKey(name);
    const held = (await catalog.intents.all()).some((other) => {
      if (other.id === ownIntent || other.kind === 'folder.move') return false;
      return [other.fromKey, other.toKey].some((k) => {
        const split = splitKey(k);
        return split.folderPath === folderPath && nameKey(split.name) === key;
      });
    });
    return !held && !(await lake.head(assetKey(folderPath, name)));
  }

  private async requireFreeName(folderPath: string, name: string): Promise<void> {
    const { catalog } = this.deps;
    const folder = await catalog.folders.getByPath(folderPath);
    if (folder && (await catalog.assets.findLive(folder.id, name)))
      throw new Conflict(`"${name}" already exists in ${folderPath}; the upload was not kept.`);
    // A twin made while the bytes came (another upload of `CLIP.mov`) is refused here too.
    if (folder && (await catalog.assets.findLiveByKey(folder.id, nameKey(name))).length > 0)
      throw new Conflict(
        `A file whose name differs from "${name}" only in case or Unicode form arrived in ${folderPath} meanwhile; the upload was not kept.`,
      );
  }

  private async finishPublish(
    intent: LakeIntent,
    object: StoredObject,
    actor: Actor,
    checksums: Checksums,
  ): Promise<Asset> {
    const { indexing, audit, catalog } = this.deps;
    const { folderPath, name } = splitKey(object.key);
    // A folder moved away since the upload began is made again as the server makes folders (its
    // parent's groups): an upload finished by the sweep or settled after a crash acts for an
    // uploader whose groups are not known here.
    await ensureFolderChain(catalog, folderPath, SYSTEM_ACTOR, this.deps.clock.now());
    const asset = await indexing.indexObject(object, { actor, checksums });
    await catalog.intents.remove(intent.id);
    await audit.record(
      actor,
      'asset.upload',
      { type: 'asset', id: asset.id },
      { folder: folderPath, name, size: object.size, xxh64: checksums.xxh64, md5: checksums.md5 },
    );
    return asset;
  }

  /**
   * An upload cut short between publishing and indexing: the object at its key is this upload's
   * (same size; the publish never replaces a file), so it becomes the uploader's asset with its
   * checksums and the staging is marked published, so a client's HEAD says complete.
   */
  private async settlePublish(intent: LakeIntent): Promise<void> {
    const { lake, catalog } = this.deps;
    const { uploadId, size, checksums } = intent.detail as {
      uploadId: string;
      size: number;
      checksums: Checksums;
    };
    const object = await lake.head(intent.toKey);
    if (object && object.size === size) {
      await this.store.markPublished(uploadId);
      const { folderPath, name } = splitKey(object.key);
      const folder = await catalog.folders.getByPath(folderPath);
      const indexed = folder && (await catalog.assets.findLive(folder.id, name));
      if (!indexed || indexed.checksumXxh64 !== checksums.xxh64) {
        await this.finishPublish(intent, object, intentActor(intent), checksums);
        return;
      }
    }
    await catalog.intents.remove(intent.id);
  }

  /** Waits for the publishes still running after their PATCH was answered (a server stopping). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.finishing.values()]);
  }

  /**
   * Finishes uploads whose bytes all arrived but that never became assets (the server stopped in
   * between), then removes uploads older than the expiry. Run at start and periodically.
   */
  async sweep(
    log: (message: string, error?: unknown) => void = () => {},
  ): Promise<{ finished: number; expired: number }> {
    const { store } = this;
    let finished = 0;
    for (const upload of await store.list()) {
      if (upload.published || upload.size === undefined || upload.offset !== upload.size) continue;
      try {
        if (await this.finish(uploaderOf(upload), upload.id)) finished++;
      } catch (error) {
        log(`upload ${upload.id} could not be finished`, error);
      }
    }
    const expired = await store.deleteExpired((id) => this.finishing.has(id));
    return { finished, expired };
  }
}

/** `duplicate` in Upload-Metadata: what to do when the name is taken. */
const KEEP_BOTH = 'keep-both';
const NAME_TAKEN = { reason: 'name_taken' };
/** Names stepped back from before a keep-both upload gives up (each a moment's pause). */
const KEEP_BOTH_ATTEMPTS = 50;

function duplicateChoice(value: string | null | undefined): 'refuse' | typeof KEEP_BOTH {
  if (value === undefined || value === null || value === '' || value === 'refuse') return 'refuse';
  if (value === KEEP_BOTH) return KEEP_BOTH;
  throw new Invalid('"duplicate" in Upload-Metadata is "keep-both" or "refuse" (the default).');
}

/** The uploader recorded at creation (the caller when it is them); enough to credit and audit the asset. */
function uploaderOf(upload: StagedUpload, caller?: Actor): Actor {
  if (caller && caller.id === upload.metadata.uploaderId) return caller;
  return {
    id: upload.metadata.uploaderId ?? 'system',
    username: upload.metadata.uploaderName ?? 'system',
    groups: [],
    isAdmin: false,
  };
}
