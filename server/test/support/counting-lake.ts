import { pipeline, Transform } from 'node:stream';
import type { ObjectStore } from '../../src/ports/object-store.js';

/**
 * The lake, counting the bytes each key gives out (what processing reads from it): the
 * one-read test checks the counts, the processing bench prints them.
 */
export function countingLake(store: ObjectStore, counts: Map<string, number>): ObjectStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'read') {
        return async (key: string, range?: { start: number; end: number }) => {
          const body = await target.read(key, range);
          const counter = new Transform({
            transform(chunk: Buffer, _encoding, done) {
              counts.set(key, (counts.get(key) ?? 0) + chunk.length);
              done(null, chunk);
            },
          });
          return pipeline(body, counter, () => {});
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
