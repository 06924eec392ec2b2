/**
 * Whether the server can be reached, as the last request and the event stream found it. A
 * request that got no answer at all (the network or the server is down) or a dropped event
 * stream says offline; any answer, even an error, or the stream opening again says online.
 */
import { useSyncExternalStore } from 'react';

let online = true;
const listeners = new Set<() => void>();

function set(next: boolean) {
  if (next === online) return;
  online = next;
  for (const listener of listeners) listener();
}

export const connectionLost = () => set(false);
export const connectionBack = () => set(true);

export function useOnline(): boolean {
  return useSyncExternalStore(
    (onChange) => {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    () => online,
  );
}
