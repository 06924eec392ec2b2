import { copyFile, mkdir, mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '../../..');

/**
 * A temporary copy of the project as `bin/dailies.js` sees it: the launcher, package.json,
 * node_modules (linked), and empty `server/src/cli` and `server/dist/cli` for a test to put
 * the entry it wants run. Returns the tree's directory.
 */
export async function launcherTree(prefix: string): Promise<string> {
  const tree = await mkdtemp(join(tmpdir(), prefix));
  await mkdir(join(tree, 'bin'));
  await copyFile(join(ROOT, 'bin/dailies.js'), join(tree, 'bin/dailies.js'));
  await symlink(join(ROOT, 'node_modules'), join(tree, 'node_modules'));
  await copyFile(join(ROOT, 'package.json'), join(tree, 'package.json'));
  await mkdir(join(tree, 'server/src/cli'), { recursive: true });
  await mkdir(join(tree, 'server/dist/cli'), { recursive: true });
  return tree;
}
