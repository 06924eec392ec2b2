/**
 * The tiles a treemap draws: the largest items, and beyond `max` one grey tile for the rest, so
 * a root with thousands of day folders stays a readable chart (and a light page). Empty items
 * have no area and are left out.
 */
export interface TileItem {
  id: string;
  label: string;
  value: number;
}

export const REST_TILE_ID = 'rest';

export function treemapTiles<T extends TileItem>(items: T[], max: number): Array<T | TileItem> {
  const shown = items.filter((i) => i.value > 0).sort((a, b) => b.value - a.value);
  if (shown.length <= max) return shown;
  const kept = shown.slice(0, Math.max(max - 1, 0));
  const rest = shown.slice(kept.length);
  const value = rest.reduce((sum, item) => sum + item.value, 0);
  return [...kept, { id: REST_TILE_ID, label: `${rest.length.toLocaleString('en')} others`, value }];
}
