import { Forbidden, Invalid } from '../../lib/errors.js';
import { isWithin, normalizeFolderPath } from '../../lib/paths.js';
import type { Asset, Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { BurnIn, FolderLook } from '../../ports/looks.js';
import { type AccessPolicy, isAdmin } from '../access/access.policy.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { parseCube } from './cube-lut.js';
import { effectiveLook } from './effective-look.js';

/** What processing offers when a look changed: the assets' proxies and thumbnails made again. */
export interface LookRemaker {
  remakeForLook(assets: Asset[]): Promise<number>;
}

interface Deps {
  catalog: Catalog;
  access: AccessPolicy;
  audit: AuditService;
  clock: Clock;
  remaker: LookRemaker;
}

export interface LookSummary {
  lut: { name: string; dimensions: 1 | 3; size: number } | null;
  burnIn: BurnIn;
  updatedAt: string;
}

export interface LookView {
  path: string;
  /** Set on this folder; null when it inherits. */
  own: LookSummary | null;
  /** What its assets get, and from which folder; null when no folder above has one. */
  effective: (LookSummary & { from: string }) | null;
}

export interface LookInput {
  /** A new LUT (`.cube` text), null for none; absent keeps the folder's own LUT. */
  lut?: { name: string; cube: string } | null;
  burnIn: BurnIn;
}

/** The largest LUT file name kept (it is only shown). */
const LUT_NAME_MAX = 200;

/**
 * Dailies looks per folder (a LUT and a burn-in for proxies and thumbnails), inherited down.
 * Only admins (media managers) read or change them; for anyone else a hidden folder is a
 * NotFound as everywhere, a visible one a Forbidden. A change re-makes the derivatives of
 * the assets it reaches.
 */
export class LooksService {
  constructor(private readonly deps: Deps) {}

  async get(actor: Actor, rawPath: string): Promise<LookView> {
    const path = await this.adminFolder(actor, rawPath);
    return this.view(path);
  }

  async set(actor: Actor, rawPath: string, input: LookInput): Promise<LookView & { remade: number }> {
    const { catalog, clock, audit } = this.deps;
    const path = await this.adminFolder(actor, rawPath);
    const folder = (await catalog.folders.getByPath(path))!;
    const [current] = await catalog.looks.getMany([folder.id]);
    let lut = current?.lut ?? null;
    if (input.lut === null) lut = null;
    else if (input.lut !== undefined) {
      const name = input.lut.name.trim();
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      if (name === '' || name.length > LUT_NAME_MAX || /[\u0000-\u001f\u007f]/.test(name))
        throw new Invalid(`The LUT's name must be 1 to ${LUT_NAME_MAX} printable characters.`);
      const parsed = parseCube(input.lut.cube);
      lut = {
        name,
        dimensions: parsed.dimensions,
        size: parsed.size,
        digest: parsed.digest,
        cube: parsed.cube,
      };
    }
    const look: FolderLook = {
      folderId: folder.id,
      lut,
      burnIn: {
        clipName: input.burnIn.clipName === true,
        timecode: input.burnIn.timecode === true,
        frameCounter: input.burnIn.frameCounter === true,
      },
      updatedAt: clock.now(),
      updatedBy: actor.id,
    };
    await catalog.looks.put(look);
    await audit.record(
      actor,
      'folder.look',
      { type: 'folder', id: folder.id },
      {
        path,
        lut: lut ? { name: lut.name, dimensions: lut.dimensions, size: lut.size, digest: lut.digest } : null,
        burnIn: look.burnIn,
      },
    );
    const remade = await this.remake(folder.id, path);
    return { ...(await this.view(path)), remade };
  }

  /** The folder inherits again. */
  async clear(actor: Actor, rawPath: string): Promise<LookView & { remade: number }> {
    const { catalog, audit } = this.deps;
    const path = await this.adminFolder(actor, rawPath);
    const folder = (await catalog.folders.getByPath(path))!;
    const [current] = await catalog.looks.getMany([folder.id]);
    if (!current) return { ...(await this.view(path)), remade: 0 };
    await catalog.looks.delete(folder.id);
    await audit.record(actor, 'folder.look', { type: 'folder', id: folder.id }, { path, inherited: true });
    const remade = await this.remake(folder.id, path);
    return { ...(await this.view(path)), remade };
  }

  private async view(path: string): Promise<LookView> {
    const { catalog } = this.deps;
    const folder = await catalog.folders.getByPath(path);
    const [own] = folder ? await catalog.looks.getMany([folder.id]) : [];
    const effective = await effectiveLook(catalog, path);
    return {
      path,
      own: own ? summary(own) : null,
      effective: effective ? { ...summary(effective), from: effective.from } : null,
    };
  }

  /**
   * Queues the proxies and thumbnails of every asset the change reaches: those in the folder
   * and below it, except under a folder with a look of its own (which keeps it).
   */
  private async remake(folderId: string, path: string): Promise<number> {
    const { catalog, remaker } = this.deps;
    const subtree = await catalog.folders.subtree(path);
    const owners = await catalog.looks.withLooks(subtree.map((f) => f.id).filter((id) => id !== folderId));
    const ownerPaths = subtree.filter((f) => owners.has(f.id)).map((f) => f.path);
    const reached = subtree.filter((f) => !ownerPaths.some((owner) => isWithin(f.path, owner)));
    let remade = 0;
    const ids = reached.map((f) => f.id);
    for (let i = 0; i < ids.length; i += 500) {
      remade += await remaker.remakeForLook(await catalog.assets.liveInFolders(ids.slice(i, i + 500)));
    }
    return remade;
  }

  private async adminFolder(actor: Actor, rawPath: string): Promise<string> {
    const path = normalizeFolderPath(rawPath);
    await this.deps.access.requireFolder(actor, path);
    if (!isAdmin(actor)) throw new Forbidden('Only admins set a folder’s look.');
    return path;
  }
}

function summary(look: FolderLook): LookSummary {
  return {
    lut: look.lut ? { name: look.lut.name, dimensions: look.lut.dimensions, size: look.lut.size } : null,
    burnIn: look.burnIn,
    updatedAt: new Date(look.updatedAt).toISOString(),
  };
}
