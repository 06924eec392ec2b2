import type { Catalog } from '../../ports/catalog.js';
import type { EventBus } from '../../ports/events.js';
import type { Actor } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';

/**
 * What happened to an asset's copy: written to the audit log, then told to browsers watching
 * its folder. Every copy, removal and drift goes through here, so none is left unaudited or
 * unseen.
 */
export class VolumeChanges {
  constructor(private readonly deps: { catalog: Catalog; audit: AuditService; events: EventBus }) {}

  /** `folderPath` when the caller knows it; else the asset's folder (or where it was trashed from). */
  async record(
    actor: Actor,
    action: string,
    assetId: string,
    detail: Record<string, unknown>,
    folderPath?: string,
  ): Promise<void> {
    await this.deps.audit.record(actor, action, { type: 'asset', id: assetId }, detail);
    if (folderPath !== undefined) {
      this.deps.events.publish({ type: 'asset.changed', assetId, folderPath });
      return;
    }
    const asset = await this.deps.catalog.assets.get(assetId);
    if (!asset) return;
    const folder = await this.deps.catalog.folders.getById(asset.folderId);
    this.deps.events.publish({
      type: 'asset.changed',
      assetId,
      folderPath: folder?.path ?? asset.trashedFrom ?? '/',
    });
  }
}
