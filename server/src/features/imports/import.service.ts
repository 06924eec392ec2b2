import type { Readable } from 'node:stream';
import { ChecksumStream } from '../../lib/checksums.js';
import { Conflict } from '../../lib/errors.js';
import { assetKey, normalizeFolderPath, validateName } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FoldersService } from '../folders/folders.service.js';
import type { IndexingService } from '../indexing/indexing.service.js';

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  folders: FoldersService;
  indexing: IndexingService;
  audit: AuditService;
}

/** Brings bytes from outside the lake into it as a new asset (CLI import, volume bring-back). */
export class ImportService {
  constructor(private readonly deps: Deps) {}

  /** Writes `body` to `folder/name` in the lake, checksummed as it passes, then indexes it. Never overwrites. */
  async importStream(
    actor: Actor,
    folder: string,
    name: string,
    body: Readable,
    size?: number,
  ): Promise<Asset> {
    const { lake, folders, indexing, audit, catalog } = this.deps;
    const folderPath = normalizeFolderPath(folder);
    validateName(name);
    const target = await folders.ensure(actor, folderPath);
    if (await catalog.assets.findLive(target.id, name))
      throw new Conflict(`"${name}" already exists in ${folderPath}.`);
    const hashing = new ChecksumStream();
    const object = await lake.write(assetKey(folderPath, name), body.pipe(hashing), { size });
    const asset = await indexing.indexObject(object, { actor, checksums: hashing.checksums() });
    await audit.record(
      actor,
      'asset.import',
      { type: 'asset', id: asset.id },
      { folder: folderPath, name, size: object.size },
    );
    return asset;
  }
}
