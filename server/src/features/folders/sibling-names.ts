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

/**
 * Refuses a new name in `parent` that an existing folder or live asset there already holds,
 * exactly or after NFC and case folding (`Day_02` beside `day_02`, `é` composed beside
 * decomposed): the editors' volumes (SMB, NTFS, APFS) could not hold both.
 *
 * The 409 is one answer, byte for byte, whatever holds the name — a visible or a hidden
 * folder, an asset, a twin of any of them — and repeats only what the caller typed: a taken
 * name cannot be hidden (any file system says so), but its holder's spelling, kind, groups,
 * size or contents must not be learnt by trying names.
 */
export async function requireFreeName(
  deps: { catalog: Catalog; access: AccessPolicy },
  _actor: Actor,
  parent: Pick<Folder, 'id' | 'path'>,
  name: string,
  owner: NameOwner = {},
): Promise<void> {
  const { catalog } = deps;
  const key = nameKey(name);
  const folders = (await catalog.folders.children(parent.id)).filter(
    (f) => f.id !== owner.folderId && nameKey(f.name) === key,
  );
  const taken =
    folders.length > 0 ||
    (await catalog.assets.findLiveByKey(parent.id, key)).some((a) => a.id !== owner.assetId);
  if (taken) throw nameTaken(name, parent.path);
}

/** The one answer for a taken name (see `requireFreeName`). */
export function nameTaken(name: string, where: string): Conflict {
  return new Conflict(`The name "${name}" is taken in ${where}; choose another.`);
}

/** Names in one folder that another name there equals after NFC and case folding. */
export function twinNames(names: string[]): Set<string> {
  const byKey = new Map<string, string[]>();
  for (const n of names) byKey.set(nameKey(n), [...(byKey.get(nameKey(n)) ?? []), n]);
  return new Set([...byKey.values()].filter((group) => group.length > 1).flat());
}
