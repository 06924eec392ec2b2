import type { RequestedBy } from '../../jobs/types.js';
import { NotFound } from '../../lib/errors.js';
import type { Actor } from './actor.js';

/** The account as it is now: null when it is gone, disabled or waiting for approval. */
export type ActorLookup = (actorId: string) => Promise<Actor | null>;

/** What a job payload says of the person asking (see `RequestedBy`). */
export function requestedBy(actor: Actor): RequestedBy {
  return { actorId: actor.id, actorName: actor.username };
}

/**
 * The person a job acts for, with the rights they have when it runs (an editor removed from a
 * group since asking no longer brings files into its folders). A job that only records who
 * asked goes on when the account is gone, named as it was; one that acts with their rights
 * (`rights: true`) stops.
 */
export async function jobActor(data: RequestedBy, lookup: ActorLookup, rights = false): Promise<Actor> {
  const actor = await lookup(data.actorId);
  if (actor) return actor;
  if (rights)
    throw new NotFound('The account that asked for this job is gone or disabled; nothing was done.');
  return { id: data.actorId, username: data.actorName ?? data.actorId, groups: [], isAdmin: false };
}
