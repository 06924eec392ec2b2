import { useId, useMemo, useState } from 'react';
import { EmptyState, Skeleton } from '../../../components/feedback';
import { formatDate } from '../../../lib/format';
import { type AuditFilter, useAudit } from '../api/list-audit';

/** The audit log: who uploaded, moved, copied, deleted, downloaded or changed permissions, and when. */
export function AuditPanel() {
  const [action, setAction] = useState('');
  const [actor, setActor] = useState('');
  const [applied, setApplied] = useState<AuditFilter>({});
  const audit = useAudit(applied);
  const entries = useMemo(() => audit.data?.pages.flatMap((p) => p.items) ?? [], [audit.data]);
  const id = useId();
  return (
    <section className="panel panel--wide" aria-labelledby="audit-title">
      <div className="panel__head">
        <h2 id="audit-title" className="panel__title">
          Audit log
        </h2>
      </div>
      <form
        className="filters"
        onSubmit={(event) => {
          event.preventDefault();
          setApplied({ action: action.trim() || undefined, actor: actor.trim() || undefined });
        }}
      >
        <label htmlFor={`${id}-action`} className="form__label">
          Action
        </label>
        <input
          id={`${id}-action`}
          className="input"
          placeholder="asset.* or folder.permissions"
          value={action}
          onChange={(e) => setAction(e.target.value)}
        />
        <label htmlFor={`${id}-actor`} className="form__label">
          User
        </label>
        <input
          id={`${id}-actor`}
          className="input"
          placeholder="username"
          value={actor}
          onChange={(e) => setActor(e.target.value)}
        />
        <button type="submit" className="button">
          Filter
        </button>
      </form>
      <table className="plain-table" aria-label="Audit entries">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">What</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {audit.isLoading &&
            [0, 1, 2, 3].map((i) => (
              <tr key={i}>
                <td colSpan={5}>
                  <Skeleton width="70%" />
                </td>
              </tr>
            ))}
          {entries.map((entry) => (
            <tr key={entry.id}>
              <td className="nowrap">{formatDate(entry.at)}</td>
              <td>{entry.actorName ?? entry.actorId ?? 'system'}</td>
              <td className="mono">{entry.action}</td>
              <td className="audit__detail" title={entry.detail ? JSON.stringify(entry.detail) : undefined}>
                {describe(entry.detail) || (entry.targetId ? `${entry.targetType} ${entry.targetId}` : '—')}
              </td>
              <td className="mono muted">{entry.address ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!audit.isLoading && entries.length === 0 && <EmptyState title="No entries match" />}
      {audit.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={audit.isFetchingNextPage}
          onClick={() => void audit.fetchNextPage()}
        >
          {audit.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
        </button>
      )}
    </section>
  );
}

/** A readable line from an entry's detail: paths and names first. */
function describe(detail: Record<string, unknown> | null): string {
  if (!detail) return '';
  const parts: string[] = [];
  for (const [key, value] of Object.entries(detail)) {
    if (value === null || value === undefined) continue;
    const text = Array.isArray(value)
      ? value.length > 3
        ? `${value.length} items`
        : value.join(', ')
      : String(value);
    if (typeof value === 'object' && !Array.isArray(value)) continue;
    parts.push(`${key}: ${text}`);
  }
  return parts.join(' · ');
}
