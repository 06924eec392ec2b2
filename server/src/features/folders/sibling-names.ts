import { Conflict } from '../../lib/errors.js';
import { nameKey } from '../../lib/paths.js';
import type { Catalog, Folder } from '../../ports/catalog.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';

/** What is allowed to hold the name already: the thing being renamed or moved itself. */
export interface NameOwner {
  assetId?: string;
  folderId?: string;
}

const VOLUMES = 'the editors’ volumes (SMB, NTFS, APFS) would take them for one name';

/**
 * Refuses a new name in `parent` that an existing folder or live asset there already holds,
 * exactly or after NFC and case folding (`Day_02` beside `day_02`, `é` composed beside
 * decomposed): the editors' volumes could not hold both. The 409 names the other one — unless
 * it is a folder the actor cannot see, which is never named (nor is its spelling hinted).
 */
export async function requireFreeName(
  deps: { catalog: Catalog; access: AccessPolicy },
  actor: Actor,
  parent: Pick<Folder, 'id' | 'path'>,
  name: string,
  owner: NameOwner = {},
): Promise<void> {
  const { catalog, access } = deps;
  const key = nameKey(name);
  const where = parent.path;
  const folders = (await catalog.folders.children(parent.id)).filter(
    (f) => f.id !== owner.folderId && nameKey(f.name) === key,
  );
  if (folders.length > 0) {
    const visible = await access.visibleFolderIds(
      actor,
      folders.map((f) => f.id),
    );
    const shown = folders.find((f) => visible.has(f.id));
    if (!shown) throw new Conflict(`The name "${name}" cannot be used in ${where}; choose another.`);
    throw new Conflict(
      shown.name === name
        ? `A folder named "${name}" already exists in ${where}.`
        : `"${name}" cannot sit beside the folder "${shown.name}" in ${where}: ${VOLUMES}. Choose another name.`,
    );
  }
  const assets = (await catalog.assets.findLiveByKey(parent.id, key)).filter((a) => a.id !== owner.assetId);
  // An asset is visible to whoever sees its folder, and the actor sees `parent`.
  if (assets.length > 0) {
    const other = assets.find((a) => a.name === name) ?? assets[0];
    throw new Conflict(
      other.name === name
        ? `"${name}" already exists in ${where}.`
        : `"${name}" cannot sit beside "${other.name}" in ${where}: ${VOLUMES}. Choose another name.`,
    );
  }
}

/** Names in one folder that another name there equals after NFC and case folding. */
export function twinNames(names: string[]): Set<string> {
  const byKey = new Map<string, string[]>();
  for (const n of names) byKey.set(nameKey(n), [...(byKey.get(nameKey(n)) ?? []), n]);
  return new Set([...byKey.values()].filter((group) => group.length > 1).flat());
}
