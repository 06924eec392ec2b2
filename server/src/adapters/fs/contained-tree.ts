import { constants, existsSync, lstatSync, realpathSync } from 'node:fs';
import { type FileHandle, lstat, mkdir, open, readdir, rmdir, unlink } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';

const { O_RDONLY, O_DIRECTORY, O_NOFOLLOW } = constants;

/**
 * Linux names an open descriptor by a path that keeps meaning that directory whatever is
 * renamed or swapped above it later: resolving `<it>/name` is `openat(fd, name)`. Without it
 * (another system), each directory is named by its path, checked one segment at a time.
 */
const PROC_FD = existsSync('/proc/self/fd') ? '/proc/self/fd' : null;

/** A symbolic link met where Dailies will not follow one; `path` is relative to the tree. */
export class LinkInTree extends Error {
  readonly code = 'ELINK';
  constructor(readonly path: string) {
    super(`"${path}" is a symbolic link; Dailies does not follow links.`);
  }
}

/** A directory of the tree, held open: names under it are reached without following any link above. */
export interface OpenDir {
  /** The directory itself, as a path the system resolves to this very directory. */
  readonly path: string;
  /** The path of an entry directly in this directory (the entry itself may be anything). */
  entry(name: string): string;
  close(): Promise<void>;
}

/**
 * A directory tree (the fs lake, an upload staging area, an edit volume) read and written
 * without ever following a symbolic link below its root: every directory on the way to a name
 * is opened with O_NOFOLLOW from the one above it, so a link planted in the middle of a path
 * — or swapped in after a check — is refused rather than followed out of the tree. The root
 * itself may be a link (an admin chose it).
 */
export class ContainedTree {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  /**
   * Opens the directory at `segments` below the root. A link on the way throws LinkInTree; a
   * missing directory throws ENOENT unless `create` makes it; a file on the way throws ENOTDIR.
   */
  async openDir(segments: readonly string[], options: { create?: boolean } = {}): Promise<OpenDir> {
    checkSegments(segments);
    if (!PROC_FD) return this.openDirByPath(segments, options);
    let handle = await openDirectory(this.root, false);
    try {
      for (let i = 0; i < segments.length; i++) {
        const at = `${fdPath(handle)}/${segments[i]}`;
        const where = () => segments.slice(0, i + 1).join('/');
        let next: FileHandle;
        try {
          next = await openDirectory(at, true);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT' && options.create) {
            await mkdir(at).catch((e) => {
              if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
            });
            next = await openDirectory(at, true).catch((e) => explainOpen(e, at, where()));
          } else return await explainOpen(error, at, where());
        }
        await handle.close();
        handle = next;
      }
    } catch (error) {
      await handle.close().catch(() => {});
      throw error;
    }
    const held = handle;
    const path = fdPath(held);
    return { path, entry: (name) => `${path}/${checkName(name)}`, close: () => held.close() };
  }

  /** Runs `work` with the directory open, closing it after. */
  async withDir<T>(
    segments: readonly string[],
    options: { create?: boolean },
    work: (dir: OpenDir) => Promise<T>,
  ): Promise<T> {
    const dir = await this.openDir(segments, options);
    try {
      return await work(dir);
    } finally {
      await dir.close().catch(() => {});
    }
  }

  /**
   * Removes `name` in `dir`: a file or a link is unlinked (a link's target is never touched), a
   * directory is emptied the same way, one opened directory at a time, then removed.
   */
  async removeEntry(dir: OpenDir, name: string): Promise<void> {
    const path = dir.entry(name);
    const info = await lstat(path).catch((error) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    });
    if (!info) return;
    if (!info.isDirectory()) {
      await unlink(path).catch(ignoreMissing);
      return;
    }
    const inner = await this.openChild(dir, name);
    if (!inner) return;
    try {
      for (const child of await readdir(inner.path)) await this.removeEntry(inner, child);
    } finally {
      await inner.close();
    }
    await rmdir(path).catch(ignoreMissing);
  }

  /** A subdirectory of an open one, or null when it is not a directory (or is a link) any more. */
  async openChild(dir: OpenDir, name: string): Promise<OpenDir | null> {
    if (!PROC_FD) {
      const path = dir.entry(name);
      const info = await lstat(path).catch(() => null);
      if (!info?.isDirectory()) return null;
      return { path, entry: (n) => join(path, checkName(n)), close: async () => {} };
    }
    const handle = await openDirectory(dir.entry(name), true).catch(() => null);
    if (!handle) return null;
    const path = fdPath(handle);
    return { path, entry: (n) => `${path}/${checkName(n)}`, close: () => handle.close() };
  }

  /**
   * The absolute path of `segments`, for tools that take a path (ffmpeg, the kernel's file copy),
   * checked now: no link anywhere below the root, the last segment included. A check, not a
   * guarantee: whoever can write the tree could swap a link in after it; reads through the
   * tree's own methods cannot be redirected that way.
   */
  checkedPathSync(segments: readonly string[]): string {
    checkSegments(segments);
    const path = join(this.root, ...segments);
    if (segments.length === 0) return path;
    const parent = join(this.root, ...segments.slice(0, -1));
    let realRoot: string;
    let realParent: string;
    try {
      realRoot = realpathSync.native(this.root);
      realParent = realpathSync.native(parent);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Missing: whoever opens the path is told so. A loop of links on the way is a link.
      if (code === 'ENOENT' || code === 'ENOTDIR') return path;
      if (code === 'ELOOP') throw new LinkInTree(firstLinkSync(this.root, segments) ?? segments.join('/'));
      throw error;
    }
    if (realParent !== join(realRoot, ...segments.slice(0, -1)))
      throw new LinkInTree(firstLinkSync(this.root, segments) ?? segments.slice(0, -1).join('/'));
    const info = (() => {
      try {
        return lstatSync(path);
      } catch {
        return null;
      }
    })();
    if (info?.isSymbolicLink()) throw new LinkInTree(segments.join('/'));
    return path;
  }

  /** Without /proc: each segment is looked at (lstat) before it is used. Not safe against a swap. */
  private async openDirByPath(segments: readonly string[], options: { create?: boolean }): Promise<OpenDir> {
    let path = this.root;
    for (let i = 0; i < segments.length; i++) {
      path = join(path, segments[i]);
      let info = await lstat(path).catch(() => null);
      if (!info && options.create) {
        await mkdir(path).catch(() => {});
        info = await lstat(path).catch(() => null);
      }
      if (!info) throw Object.assign(new Error(`${path} does not exist`), { code: 'ENOENT' });
      if (info.isSymbolicLink()) throw new LinkInTree(segments.slice(0, i + 1).join('/'));
      if (!info.isDirectory())
        throw Object.assign(new Error(`${path} is not a directory`), { code: 'ENOTDIR' });
    }
    const held = path;
    return { path: held, entry: (name) => join(held, checkName(name)), close: async () => {} };
  }
}

