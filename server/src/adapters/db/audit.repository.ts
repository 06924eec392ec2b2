import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditEntry, AuditRecord, AuditRepository } from '../../ports/catalog.js';
import type { Database } from './database.js';

/** Append-only: there is no update or delete. */
export class KyselyAuditRepository implements AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async record(entry: AuditEntry & { at: number }): Promise<void> {
    await this.db
      .insertInto('auditLog')
      .values({
        id: randomUUID(),
        at: entry.at,
        actorId: entry.actorId,
        actorName: entry.actorName,
        action: entry.action,
        targetType: entry.targetType ?? null,
        targetId: entry.targetId ?? null,
        detail: entry.detail ? JSON.stringify(entry.detail) : null,
        address: entry.address ?? null,
      })
      .execute();
  }

  async list(filter: {
    since?: number;
    until?: number;
    action?: string;
    actorId?: string;
    limit: number;
  }): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('auditLog').selectAll();
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<', filter.until);
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
    const rows = await query.orderBy('at', 'desc').orderBy('id').limit(filter.limit).execute();
    return rows.map((row) => ({ ...row, detail: row.detail ? JSON.parse(row.detail) : null }));
  }
}
