import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AuditEntry, AuditFilter, AuditRecord, AuditRepository } from '../../ports/catalog.js';
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

  async list(filter: AuditFilter): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('auditLog').selectAll();
    if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
    if (filter.until !== undefined) query = query.where('at', '<', filter.until);
    if (filter.action?.endsWith('*')) {
      // A prefix match without LIKE, whose _ and % would need escaping (action names hold _).
      const prefix = filter.action.slice(0, -1);
      query = query.where(sql<boolean>`substr(action, 1, ${prefix.length}) = ${prefix}`);
    } else if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actor) {
      const actor = filter.actor;
      query = query.where((eb) => eb.or([eb('actorId', '=', actor), eb('actorName', '=', actor)]));
    }
    if (filter.actorId) query = query.where('actorId', '=', filter.actorId);
    if (filter.before) {
      const { at, id } = filter.before;
      query = query.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
    }
    if (filter.after) {
      const { at, id } = filter.after;
      query = query.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
    }
    const order = filter.ascending ? 'asc' : 'desc';
    const rows = await query.orderBy('at', order).orderBy('id', order).limit(filter.limit).execute();
    return rows.map((row) => ({ ...row, detail: row.detail ? JSON.parse(row.detail) : null }));
  }
}
