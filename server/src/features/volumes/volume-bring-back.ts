import { posix } from 'node:path';
import { Conflict, Invalid, NotFound } from '../../lib/errors.js';
import { joinFolder, normalizeFolderPath, parentPath } from '../../lib/paths.js';
import type { JobContext, JobRecord } from '../../ports/job-queue.js';
import type { Volume, VolumeEntry } from '../../ports/volume.js';
import { isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { jobActor, requestedBy } from '../access/job-actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ImportService } from '../imports/import.service.js';
import type { VolumeParts } from './volume-jobs.js';

export interface VolumeListing {
  volume: string;
  path: string;
  entries: VolumeEntry[];
}

interface Deps extends VolumeParts {
  audit: AuditService;
  imports: ImportService;
}

/**
 * Browsing a volume and bringing its files into the lake, both by folder rights: what the
 * caller may not see is left out of listings and answers 404 like a missing path.
 */
export class VolumeBringBack {
  constructor(private readonly deps: Deps) {}

  /**
   * A folder of the volume, as the actor may see it: what mirrors a lake folder hidden from
   * them, and copies of assets they cannot see, are left out; such a folder itself looks
   * missing (404).
   */
  async browse(actor: Actor, volumeId: string, path = ''): Promise<VolumeListing> {
    const { volume } = this.deps.registry.require(actor, volumeId);
    const folder = await volume.canonicalPath(path);
    const missing = () =>
      new NotFound(`"/${path.split('/').filter(Boolean).join('/')}" is not a folder on the volume.`);
    if (
      folder === null ||
      (await this.hiddenPaths(actor, volumeId, [{ path: folder, type: 'folder' }])).size > 0
    )
      throw missing();
    let entries: VolumeEntry[];
    try {
      entries = await volume.list(folder);
    } catch (error) {
      if (error instanceof Invalid && error.message.includes('not a folder')) throw missing();
      throw error;
    }
    const hidden = await this.hiddenPaths(actor, volumeId, entries);
    return { volume: volumeId, path: `/${folder}`, entries: entries.filter((e) => !hidden.has(e.path)) };
  }

  async request(actor: Actor, volumeId: string, paths: string[], folder: string): Promise<{ jobId: string }> {
    const { volume } = this.deps.registry.require(actor, volumeId);
    if (paths.length === 0) throw new Invalid('Choose at least one file or folder to bring back.');
    const target = normalizeFolderPath(folder);
    // Write access to the target is checked now (on its deepest existing folder), not only
    // when the job runs: a folder the caller cannot see answers 404 like a missing one.
    let existing: string | null = target;
    while (existing && !(await this.deps.catalog.folders.getByPath(existing)))
      existing = parentPath(existing);
    await this.deps.access.requireFolder(actor, existing ?? '/');
    // Each source is checked as the actor may see it: a copy of a hidden asset, or anything
    // under a lake folder hidden from them, is missing.
    const sources: string[] = [];
    for (const path of paths) {
      const real = await volume.canonicalPath(path);
      const type =
        real === null ? null : (await volume.stat(real)) ? 'file' : await folderOrNothing(volume, real);
      if (
        real === null ||
        type === null ||
        (await this.hiddenPaths(actor, volumeId, [{ path: real, type }])).size > 0
      )
        throw new NotFound(`"${path}" was not found on the volume.`);
      sources.push(real);
    }
    const jobId = await this.deps.jobs.enqueue('volume.import', {
      ...requestedBy(actor),
      volumeId,
      paths: sources,
      folder: target,
    });
    return { jobId };
  }

  /** The `volume.import` job: each file goes through the import path, checksummed and processed. */
  async run(job: JobRecord<'volume.import'>, context: JobContext): Promise<void> {
    const { imports, audit } = this.deps;
    const { config, volume } = this.deps.registry.configured(job.data.volumeId);
    const actor = await jobActor(job.data, this.deps.actorOf, true);
    const files: Array<{ path: string; size: number; folder: string; name: string }> = [];
    for (const raw of job.data.paths) {
      const path = raw.split('/').filter(Boolean).join('/');
      const file = await volume.stat(path);
      if (file) {
        files.push({ path, size: file.size, folder: job.data.folder, name: posix.basename(path) });
        continue;
      }
      const base = posix.basename(path);
      const root = base ? joinFolder(job.data.folder, base) : job.data.folder;
      for await (const f of volume.walk(path)) {
        const relative = path ? f.path.slice(path.length + 1) : f.path;
        const dir = posix.dirname(relative);
        files.push({
          path: f.path,
          size: f.size,
          folder: dir === '.' ? root : `${root}/${dir}`,
          name: posix.basename(f.path),
        });
      }
    }
    // Checked again as the job runs: rights may have changed, and a folder may hold more now.
    const hidden = await this.hiddenPaths(
      actor,
      config.id,
      files.map((f) => ({ path: f.path, type: 'file' as const })),
    );
    const failures: string[] = [];
    const imported: string[] = [];
    const given = new Set(job.data.paths.map((p) => p.split('/').filter(Boolean).join('/')));
    for (const f of files.filter((file) => hidden.has(file.path) && given.has(file.path)))
      failures.push(`${f.path}: not found on the volume.`);
    files.splice(0, files.length, ...files.filter((f) => !hidden.has(f.path)));
    for (let i = 0; i < files.length; i++) {
      context.signal.throwIfAborted();
      const f = files[i];
      try {
        const asset = await imports.importStream(actor, f.folder, f.name, await volume.read(f.path), f.size);
        imported.push(asset.id);
      } catch (error) {
        // A retry finds what the earlier attempt already brought in.
        const done =
          error instanceof Conflict && job.attempts > 1 && (await this.sameAsset(f.folder, f.name, f.size));
        if (!done) failures.push(`${f.path}: ${(error as Error).message}`);
      }
      await context.progress(i + 1, files.length);
    }
    await audit.record(
      actor,
      'volume.import',
      { type: 'volume', id: config.id },
      {
        paths: job.data.paths,
        folder: job.data.folder,
        imported: imported.length,
        failed: failures.length,
        assetIds: imported.slice(0, 100),
      },
    );
    if (failures.length > 0)
      throw new Error(
        `${failures.length} of ${files.length} files could not be brought back. ${failures.slice(0, 5).join('; ')}`,
      );
  }

  /**
   * The volume paths the actor may not see (admins: none). A file that is a copy of an asset
   * (its recorded location) follows that asset's folder; any path follows the lake folder it
   * mirrors — for a file its folder, for a folder itself — or, when that folder is not in the
   * lake, the deepest one above it that is. Both rules, so neither a copy whose asset moved
   * nor a file an editor put beside copies of hidden footage gets through.
   */
  private async hiddenPaths(
    actor: Actor,
    volumeId: string,
    entries: Array<{ path: string; type: 'file' | 'folder' }>,
  ): Promise<Set<string>> {
    const hidden = new Set<string>();
    if (isAdmin(actor) || entries.length === 0) return hidden;
    const { catalog, access, locations } = this.deps;
    const files = entries.filter((e) => e.type === 'file').map((e) => e.path);
    // A sequence's copy is a folder of frames: the folder, and a file in it, follow that asset too.
    const parentOf = (path: string) => path.slice(0, Math.max(0, path.lastIndexOf('/')));
    const folderPaths = entries.filter((e) => e.type === 'folder').map((e) => e.path);
    const copies = await locations.atPaths(volumeId, [...files, ...folderPaths, ...files.map(parentOf)]);
    if (copies.length > 0) {
      const assets = await catalog.assets.getMany([...new Set(copies.map((c) => c.assetId))]);
      const visible = new Set((await access.filterAssets(actor, assets)).map((a) => a.id));
      const known = new Set(assets.map((a) => a.id));
      const hiddenCopies = new Set(
        copies.filter((c) => known.has(c.assetId) && !visible.has(c.assetId)).map((c) => c.path),
      );
      for (const entry of entries)
        if (hiddenCopies.has(entry.path) || (entry.type === 'file' && hiddenCopies.has(parentOf(entry.path))))
          hidden.add(entry.path);
    }
    const mirrored = new Map<string, string>();
    for (const entry of entries) {
      const segments = entry.path.split('/').filter(Boolean);
      if (entry.type === 'file') segments.pop();
      mirrored.set(entry.path, `/${segments.join('/')}`);
    }
    const candidates = new Set<string>();
    for (const folder of mirrored.values())
      for (let p: string | null = folder; p && p !== '/'; p = parentPath(p)) candidates.add(p);
    const inLake = new Set<string>();
    const all = [...candidates];
    // In chunks: a folder of the volume may hold more subfolders than a statement takes parameters.
    for (let i = 0; i < all.length; i += 500)
      for (const f of await catalog.folders.getManyByPaths(all.slice(i, i + 500))) inLake.add(f.path);
    const deepest = new Map<string, string>();
    for (const [path, folder] of mirrored) {
      let p: string | null = folder;
      while (p && p !== '/' && !inLake.has(p)) p = parentPath(p);
      if (p && p !== '/') deepest.set(path, p);
    }
    const visible = new Set<string>();
    const folders = [...new Set(deepest.values())];
    for (let i = 0; i < folders.length; i += 500)
      for (const path of await access.visibleFolderPaths(actor, folders.slice(i, i + 500))) visible.add(path);
    for (const [path, folder] of deepest) if (!visible.has(folder)) hidden.add(path);
    return hidden;
  }

  private async sameAsset(folder: string, name: string, size: number): Promise<boolean> {
    const f = await this.deps.catalog.folders.getByPath(normalizeFolderPath(folder));
    const asset = f ? await this.deps.catalog.assets.findLive(f.id, name) : null;
    return asset?.size === size;
  }
}

/** 'folder' when `path` is a folder of the volume; null when it is nothing the volume lists. */
async function folderOrNothing(volume: Volume, path: string): Promise<'folder' | null> {
  return volume.list(path).then(
    () => 'folder' as const,
    (error) => {
      if (error instanceof Invalid) return null;
      throw error;
    },
  );
}
