import { useInfiniteQuery } from '@tanstack/react-query';
import { api, type QueryOf } from '../../../lib/api-client';
import { adminKeys } from './list-users';

export type AuditFilter = Omit<QueryOf<'/api/audit', 'get'>, 'cursor' | 'limit'>;

export function listAudit(filter: AuditFilter, cursor: string | null, signal?: AbortSignal) {
  return api('get', '/api/audit', { query: { ...filter, limit: 200, cursor: cursor ?? undefined }, signal });
}

export type AuditEntry = Awaited<ReturnType<typeof listAudit>>['items'][number];

/** Who did what, newest first, page by page. */
export function useAudit(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: adminKeys.audit(filter),
    queryFn: ({ pageParam, signal }) => listAudit(filter, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}
