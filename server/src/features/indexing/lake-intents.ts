import { randomUUID } from 'node:crypto';
import { Conflict } from '../../lib/errors.js';
import { PROCESS_TAG, processHasEnded } from '../../lib/process-identity.js';
import type { Catalog, LakeIntent, LakeIntentKind } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import { type Actor, SYSTEM_ACTOR } from '../access/actor.js';

/** An intent whose writer may be alive on another machine is settled by others only after this long. */
export const STALE_INTENT_MS = 10 * 60_000;
/** How long a folder move waits for asset steps inside it (each is one request) before it gives up. */
const ASSET_STEPS_WAIT_MS = 30_000;
/** How long a step that waits out a folder move over its path (an upload's publish) waits at most. */
const FOLDER_MOVE_WAIT_MS = 120_000;

/**
 * A step refused because a folder move covers its path: a 409 like any other, but nothing about
 * the step itself is wrong, so what it carries (an upload's bytes) is kept for a later try.
 */
export class FolderMoveUnderWay extends Conflict {
  constructor(move: LakeIntent) {
    super(`The folder "/${move.fromKey}" is being moved to "/${move.toKey}"; try again once it is done.`);
  }
}

/** Looks at the lake and makes the catalog match what happened; removes the intent. Idempotent. */
export type IntentSettler = (intent: LakeIntent) => Promise<void>;

interface Deps {
  catalog: Catalog;
  clock: Clock;
}

/**
 * Durable intents of the steps that change the lake and then the catalog (delete to trash,
 * restore, rename, move, folder move, upload publish). An intent is written before the lake
 * changes and removed in the transaction of the catalog write, so:
 * - after a crash, `recover` finds every step cut short and has its feature settle it: finished
 *   when the lake change happened, forgotten when it did not;
 * - the watcher and reconcile leave the keys of a step under way alone, so a renamed asset keeps
 *   its id and a moved folder its groups instead of being found as new;
 * - a folder move and an asset step inside it never run at once (the asset step is refused,
 *   the folder move waits), since either would write a path the other has just changed.
 */
export class LakeIntents {
  private readonly settlers = new Map<LakeIntentKind, IntentSettler>();

  constructor(private readonly deps: Deps) {}

  /** Each feature says how to settle its own kind. */
  settleWith(kind: LakeIntentKind, settler: IntentSettler): void {
    this.settlers.set(kind, settler);
  }

  async begin(
    kind: LakeIntentKind,
    fields: { assetId?: string; fromKey: string; toKey: string; detail?: Record<string, unknown> },
  ): Promise<LakeIntent> {
    const intent: LakeIntent = {
      id: randomUUID(),
      kind,
      assetId: fields.assetId ?? null,
      fromKey: fields.fromKey,
      toKey: fields.toKey,
      detail: fields.detail ?? {},
      owner: PROCESS_TAG,
      createdAt: this.deps.clock.now(),
    };
    await this.deps.catalog.intents.add(intent);
    return intent;
  }

  /**
   * Begins a step that writes under a folder (an upload's publish, a new folder) only while no
   * folder move covers its keys: the move changes the lake first and the catalog after, so a file
   * or folder written at the old path meanwhile would be carried along by the catalog but not by
   * the lake. Written first, read second, as for asset steps; on finding a move the step takes its
   * intent back (so the move, which waits for steps under its paths, is never held by it) and
   * either answers 409 at once or, with `wait`, waits until the move is done and begins again.
   */
  async beginClearOfMoves(
    kind: LakeIntentKind,
    fields: { assetId?: string; fromKey: string; toKey: string; detail?: Record<string, unknown> },
    options: { wait: boolean },
  ): Promise<LakeIntent> {
    const keys = [fields.fromKey, fields.toKey];
    // Real time: this waits on another request, whatever clock the catalog's records use.
    const deadline = Date.now() + FOLDER_MOVE_WAIT_MS;
    const moveOver = async (ownId: string | null) =>
      (await this.deps.catalog.intents.all()).find(
        (i) => i.id !== ownId && i.kind === 'folder.move' && keys.some((k) => coveredByMove(k, i)),
      );
    for (;;) {
      const intent = await this.begin(kind, fields);
      let move = await moveOver(intent.id);
      if (!move) return intent;
      await this.deps.catalog.intents.remove(intent.id);
      // Reads only while the move goes on: an intent written again and again would hold it up.
      while (move) {
        if (!options.wait || Date.now() > deadline) throw new FolderMoveUnderWay(move);
        await new Promise((resolve) => setTimeout(resolve, 50));
        move = await moveOver(null);
      }
    }
  }

  /**
   * Settles a step that failed part way (the lake may or may not have changed), keeping the
   * original error for the caller. A settle that fails too leaves the intent for `recover`.
   */
  async abandon(intent: LakeIntent): Promise<void> {
    try {
      await this.settle(intent);
    } catch {
      // recover() tries again at the next start or reconcile
    }
  }

  async settle(intent: LakeIntent): Promise<void> {
    const settler = this.settlers.get(intent.kind);
    if (!settler) throw new Error(`No feature settles "${intent.kind}" intents.`);
    await settler(intent);
  }

