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

  /** The event as this actor may see it, or null. */
  async shown(event: DailiesEvent): Promise<DailiesEvent | null> {
    const { actor } = this;
    if (event.type === 'settings.changed') return null;
    if (
      event.type === 'folder.changed' ||
      event.type === 'folder.created' ||
      event.type === 'folder.deleted'
    ) {
      // Groups may have changed; decide afresh from here on.
      const known = this.decisions.get(event.folderPath)?.visible === true;
      this.decisions.clear();
      if (isAdmin(actor)) return event;
      // A deleted folder can no longer be checked: tell those who could see it.
      if (event.type === 'folder.deleted') return known ? event : null;
      return (await this.canSee(event.folderPath)) ? event : null;
    }
    if (isAdmin(actor)) return event;
    if (event.type === 'job.progress') {
      if (event.folderPath !== undefined) return (await this.canSee(event.folderPath)) ? event : null;
      return event.actorId === actor.id ? event : null;
    }
    if (event.type === 'asset.moved') {
      if (await this.canSee(event.folderPath)) return event;
      // Moved out of sight: to this actor it is gone, and where it went stays hidden.
      if (await this.canSee(event.fromFolderPath)) {
        return { type: 'asset.deleted', assetId: event.assetId, folderPath: event.fromFolderPath };
      }
      return null;
    }
    return (await this.canSee(event.folderPath)) ? event : null;
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
