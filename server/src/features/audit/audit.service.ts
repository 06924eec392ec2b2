import type { AuditRepository } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { Actor } from '../access/actor.js';

export type AuditAction =
  | 'asset.upload'
  | 'asset.import'
  | 'asset.move'
  | 'asset.rename'
  | 'asset.delete'
  | 'asset.restore'
  | 'asset.download'
  | 'trash.empty'
  | 'folder.create'
  | 'folder.move'
  | 'folder.delete'
  | 'folder.permissions'
  | 'settings.change';

/** Who did what, when, from where: append-only. */
export class AuditService {
  constructor(
    private readonly repository: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(
    actor: Actor,
    action: AuditAction | (string & {}),
    target: { type?: string; id?: string } = {},
    detail?: Record<string, unknown>,
    address?: string,
  ): Promise<void> {
    await this.repository.record({
      at: this.clock.now(),
      actorId: actor.id,
      actorName: actor.username,
      action,
      targetType: target.type ?? null,
      targetId: target.id ?? null,
      detail: detail ?? null,
      address: address ?? null,
    });
  }
}
