import type { ObjectStore, StoredObject } from '../../ports/object-store.js';

/**
 * How many heads are in flight at once: enough to hide an S3 round trip (a few ms each), few
 * enough not to crowd the store's connection pool or an fs lake's file handles.
 */
export const HEADS_IN_FLIGHT = 16;

/**
 * Heads each key, `HEADS_IN_FLIGHT` at a time; the answers in the keys' order (null: not there).
 * A reconcile asks this of many keys at once, one by one they would cost a round trip each.
 */
export async function headMany(
  lake: Pick<ObjectStore, 'head'>,
  keys: string[],
): Promise<Array<StoredObject | null>> {
  const heads: Array<StoredObject | null> = [];
  for (let i = 0; i < keys.length; i += HEADS_IN_FLIGHT)
    heads.push(...(await Promise.all(keys.slice(i, i + HEADS_IN_FLIGHT).map((key) => lake.head(key)))));
  return heads;
}
