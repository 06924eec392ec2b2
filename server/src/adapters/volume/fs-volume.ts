import { constants, createReadStream } from 'node:fs';
import { type FileHandle, link, lstat, open, readdir, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Readable } from 'node:stream';
import { crashPoint } from '../../lib/crash-points.js';
import { Invalid, StorageError } from '../../lib/errors.js';
import type {
  CopyWatcher,
  Volume,
  VolumeEntry,
  VolumeFile,
  VolumeSource,
  VolumeTemporary,
} from '../../ports/volume.js';
import { ContainedTree, isLinkError, LinkInTree, type OpenDir } from '../fs/contained-tree.js';
import { THIS_HOST, writerIsGone } from '../fs/writer.js';
import { copyFileAndReadBack, writeAndReadBack } from './verified-write.js';

const HIDDEN_PREFIX = '.dailies-';
const MARKER = '.dailies-volume';
/**
 * `writeTemp`'s names: `.dailies-<asset id>~<host>~<pid>.part`, so whoever finds one knows which
 * process wrote it (older builds wrote `.dailies-<asset id>.part`); nothing else is taken for
 * one. And `check`'s probes.
 */
const TEMP_NAME =
  /^\.dailies-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})(?:~([A-Za-z0-9-]{1,63})~(\d{1,10}))?\.part$/;
const PROBE_NAME = /^\.dailies-probe-(\d{1,10})-\d+$/;
const PROBE_PREFIX = `${HIDDEN_PREFIX}probe-`;
const READ_CHUNK = 1024 * 1024;
const { O_RDONLY, O_RDWR, O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW, O_NONBLOCK } = constants;

/**
 * An edit volume that is a directory on the server host (a mounted SMB/NFS share, a SAN path).
 * Nothing below its root is reached through a symbolic link (ContainedTree): a link an editor
 * put on the share is never written, read or listed through, so no copy, removal, scan or
 * bring-back acts outside the volume.
 */
export class FsVolume implements Volume {
  private readonly tree: ContainedTree;

  constructor(
    readonly id: string,
    private readonly root: string,
  ) {
    this.tree = new ContainedTree(root);
  }

  describe(): string {
    return this.root;
  }

