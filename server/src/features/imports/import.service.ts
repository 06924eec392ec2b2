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
import type { LakeIntents } from '../indexing/lake-intents.js';

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  folders: FoldersService;
  indexing: IndexingService;
  audit: AuditService;
  access: AccessPolicy;
  intents: LakeIntents;
}

/** Brings bytes from outside the lake into it as a new asset (CLI import, volume bring-back). */
export class ImportService {
  constructor(private readonly deps: Deps) {
    // Cut short, the file is either in the lake (reconcile indexes it) or not: nothing to finish.
    deps.intents.settleWith('import', (intent) => deps.catalog.intents.remove(intent.id));
  }

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
    const key = assetKey(folderPath, name);
    // Not into a folder that is moving: written at its old path meanwhile, the file would stay
    // there in the lake while the catalog carried it to the new one. Imports run as jobs or from
    // the command line: they wait the move out.
    const intent = await this.deps.intents.beginClearOfMoves(
      'import',
      { fromKey: key, toKey: key },
      { wait: true },
    );
    let asset: Asset;
    try {
      const hashing = new ChecksumStream();
      const object = await lake.write(key, body.pipe(hashing), { size });
      asset = await indexing.indexObject(object, { actor, checksums: hashing.checksums() });
    } finally {
      await catalog.intents.remove(intent.id);
    }
    await audit.record(
      actor,
      'asset.import',
      { type: 'asset', id: asset.id },
      { folder: folderPath, name, size: asset.size },
    );
    return asset;
  }
}
