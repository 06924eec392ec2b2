import type { Readable } from 'node:stream';
import { ChecksumStream } from '../../lib/checksums.js';
import { assetKey, validateName } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { FoldersService } from '../folders/folders.service.js';
import { requireFreeName } from '../folders/sibling-names.js';
import type { IndexingService } from '../indexing/indexing.service.js';

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  folders: FoldersService;
  indexing: IndexingService;
  audit: AuditService;
  access: AccessPolicy;
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
    name = validateName(name);
    const target = await folders.ensure(actor, folder);
    const folderPath = target.path;
    await requireFreeName({ catalog, access: this.deps.access }, actor, target, name);
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