  async check(): Promise<void> {
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(this.root)).isDirectory();
    } catch (error) {
      throw new StorageError(`The volume "${this.id}" is not mounted: ${this.root} does not exist.`, error);
    }
    if (!isDirectory) throw new StorageError(`The volume "${this.id}" path ${this.root} is not a directory.`);
    const probe = join(this.root, `${PROBE_PREFIX}${process.pid}-${Date.now()}`);
    try {
      const handle = await open(probe, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      try {
        await handle.write('ok');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await unlink(probe);
    } catch (error) {
      throw new StorageError(
        `The volume "${this.id}" at ${this.root} is not writable: ${(error as Error).message}`,
        error,
      );
    }
  }

  async hasMarker(): Promise<boolean> {
    const info = await lstat(join(this.root, MARKER)).catch(() => null);
    return info?.isFile() ?? false;
  }

  /** The file at `path`; null when nothing is there as the volume is read (a link is not a file). */
  async stat(path: string): Promise<VolumeFile | null> {
    // The root is a folder, not a file.
    if (segmentsOf(path).length === 0) return null;
    const { dir, name } = split(path);
    try {
      return await this.tree.withDir(dir, {}, async (open) => {
        const info = await lstat(open.entry(name)).catch((error) => {
          if (isMissing(error)) return null;
          throw error;
        });
        if (!info?.isFile()) return null;
        return { path: join_(dir, name), size: info.size, mtime: Math.floor(info.mtimeMs) };
      });
    } catch (error) {
      if (isMissing(error) || isNotDir(error) || isLinkError(error)) return null;
      throw error;
    }
  }

  async canonicalPath(path: string): Promise<string | null> {
    const segments = segmentsOf(path);
    const names: string[] = [];
    let dir: OpenDir | null = await this.tree.openDir([]).catch(() => null);
    try {
      for (let i = 0; dir && i < segments.length; i++) {
        const name = await spelledOnDisk(dir, segments[i]);
        if (!name) return null;
        names.push(name);
        if (i === segments.length - 1) break;
        const next: OpenDir | null = await this.tree.openChild(dir, name);
        await dir.close();
        dir = next;
      }
      return dir ? names.join('/') : null;
    } finally {
      await dir?.close().catch(() => {});
    }
  }

  async read(path: string): Promise<Readable> {
    const handle = await this.openFile(path);
    return createReadStream('', { fd: handle, highWaterMark: READ_CHUNK });
  }

  /** A file of the volume opened for reading, never through a link; refuses anything but a file. */
  private async openFile(path: string): Promise<FileHandle> {
    const { dir, name } = split(path);
    let handle: FileHandle;
    try {
      // Non-blocking: a named pipe left on the share is refused, not waited on.
      handle = await this.tree.withDir(dir, {}, (open) => openFile(open.entry(name), O_RDONLY | O_NONBLOCK));
    } catch (error) {
      throw this.explain(error, path);
    }
    if (!(await handle.stat()).isFile()) {
      await handle.close();
      throw new Invalid(`"/${join_(dir, name)}" is not a file on the volume.`);
    }
    return handle;
  }

  async discardTemp(path: string, tag: string): Promise<void> {
    const { dir } = split(path);
    // The temporary is named after its writer (host, pid), which may be a killed process.
    const prefix = `${HIDDEN_PREFIX}${tag}~`;
    await this.tree
      .withDir(dir, {}, async (folder) => {
        for (const entry of await readdir(folder.path)) {
          if (entry.startsWith(prefix) && entry.endsWith('.part')) await unlink(folder.entry(entry));
        }
      })
      .catch((error) => {
        if (!isMissing(error) && !isNotDir(error) && !isLinkError(error)) throw error;
      });
  }

  async writeTemp(path: string, tag: string, source: VolumeSource, copy: CopyWatcher): Promise<string> {
    const { dir, name } = split(path);
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(tag))
      throw new Invalid(`"${tag}" cannot name a temporary file.`);
    await this.ensureMarker();
    const tempName = `${HIDDEN_PREFIX}${tag}~${THIS_HOST}~${process.pid}.part`;
    void name;
    try {
      // Every folder on the way is made or entered without following a link.
      await this.tree.withDir(dir, { create: true }, async (folder) => {
        const temp = folder.entry(tempName);
        // What an earlier attempt of this very process left is replaced (unlink never follows).
        await unlink(temp).catch(() => {});
        try {
          if ('file' in source) await copyFileAndReadBack(source.file, temp, copy);
          else await this.writeStream(temp, source.stream, copy);
        } catch (error) {
          // A full volume or a failed read: nothing partial stays behind.
          await unlink(temp).catch(() => {});
          throw error;
        }
      });
    } catch (error) {
      throw this.explain(error, path);
    }
    return join_(dir, tempName);
  }

  private async writeStream(temp: string, body: AsyncIterable<Uint8Array>, copy: CopyWatcher): Promise<void> {
    // O_EXCL|O_NOFOLLOW: a name someone made meanwhile, a link included, is never written through.
    const handle = await open(temp, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
    try {
      await writeAndReadBack(handle, body, copy);
    } finally {
      await handle.close().catch(() => {});
    }
  }

  async commit(tempPath: string, path: string): Promise<VolumeFile> {
    const temp = split(tempPath);
    const { dir, name } = split(path);
    if (temp.dir.join('/') !== dir.join('/'))
      throw new Invalid('A temporary file is committed in its own folder.');
    try {
      return await this.tree.withDir(dir, {}, async (folder) => {
        const from = folder.entry(temp.name);
        const to = folder.entry(name);
        try {
          // link() fails with EEXIST instead of replacing (a link there included): a rename that never overwrites.
          await link(from, to);
          await crashPoint('volume.afterLink');
          await unlink(from);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EEXIST') throw error;
          if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS')
            throw error;
          // Shares without hard links: check, then rename (a narrow race another writer could win).
          if (
            await lstat(to).then(
              () => true,
              () => false,
            )
          )
            throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
          await rename(from, to);
        }
        await syncDirectory(folder);
        const info = await lstat(to);
        return { path: join_(dir, name), size: info.size, mtime: Math.floor(info.mtimeMs) };
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error;
      throw this.explain(error, path);
    }
  }

  async delete(path: string): Promise<void> {
    const { dir, name } = split(path);
    try {
      // unlink removes a link itself, never what it points at.
      await this.tree.withDir(dir, {}, (folder) => unlink(folder.entry(name)));
    } catch (error) {
      // Not there as the volume is read (missing, or a folder on the way is a link): nothing to do.
      if (isMissing(error) || isNotDir(error) || isLinkError(error)) return;
      throw error;
    }
  }

  async removeEmptyFolder(path: string): Promise<void> {
    const { dir, name } = split(path);
    try {
      // rmdir never follows a link (ENOTDIR) and never removes a folder with anything in it.
      await this.tree.withDir(dir, {}, (folder) => rmdir(folder.entry(name)));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (
        code === 'ENOTEMPTY' ||
        code === 'EEXIST' ||
        isMissing(error) ||
        isNotDir(error) ||
        isLinkError(error)
      )
        return;
      throw error;
    }
  }

  async list(folder: string): Promise<VolumeEntry[]> {
    const segments = segmentsOf(folder);
    const prefix = segments.join('/');
    let found: Array<VolumeEntry | null>;
    try {
      found = await this.tree.withDir(segments, {}, async (dir) => {
        const names = await readdir(dir.path);
        return Promise.all(
          names
            .filter((name) => !name.startsWith(HIDDEN_PREFIX))
            .map(async (name): Promise<VolumeEntry | null> => {
              const info = await lstat(dir.entry(name)).catch(() => null);
              // Symbolic links are not followed: they could lead off the volume.
              if (!info || !(info.isFile() || info.isDirectory())) return null;
              return {
                name,
                path: prefix ? `${prefix}/${name}` : name,
                type: info.isDirectory() ? 'folder' : 'file',
                size: info.isDirectory() ? 0 : info.size,
                mtime: Math.floor(info.mtimeMs),
              };
            }),
        );
      });
    } catch (error) {
      if (isMissing(error) || isNotDir(error))
        throw new Invalid(`"/${prefix}" is not a folder on the volume.`);
      throw this.explain(error, folder);
    }
    return found
      .filter((e): e is VolumeEntry => e !== null)
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
  }

  async *walk(folder: string): AsyncIterable<VolumeFile> {
    for (const entry of await this.list(folder)) {
      if (entry.type === 'folder') yield* this.walk(entry.path);
      else yield { path: entry.path, size: entry.size, mtime: entry.mtime };
    }
  }

  async *temporaries(): AsyncIterable<VolumeTemporary> {
    // Only names are read (one lstat per temporary): a share holding millions of files stays cheap to sweep.
    const pending: string[][] = [[]];
    while (pending.length > 0) {
      const folder = pending.pop()!;
      const found: VolumeTemporary[] = [];
      await this.tree
        .withDir(folder, {}, async (dir) => {
          for (const entry of await readdir(dir.path, { withFileTypes: true })) {
            // Dirent types never follow a link: a linked folder is not entered.
            if (entry.isDirectory()) {
              if (!entry.name.startsWith(HIDDEN_PREFIX)) pending.push([...folder, entry.name]);
              continue;
            }
            if (!entry.isFile()) continue;
            const temp = TEMP_NAME.exec(entry.name);
            const probe = PROBE_NAME.exec(entry.name);
            if (!temp && !probe) continue;
            const info = await lstat(dir.entry(entry.name)).catch(() => null);
            if (!info?.isFile()) continue;
            // A probe names only its pid, which may be another host's: it waits to be idle.
            const host = temp?.[2];
            const pid = Number(temp?.[3]);
            found.push({
              path: join_(folder, entry.name),
              tag: temp ? temp[1] : null,
              mtime: Math.floor(info.mtimeMs),
              orphaned: writerIsGone(host, pid),
            });
          }
        })
        .catch(() => {});
      yield* found;
    }
  }

  private async ensureMarker(): Promise<void> {
    if (await this.hasMarker()) return;
    try {
      const handle = await open(join(this.root, MARKER), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o644);
      try {
        await handle.write(`Copies Dailies made here are tracked by checksum. Volume id: ${this.id}\n`);
      } finally {
        await handle.close();
      }
    } catch (error) {
      // Another copy made it first; a link in its place is left alone (and scans say the volume looks unmounted).
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }

  /** A link met on the way, or a name that is one, as a person reads it. */
  private explain(error: unknown, path: string): unknown {
    if (isLinkError(error)) {
      const where = error instanceof LinkInTree ? error.path : segmentsOf(path).join('/');
      return new Invalid(`"/${where}" is a symbolic link on the volume; Dailies does not follow links.`);
    }
    if (isMissing(error) || isNotDir(error)) return new Invalid('The path was not found on the volume.');
    return error;
  }
}

/**
 * The name as the directory lists it: `name` itself, or — on a share that ignores case or
 * Unicode form — the one entry the system resolves `name` to. Null when nothing answers.
 */
async function spelledOnDisk(dir: OpenDir, name: string): Promise<string | null> {
  const names = await readdir(dir.path);
  if (names.includes(name)) return name;
  const asked = await lstat(dir.entry(name)).catch(() => null);
  if (!asked) return null;
  const fold = (s: string) => s.normalize('NFC').toLowerCase();
  for (const candidate of names.filter((n) => fold(n) === fold(name))) {
    const info = await lstat(dir.entry(candidate)).catch(() => null);
    if (info && info.ino === asked.ino && info.dev === asked.dev) return candidate;
  }
  return null;
}

/** Opens a file with O_NOFOLLOW: a link as the last name is refused (ELOOP), not followed. */
function openFile(path: string, flags: number): Promise<FileHandle> {
  return open(path, flags | O_NOFOLLOW);
}

/** `/A//B/` → `['A', 'B']`; refuses `..` and backslashes. */
function segmentsOf(path: string): string[] {
  if (path.includes('\\')) throw new Invalid(`The path "${path}" cannot contain "\\".`);
  if (path.includes('\0')) throw new Invalid('A path on the volume cannot contain a NUL character.');
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Invalid(`The path "${path}" cannot contain "..".`);
  return segments;
}

function split(path: string): { dir: string[]; name: string } {
  const segments = segmentsOf(path);
  const name = segments.pop();
  if (!name) throw new Invalid("The volume's root is not a file.");
  return { dir: segments, name };
}

function join_(dir: string[], name: string): string {
  return posix.join(...dir, name);
}

async function syncDirectory(dir: OpenDir): Promise<void> {
  const handle = await open(dir.path, O_RDONLY);
  try {
    await handle.sync();
  } catch {
    // Some network filesystems refuse fsync on a directory; the file itself was synced.
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOENT';
}

function isNotDir(error: unknown): boolean {
  return (error as NodeJS.ErrnoException)?.code === 'ENOTDIR';
}
