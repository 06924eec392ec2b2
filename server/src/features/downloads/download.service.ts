import type { Readable } from 'node:stream';
import { NotFound, Unprocessable } from '../../lib/errors.js';
import { satisfiableRange } from '../../lib/http-range.js';
import { assetKey } from '../../lib/paths.js';
import type { SecretInput } from '../../lib/server-secret.js';
import { signToken, verifyToken } from '../../lib/signing.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ByteRange, ObjectStore } from '../../ports/object-store.js';
import type { AccessPolicy } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import { loadVisibleAssets } from '../assets/asset-access.js';
import type { AuditService } from '../audit/audit.service.js';

export interface DownloadLink {
  id: string;
  name: string;
  url: string;
  expiresAt: string;
}

interface DownloadToken {
  /** asset id */
  a: string;
  /** actor id */
  u: string;
  /** expiry, epoch seconds */
  e: number;
}

interface Deps {
  catalog: Catalog;
  lake: ObjectStore;
  access: AccessPolicy;
  audit: AuditService;
  clock: Clock;
  secret: SecretInput;
  ttlSeconds: number;
  /** Path prefix of the route that serves fs downloads. */
  servePath: string;
  /** The actor a token was minted for, as they are now (null: gone or disabled); the sign-in feature fills it in. */
  actorOf?: (actorId: string) => Promise<Actor | null>;
}

/** Signed, expiring download URLs: presigned on S3, HMAC-signed and served by us on fs. */
export class DownloadService {
  constructor(private readonly deps: Deps) {}

  async links(actor: Actor, ids: string[], address?: string): Promise<DownloadLink[]> {
    const { catalog, lake, access, clock, ttlSeconds, secret, audit, servePath } = this.deps;
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    const expires = Math.floor(clock.now() / 1000) + ttlSeconds;
    const links: DownloadLink[] = [];
    for (const asset of assets) {
      const key = assetKey(folderPaths.get(asset.folderId)!, asset.name);
      const presigned = await lake.signedUrl(key, { expiresInSeconds: ttlSeconds, downloadName: asset.name });
      const token = signToken(
        'download',
        { a: asset.id, u: actor.id, e: expires } satisfies DownloadToken,
        secret,
      );
      links.push({
        id: asset.id,
        name: asset.name,
        url: presigned ?? `${servePath}/${token}`,
        expiresAt: new Date(expires * 1000).toISOString(),
      });
      await audit.record(
        actor,
        'asset.download',
        { type: 'asset', id: asset.id },
        { name: asset.name },
        address,
      );
    }
    return links;
  }

  /**
   * Opens the bytes behind an fs download token, the part a Range header asks for; a bad,
   * expired or stale token is a NotFound.
   */
  async open(
    token: string,
    rangeHeader?: string,
  ): Promise<{ name: string; size: number; stream: Readable; range: ByteRange | null }> {
    const { catalog, lake, clock, secret } = this.deps;
    const payload = verifyToken<DownloadToken>('download', token, secret);
    if (!payload || payload.e * 1000 < clock.now())
      throw new NotFound('This download link is not valid or has expired.');
    const asset = await catalog.assets.get(payload.a);
    const folder = asset && asset.trashedAt === null ? await catalog.folders.getById(asset.folderId) : null;
    if (!asset || !folder) throw new NotFound('This download link is not valid or has expired.');
    // The link carries who it was minted for; it stops working when they lose access.
    if (this.deps.actorOf) {
      const actor = await this.deps.actorOf(payload.u);
      if (!actor || (await this.deps.access.filterAssets(actor, [asset])).length === 0)
        throw new NotFound('This download link is not valid or has expired.');
    }
    const key = assetKey(folder.path, asset.name);
    const object = await lake.head(key);
    if (!object) throw new NotFound('This download link is not valid or has expired.');
    // A link in the lake is shown, never read: its target may be anything on the server.
    if (object.unsupported)
      throw new Unprocessable(`"${asset.name}" cannot be downloaded. ${object.unsupported}`);
    const range = satisfiableRange(rangeHeader, object.size, 'file');
    return { name: asset.name, size: object.size, stream: await lake.read(key, range ?? undefined), range };
  }
}