/** True for a LinkInTree, or an open refused because the name was a link (O_NOFOLLOW). */
export function isLinkError(error: unknown): boolean {
  return error instanceof LinkInTree || (error as NodeJS.ErrnoException)?.code === 'ELOOP';
}

function fdPath(handle: FileHandle): string {
  return `${PROC_FD}/${handle.fd}`;
}

async function openDirectory(path: string, noFollow: boolean): Promise<FileHandle> {
  return open(path, O_RDONLY | O_DIRECTORY | (noFollow ? O_NOFOLLOW : 0));
}

/** O_DIRECTORY|O_NOFOLLOW on a link answers ENOTDIR (Linux): look again to say which it was. */
async function explainOpen(error: unknown, at: string, where: string): Promise<never> {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') throw new LinkInTree(where);
  if (code === 'ENOTDIR') {
    const info = await lstat(at).catch(() => null);
    if (info?.isSymbolicLink()) throw new LinkInTree(where);
  }
  throw error;
}

function firstLinkSync(root: string, segments: readonly string[]): string | null {
  let path = root;
  for (let i = 0; i < segments.length; i++) {
    path = join(path, segments[i]);
    try {
      if (lstatSync(path).isSymbolicLink()) return segments.slice(0, i + 1).join('/');
    } catch {
      return null;
    }
  }
  return null;
}

/** Segments come from validated keys; this only stops one from climbing or carrying a separator. */
function checkSegments(segments: readonly string[]): void {
  for (const segment of segments) checkName(segment);
}

function checkName(name: string): string {
  if (
    name === '' ||
    name === '.' ||
    name === '..' ||
    name.includes('/') ||
    name.includes(sep) ||
    name.includes('\0')
  )
    throw Object.assign(new Error(`"${name}" is not a name inside the tree.`), { code: 'EINVAL' });
  return name;
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
}