  /**
   * An asset step (its intent already written) refuses to go on while a folder move covers one
   * of its keys, or another step works on the same asset or the same key (a rename and a delete of
   * one file, two restores to one name). Written first, read second: of two steps that race, at
   * least one sees the other.
   */
  async refuseConflicting(own: LakeIntent): Promise<void> {
    const keys = [own.fromKey, own.toKey];
    for (const other of await this.deps.catalog.intents.all()) {
      if (other.id === own.id) continue;
      if (other.kind === 'folder.move') {
        if (keys.some((k) => coveredByMove(k, other))) throw new FolderMoveUnderWay(other);
      } else if (
        (own.assetId !== null && other.assetId === own.assetId) ||
        keys.includes(other.fromKey) ||
        keys.includes(other.toKey)
      ) {
        throw new Conflict(`"${own.toKey}" is being changed by another request; try again in a moment.`);
      }
    }
  }

  /**
   * A folder move (its intent already written) waits for asset steps under either of its paths,
   * and for an earlier folder move that overlaps it (servers sharing a PostgreSQL run moves side by
   * side): moving `/C` into `/A/X` while `/A` moves to `/B` would make `/A` again in the lake
   * after the first move's lake step, and its catalog step would carry `/A/X` along.
   */
  async waitForAssetSteps(own: LakeIntent): Promise<void> {
    // Real time: this waits on other requests, whatever clock the catalog's records use.
    const deadline = Date.now() + ASSET_STEPS_WAIT_MS;
    const earlier = (i: LakeIntent) =>
      i.createdAt < own.createdAt || (i.createdAt === own.createdAt && i.id < own.id);
    for (;;) {
      const busy = (await this.deps.catalog.intents.all()).filter((i) =>
        i.id === own.id
          ? false
          : i.kind === 'folder.move'
            ? earlier(i) &&
              (coveredByMove(i.fromKey, own) ||
                coveredByMove(i.toKey, own) ||
                coveredByMove(own.fromKey, i) ||
                coveredByMove(own.toKey, i))
            : [i.fromKey, i.toKey].some((k) => coveredByMove(k, own)),
      );
      if (busy.length === 0) return;
      if (Date.now() > deadline)
        throw new Conflict(`Files in "/${own.fromKey}" are being changed; the move will be tried again.`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /**
   * A test for lake keys (an object's, or a folder's without the trailing slash): true when a
   * step under way covers it, so the watcher or reconcile must not judge it now.
   */
  async cover(): Promise<(key: string) => boolean> {
    const intents = await this.deps.catalog.intents.all();
    if (intents.length === 0) return () => false;
    return (key) =>
      intents.some((i) =>
        i.kind === 'folder.move'
          ? coveredByMove(key, i)
          : key === i.fromKey || key === i.toKey || coveredFrame(key, i),
      );
  }

  /**
   * Settles the steps whose process has ended (or that are older than STALE_INTENT_MS, for a
   * process on another machine): at start, and before each reconcile.
   */
  async recover(log: (message: string, error?: unknown) => void = () => {}): Promise<number> {
    const now = this.deps.clock.now();
    let settled = 0;
    for (const intent of await this.deps.catalog.intents.all()) {
      if (intent.owner === PROCESS_TAG) continue;
      if (!processHasEnded(intent.owner) && now - intent.createdAt < STALE_INTENT_MS) continue;
      try {
        await this.settle(intent);
        settled++;
      } catch (error) {
        log(`could not settle the interrupted ${intent.kind} of "${intent.fromKey}"`, error);
      }
    }
    return settled;
  }
}

/**
 * Called by an asset step once its intent is written and clear of folder moves (later ones wait
 * for it): the folders it read are still where it read them. A move that ended in between left
 * its keys stale, and a lake step by a stale key would make the old folder again.
 */
export async function requireFolderPaths(
  catalog: Pick<Catalog, 'folders'>,
  folders: Array<[id: string, path: string]>,
): Promise<void> {
  for (const [id, path] of folders) {
    if ((await catalog.folders.getById(id))?.path !== path)
      throw new Conflict(`The folder "${path}" was moved or removed meanwhile; try again.`);
  }
}

/** `key` is a frame of an image sequence a step moves (features/sequences/sequence-objects.ts). */
function coveredFrame(key: string, step: LakeIntent): boolean {
  const frames = step.detail.frames;
  if (!Array.isArray(frames)) return false;
  const slash = key.lastIndexOf('/');
  const dir = key.slice(0, slash + 1);
  if (
    dir !== step.fromKey.slice(0, step.fromKey.lastIndexOf('/') + 1) &&
    dir !== step.toKey.slice(0, step.toKey.lastIndexOf('/') + 1)
  )
    return false;
  return frames.includes(key.slice(slash + 1));
}

/** `key` lies in the source or the destination of a folder move. */
function coveredByMove(key: string, move: LakeIntent): boolean {
  return within(key, move.fromKey) || within(key, move.toKey);
}

/** `key` is `folder` or lies inside it (both lake keys; a folder's has no trailing slash). */
function within(key: string, folder: string): boolean {
  return folder === '' || key === folder || key.startsWith(`${folder}/`);
}

/** Who asked for the step, as the intent recorded them: enough to credit and audit a settled step. */
export function actorDetail(actor: Actor): Record<string, unknown> {
  return { actorId: actor.id, actorName: actor.username };
}

export function intentActor(intent: LakeIntent): Actor {
  const { actorId, actorName } = intent.detail as { actorId?: string; actorName?: string };
  if (!actorId || actorId === SYSTEM_ACTOR.id) return SYSTEM_ACTOR;
  return { id: actorId, username: actorName ?? actorId, groups: [], isAdmin: false };
}
