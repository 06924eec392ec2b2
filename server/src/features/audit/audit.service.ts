import { Forbidden, Invalid } from '../../lib/errors.js';
import type { AuditRecord, AuditRepository } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import { isAdmin } from '../access/access.policy.js';
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
  | 'folder.look'
  | 'folder.permissions'
  | 'settings.change'
  | 'auth.sign_in'
  | 'auth.sign_in_failed'
  | 'auth.sign_out'
  | 'auth.sign_up'
  | 'user.create'
  | 'user.update'
  | 'user.delete'
  | 'user.password'
  | 'group.create'
  | 'group.delete'
  | 'group.member_add'
  | 'group.member_remove'
  | 'token.create'
  | 'token.revoke'
  | 'note.add'
  | 'note.edit'
  | 'note.delete'
  | 'bin.export';

export interface AuditQuery {
  /** ISO 8601 date-times. */
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditEntryView {
  id: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown> | null;
  address: string | null;
}

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
      address: address ?? actor.address ?? null,
    });
  }

  /** Admins only; every matching entry, oldest first (`dailies audit`). */
  async *export(
    actor: Actor,
    filter: { since?: string; until?: string; action?: string; actor?: string },
  ): AsyncIterable<AuditEntryView> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins read the audit log.');
    yield* exportAudit(this.repository, filter);
  }

  /** Admins only; newest first, in pages. */
  async list(
    actor: Actor,
    query: AuditQuery,
  ): Promise<{ items: AuditEntryView[]; nextCursor: string | null }> {
    if (!isAdmin(actor)) throw new Forbidden('Only admins read the audit log.');
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const rows = await this.repository.list({
      since: parseTime(query.since, 'since'),
      until: parseTime(query.until, 'until'),
      action: query.action || undefined,
      actor: query.actor || undefined,
      before: query.cursor ? decodeCursor(query.cursor) : undefined,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toView),
      nextCursor:
        rows.length > limit && last
          ? Buffer.from(JSON.stringify([last.at, last.id])).toString('base64url')
          : null,
    };
  }
}

/** Every entry matching the filter, oldest first, read in pages. */
async function* exportAudit(
  repository: AuditRepository,
  filter: { since?: string; until?: string; action?: string; actor?: string },
): AsyncIterable<AuditEntryView> {
  let after: { at: number; id: string } | undefined;
  for (;;) {
    const rows = await repository.list({
      since: parseTime(filter.since, 'since'),
      until: parseTime(filter.until, 'until'),
      action: filter.action || undefined,
      actor: filter.actor || undefined,
      ascending: true,
      after,
      limit: 1000,
    });
    for (const row of rows) yield toView(row);
    if (rows.length < 1000) return;
    const last = rows[rows.length - 1];
    after = { at: last.at, id: last.id };
  }
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  if (Number.isNaN(time))
    throw new Invalid(`"${name}" is not a date and time (ISO 8601, e.g. 2026-11-27T09:00:00Z).`);
  return time;
}

function decodeCursor(text: string): { at: number; id: string } {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(decoded)) throw new Error('shape');
    const [at, id] = decoded;
    if (!Number.isSafeInteger(at) || typeof id !== 'string' || id.length > 256) throw new Error('shape');
    return { at, id };
  } catch {
    throw new Invalid('The cursor is not valid; start again from the first page.');
  }
}

function toView(row: AuditRecord): AuditEntryView {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    actorId: row.actorId,
    actorName: row.actorName,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    detail: row.detail,
    address: row.address,
  };
}
