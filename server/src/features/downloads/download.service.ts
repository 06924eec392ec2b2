import type { Readable } from 'node:stream';
import { NotFound, Unprocessable } from '../../lib/errors.js';
import { satisfiableRange } from '../../lib/http-range.js';
import { assetKey } from '../../lib/paths.js';
import type { SecretInput } from '../../lib/server-secret.js';
import { signToken, verifyToken } from '../../lib/signing.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { ByteRange, ObjectStore } from '../../ports/object-store.js';
import type { SequenceFrame } from '../../ports/sequences.js';
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
  /** An image sequence's frame number: the link serves that frame. */
  n?: number;
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

  /**
   * One link per asset; an image sequence gives one per frame (its files are its frames), or
   * only the frames `frames` names when given (one id then).
   */
  async links(actor: Actor, ids: string[], address?: string, frames?: number[]): Promise<DownloadLink[]> {
    const { catalog, lake, access, clock, ttlSeconds, secret, audit, servePath } = this.deps;
    const { assets, folderPaths } = await loadVisibleAssets(catalog, access, actor, ids);
    const expires = Math.floor(clock.now() / 1000) + ttlSeconds;
    const links: DownloadLink[] = [];
    const sequenceFrames = await this.sequenceFrames(assets.map((a) => a.id));
    const link = async (assetId: string, key: string, name: string, n?: number) => {
      const presigned = await lake.signedUrl(key, { expiresInSeconds: ttlSeconds, downloadName: name });
      const token = signToken(
        'download',
        { a: assetId, u: actor.id, e: expires, ...(n !== undefined ? { n } : {}) } satisfies DownloadToken,
        secret,
      );
      links.push({
        id: assetId,
        name,
        url: presigned ?? `${servePath}/${token}`,
        expiresAt: new Date(expires * 1000).toISOString(),
      });
    };
    for (const asset of assets) {
      const folderPath = folderPaths.get(asset.folderId)!;
      const own = sequenceFrames.get(asset.id);
      if (frames && !own) throw new NotFound('The asset is not an image sequence.');
      if (own) {
        const wanted = frames ? new Set(frames) : null;
        const chosen = wanted ? own.filter((f) => wanted.has(f.number)) : own;
        if (wanted && chosen.length !== wanted.size) throw new NotFound('The sequence has no such frame.');
        for (const f of chosen) await link(asset.id, assetKey(folderPath, f.name), f.name, f.number);
      } else {
        await link(asset.id, assetKey(folderPath, asset.name), asset.name);
      }
      await audit.record(
        actor,
        'asset.download',
        { type: 'asset', id: asset.id },
        { name: asset.name, ...(own ? { frames: frames ?? 'all' } : {}) },
        address,
      );
    }
    return links;
  }

  /** The frames of those assets that are image sequences of two frames or more. */
  private async sequenceFrames(ids: string[]): Promise<Map<string, SequenceFrame[]>> {
    const { catalog } = this.deps;
    const out = new Map<string, SequenceFrame[]>();
    for (const sequence of await catalog.sequences.getMany(ids)) {
      const frames = await catalog.sequences.frames(sequence.assetId);
      if (frames.length >= 2) out.set(sequence.assetId, frames);
    }
    return out;
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
    let name = asset.name;
    if (payload.n !== undefined) {
      const frame = (await catalog.sequences.frames(asset.id)).find((f) => f.number === payload.n);
      if (!frame) throw new NotFound('This download link is not valid or has expired.');
      name = frame.name;
    }
    const key = assetKey(folder.path, name);
    const object = await lake.head(key);
    if (!object) throw new NotFound('This download link is not valid or has expired.');
    // A link in the lake is shown, never read: its target may be anything on the server.
    if (object.unsupported) throw new Unprocessable(`"${name}" cannot be downloaded. ${object.unsupported}`);
    const range = satisfiableRange(rangeHeader, object.size, 'file');
    return { name, size: object.size, stream: await lake.read(key, range ?? undefined), range };
  }
}
