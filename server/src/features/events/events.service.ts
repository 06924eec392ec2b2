import type { DailiesEvent, EventBus } from '../../ports/events.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';

interface Deps {
  events: EventBus;
  access: AccessPolicy;
  /** How long one connection trusts a folder decision; permission changes also clear it. */
  cacheMs?: number;
  now?: () => number;
}

export interface EventStream {
  close(): void;
}

/**
 * Live events for one connected actor: every event on the bus, filtered by what that actor may
 * see at the moment it is delivered, in the order raised.
 */
export class EventsService {
  constructor(private readonly deps: Deps) {}

  open(actor: Actor, send: (event: DailiesEvent) => void): EventStream {
    const { events } = this.deps;
    const filter = new ActorFilter(actor, this.deps);
    let chain = Promise.resolve();
    let open = true;
    const unsubscribe = events.subscribe((event) => {
      // Decisions may wait on the catalog; the chain keeps delivery in order.
      chain = chain
        .then(async () => {
          const shown = await filter.shown(event);
          if (open && shown) send(shown);
        })
        .catch(() => {});
    });
    return {
      close: () => {
        open = false;
        unsubscribe();
      },
    };
  }
}

/** What one connection may see, with a short memory so a burst of events costs few queries. */
class ActorFilter {
  private readonly decisions = new Map<string, { visible: boolean; at: number }>();

  constructor(
    private readonly actor: Actor,
    private readonly deps: Deps,
  ) {}

  /**
   * The event as this actor may see it, or null. Each event is rebuilt from the fields its
   * type may carry, so nothing else rides along, and every path in it is one the actor may
   * see: a move out of a hidden folder arrives without where it came from.
   */
  async shown(event: DailiesEvent): Promise<DailiesEvent | null> {
    const { actor } = this;
    const admin = isAdmin(actor);
    switch (event.type) {
      case 'settings.changed':
        return null;
      // Names nothing: everyone reads again what they may see anyway.
      case 'events.missed':
        return { type: 'events.missed' };
      case 'folder.changed':
      case 'folder.created':
      case 'folder.deleted': {
        // Groups may have changed; decide afresh from here on.
        const known = this.decisions.get(event.folderPath)?.visible === true;
        this.decisions.clear();
        const shown = { type: event.type, folderPath: event.folderPath };
        if (admin) return shown;
        // A deleted folder can no longer be checked: tell those who could see it.
        if (event.type === 'folder.deleted') return known ? shown : null;
        return (await this.canSee(event.folderPath)) ? shown : null;
      }
      case 'job.progress': {
        const { jobId, name, done, total, state } = event;
        const base = { type: event.type, jobId, name, done, total, state };
        if (event.folderPath !== undefined) {
          if (!admin && !(await this.canSee(event.folderPath))) return null;
          return {
            ...base,
            folderPath: event.folderPath,
            ...(event.assetId !== undefined ? { assetId: event.assetId } : {}),
          };
        }
        if (!admin && event.actorId !== actor.id) return null;
        return {
          ...base,
          ...(event.actorId !== undefined ? { actorId: event.actorId } : {}),
          ...(event.assetId !== undefined ? { assetId: event.assetId } : {}),
        };
      }
      case 'asset.moved': {
        const { assetId, folderPath, fromFolderPath } = event;
        if (admin) return { type: event.type, assetId, folderPath, fromFolderPath };
        const seesTo = await this.canSee(folderPath);
        const seesFrom = fromFolderPath !== undefined && (await this.canSee(fromFolderPath));
        // Moved in from a hidden folder: it arrives, from nowhere this actor knows.
        if (seesTo)
          return seesFrom
            ? { type: event.type, assetId, folderPath, fromFolderPath }
            : { type: event.type, assetId, folderPath };
        // Moved out of sight: to this actor it is gone, and where it went stays hidden.
        if (seesFrom) return { type: 'asset.deleted', assetId, folderPath: fromFolderPath! };
        return null;
      }
      case 'asset.created':
      case 'asset.changed':
      case 'asset.deleted':
      case 'asset.restored': {
        const shown = { type: event.type, assetId: event.assetId, folderPath: event.folderPath };
        return admin || (await this.canSee(event.folderPath)) ? shown : null;
      }
      case 'note.added':
      case 'note.changed':
      case 'note.deleted': {
        const { assetId, noteId, folderPath } = event;
        return admin || (await this.canSee(folderPath))
          ? { type: event.type, assetId, noteId, folderPath }
          : null;
      }
      case 'volume.prepared': {
        const { volumeId, folderPath, jobId } = event;
        return admin || (await this.canSee(folderPath))
          ? { type: event.type, volumeId, folderPath, jobId }
          : null;
      }
      default:
        // A type this filter does not know is never sent.
        return null;
    }
  }

  private async canSee(path: string): Promise<boolean> {
    const now = (this.deps.now ?? Date.now)();
    const cached = this.decisions.get(path);
    if (cached && now - cached.at < (this.deps.cacheMs ?? 5_000)) return cached.visible;
    const visible = await this.deps.access.canSeeFolder(this.actor, path);
    this.decisions.set(path, { visible, at: now });
    return visible;
  }
}
