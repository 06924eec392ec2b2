import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { ensureFolderChain } from '../../src/features/folders/folder-tree.js';
import type { Asset, Catalog } from '../../src/ports/catalog.js';

export const DAY = 86_400_000;
export const T0 = Date.UTC(2026, 10, 1);

/** An asset row as processing leaves it; `in` names its folder, which is made if missing. */
export async function seedAsset(
  catalog: Catalog,
  folder: string,
  name: string,
  fields: Partial<Asset> = {},
): Promise<Asset> {
  const { folder: f } = await ensureFolderChain(catalog, folder, SYSTEM_ACTOR, T0);
  const asset: Asset = {
    id: randomUUID(),
    folderId: f.id,
    name,
    sortName: name.toLowerCase(),
    format: name.slice(name.lastIndexOf('.') + 1).toUpperCase(),
    kind: null,
    size: 1000,
    etag: 'etag',
    lakeMtime: T0,
    state: 'ready',
    stateReason: null,
    currentJob: null,
    checksumXxh64: null,
    checksumMd5: null,
    duration: null,
    width: null,
    height: null,
    frameRate: null,
    videoCodec: null,
    audioCodec: null,
    audioTracks: null,
    startTimecode: null,
    uploadedBy: null,
    createdAt: T0,
    updatedAt: T0,
    trashedAt: null,
    trashedFrom: null,
    trashKey: null,
    ...fields,
  };
  await catalog.assets.insert(asset);
  return asset;
}

/** Names of a search reply's items, in order. */
export const names = (body: { items: Array<{ name: string }> }) => body.items.map((i) => i.name);
export const sorted = (list: string[]) => [...list].sort();

/**
 * Asserts the named facets of a search reply, each written as its values with their counts
 * in the reply's order (`['MOV 2', 'MXF 1']`), so one failure shows every facet side by side.
 */
export function expectFacets(
  body: { facets: Record<string, Array<{ value: string; count: number }>> },
  expected: Record<string, string[]>,
): void {
  const actual = Object.fromEntries(
    Object.keys(expected).map((facet) => [
      facet,
      body.facets[facet].map(({ value, count }) => `${value} ${count}`),
    ]),
  );
  expect(actual).toEqual(expected);
}
