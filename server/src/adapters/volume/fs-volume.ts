import { constants, createReadStream } from 'node:fs';
import { access, link, lstat, mkdir, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { dirname, join, posix, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { crashPoint } from '../../lib/crash-points.js';
import { Invalid, StorageError } from '../../lib/errors.js';
import type { CopyWatcher, Volume, VolumeEntry, VolumeFile, VolumeSource } from '../../ports/volume.js';
import { copyFileAndReadBack, writeAndReadBack } from './verified-write.js';

const HIDDEN_PREFIX = '.dailies-';
const MARKER = '.dailies-volume';
/** `writeTemp`'s names, `.dailies-<tag>.part`, and `check`'s probes. */
const TEMP_NAME = /^\.dailies-(.+)\.part$/;
const PROBE_PREFIX = `${HIDDEN_PREFIX}probe-`;
const READ_CHUNK = 1024 * 1024;

/** An edit volume that is a directory on the server host (a mounted SMB/NFS share, a SAN path). */
export class FsVolume implements Volume {
  constructor(
    readonly id: string,
    private readonly root: string,
  ) {}

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
      const handle = await open(probe, 'w');
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
    return access(join(this.root, MARKER), constants.F_OK).then(
      () => true,
      () => false,
    );
  }

  async stat(path: string): Promise<VolumeFile | null> {
    try {
      const info = await lstat(this.abs(path));
      if (!info.isFile()) return null;
      return { path, size: info.size, mtime: Math.floor(info.mtimeMs) };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async read(path: string): Promise<Readable> {
    const file = await this.inside(this.abs(path));
    const stream = createReadStream(file, { highWaterMark: READ_CHUNK });
    // Open errors surface here rather than on first read.
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    return stream;
  }

  async discardTemp(path: string, tag: string): Promise<void> {
    await unlink(this.abs(tempPathOf(path, tag))).catch((error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    });
  }

  async writeTemp(path: string, tag: string, source: VolumeSource, copy: CopyWatcher): Promise<string> {
    const target = this.abs(path);
    await this.ensureMarker();
    await mkdir(dirname(target), { recursive: true });
    const tempPath = tempPathOf(path, tag);
    const temp = this.abs(tempPath);
    try {
      if ('file' in source) await copyFileAndReadBack(source.file, temp, copy);
      else await this.writeStream(temp, source.stream, copy);
    } catch (error) {
      // A full volume or a failed read: nothing partial stays behind.
      await unlink(temp).catch(() => {});
      throw error;
    }
    return tempPath;
  }

  private async writeStream(temp: string, body: AsyncIterable<Uint8Array>, copy: CopyWatcher): Promise<void> {
    // 'w+' truncates what a killed attempt left behind, and reads back what is written.
    const handle = await open(temp, 'w+');
    try {
      await writeAndReadBack(handle, body, copy);
    } finally {
      await handle.close().catch(() => {});
    }
  }

  async commit(tempPath: string, path: string): Promise<VolumeFile> {
    const from = this.abs(tempPath);
    const to = this.abs(path);
    try {
      // link() fails with EEXIST instead of replacing: a rename that never overwrites.
      await link(from, to);
      await crashPoint('volume.afterLink');
      await unlink(from);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') throw error;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
      // Shares without hard links: check, then rename (a narrow race another writer could win).
      if (await this.stat(path)) throw Object.assign(new Error(`${path} exists`), { code: 'EEXIST' });
      await rename(from, to);
    }
    await syncDirectory(dirname(to));
    const info = await stat(to);
    return { path, size: info.size, mtime: Math.floor(info.mtimeMs) };
  }

  async delete(path: string): Promise<void> {
    try {
      await unlink(this.abs(path));
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
  }

  async list(folder: string): Promise<VolumeEntry[]> {
    const prefix = this.abs(folder) === this.root ? '' : clean(folder);
    const dir = await this.inside(this.abs(folder));
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR')
        throw new Invalid(`"/${prefix}" is not a folder on the volume.`);
      throw error;
    }
    const entries = await Promise.all(
      names
        .filter((name) => !name.startsWith(HIDDEN_PREFIX))
        .map(async (name): Promise<VolumeEntry | null> => {
          const info = await lstat(join(dir, name)).catch(() => null);
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
    return entries
      .filter((e): e is VolumeEntry => e !== null)
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'folder' ? -1 : 1));
  }

  async *walk(folder: string): AsyncIterable<VolumeFile> {
    for (const entry of await this.list(folder)) {
      if (entry.type === 'folder') yield* this.walk(entry.path);
      else yield { path: entry.path, size: entry.size, mtime: entry.mtime };
    }
  }

  async *temporaries(idleMs: number): AsyncIterable<{ path: string; tag: string | null; mtime: number }> {
    // Only names are read (no stat per file): a share holding millions of files stays cheap to sweep.
    const pending = [''];
    while (pending.length > 0) {
      const folder = pending.pop()!;
      const entries = await readdir(this.abs(folder), { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = folder ? `${folder}/${entry.name}` : entry.name;
        if (entry.isDirectory()) {
          if (!entry.name.startsWith(HIDDEN_PREFIX)) pending.push(path);
          continue;
        }
        const tag = TEMP_NAME.exec(entry.name)?.[1];
        if (!entry.isFile() || (tag === undefined && !entry.name.startsWith(PROBE_PREFIX))) continue;
        const info = await lstat(this.abs(path)).catch(() => null);
        if (!info || Date.now() - info.mtimeMs < idleMs) continue;
        yield { path, tag: tag ?? null, mtime: Math.floor(info.mtimeMs) };
      }
    }
  }

  private async ensureMarker(): Promise<void> {
    if (await this.hasMarker()) return;
    const handle = await open(join(this.root, MARKER), 'w');
    try {
      await handle.write(`Copies Dailies made here are tracked by checksum. Volume id: ${this.id}\n`);
    } finally {
      await handle.close();
    }
  }

  /** Absolute path of a volume-relative path; refuses anything that climbs out of the root. */
  private abs(path: string): string {
    return join(this.root, ...clean(path).split('/').filter(Boolean));
  }

  /** Follows symbolic links and refuses a target outside the volume. */
  private async inside(absolute: string): Promise<string> {
    let real: string;
    try {
      real = await realpath(absolute);
    } catch (error) {
      if (isMissing(error)) throw new Invalid('The path was not found on the volume.');
      throw error;
    }
    const root = await realpath(this.root);
    if (real !== root && !real.startsWith(root + sep))
      throw new Invalid('The path leads outside the volume.');
    return real;
  }
}

/** `/A//B/` → `A/B`; refuses `..` and backslashes. */
function clean(path: string): string {
  if (path.includes('\\')) throw new Invalid(`The path "${path}" cannot contain "\\".`);
  const segments = path.split('/').filter((s) => s !== '' && s !== '.');
  if (segments.includes('..')) throw new Invalid(`The path "${path}" cannot contain "..".`);
  return segments.join('/');
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
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

/** Where `writeTemp` keeps the copy of `path` tagged `tag`: hidden, beside it, reused by a retry. */
function tempPathOf(path: string, tag: string): string {
  return posix.join(posix.dirname(path), `${HIDDEN_PREFIX}${tag}.part`);
}
