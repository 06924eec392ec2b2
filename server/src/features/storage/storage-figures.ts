/** Pure arithmetic over the kept sums: a folder's recursive size, kinds, formats, derivatives, copies. */
import type { ChildFolder, StorageSum, SubtreeSum } from '../../ports/storage.js';

export interface Amount {
  assets: number;
  bytes: number;
}

export interface FolderFigure extends Amount {
  id: string;
  path: string;
  name: string;
  /** Whether visible folders lie below (the page lets one drill down). */
  hasChildren: boolean;
}

const add = (into: Amount, sum: { assets: number; bytes: number }) => {
  into.assets += sum.assets;
  into.bytes += sum.bytes;
};

/**
 * The figures of a folder's subtree from the sums the catalog added up per child folder: only
 * visible folders were counted, so a caller's hidden folders add nothing to any total.
 */
export function subtreeFigures(children: ChildFolder[], sums: SubtreeSum[]) {
  const byChild = new Map<string, FolderFigure>(
    children.map((c) => {
      const name = c.path.split('/').pop()!;
      return [name, { id: c.id, path: c.path, name, assets: 0, bytes: 0, hasChildren: c.hasChildren }];
    }),
  );
  const live: Amount = { assets: 0, bytes: 0 };
  const here: Amount = { assets: 0, bytes: 0 };
  const trash: Amount = { assets: 0, bytes: 0 };
  const kinds = new Map<string, Amount>();
  const formats = new Map<string, Amount & { kind: string }>();
  const derived = new Map<string, Amount>();
  const volumes = new Map<string, Amount>();
  for (const sum of sums) {
    if (sum.part === 'asset' && sum.trashed) add(trash, sum);
    if (sum.part === 'derived') add(mapped(derived, sum.label), sum);
    if (sum.trashed || sum.child === null) continue;
    if (sum.part === 'volume') add(mapped(volumes, sum.label), sum);
    if (sum.part !== 'asset') continue;
    add(live, sum);
    add(mapped(kinds, sum.label), sum);
    const format = formats.get(sum.format) ?? { kind: sum.label, assets: 0, bytes: 0 };
    formats.set(sum.format, format);
    add(format, sum);
    if (sum.child === '') add(here, sum);
    else {
      const child = byChild.get(sum.child);
      if (child) add(child, sum);
    }
  }
  const list = <T extends Amount>(map: Map<string, T>, key: string) =>
    [...map].map(([k, v]) => ({ [key]: k, ...v })).sort((a, b) => b.bytes - a.bytes);
  return {
    live,
    here,
    trash,
    children: [...byChild.values()].sort((a, b) => b.bytes - a.bytes || (a.name < b.name ? -1 : 1)),
    kinds: list(kinds, 'kind') as unknown as Array<Amount & { kind: string }>,
    formats: list(formats, 'format') as unknown as Array<Amount & { kind: string; format: string }>,
    derived: list(derived, 'kind') as unknown as Array<Amount & { kind: string }>,
    volumes,
  };
}

function mapped(map: Map<string, Amount>, key: string): Amount {
  let amount = map.get(key);
  if (!amount) {
    amount = { assets: 0, bytes: 0 };
    map.set(key, amount);
  }
  return amount;
}

/** Sums as comparable text (tests and `dailies storage --check` compare kept sums with a recount). */
export function sumKeys(sums: StorageSum[]): string[] {
  return sums
    .filter((s) => s.assets !== 0 || s.bytes !== 0)
    .map((s) => `${s.folderId}|${s.part}|${s.label}|${s.format}|${s.trashed ? 1 : 0}|${s.assets}|${s.bytes}`)
    .sort();
}
