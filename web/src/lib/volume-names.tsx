/**
 * Edit volume names by id, for every place that shows where an asset is. The app fills it
 * from the volumes API; shared components read it without depending on that feature.
 */
import { createContext, useCallback, useContext } from 'react';

export const VolumeNamesContext = createContext<ReadonlyMap<string, string>>(new Map());

export function useVolumeName(): (id: string) => string {
  const names = useContext(VolumeNamesContext);
  return useCallback((id: string) => names.get(id) ?? id, [names]);
}

/** Where an asset is, MAPS's `S3` / `S3_FSX` in the product's words: `lake`, `lake + Edit`. */
export function formatLocations(locations: string[], name: (id: string) => string): string {
  return locations.map((l) => (l === 'lake' ? 'lake' : name(l))).join(' + ');
}
