import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const trashKeys = { all: ['trash'] as const };

export function listTrash(signal?: AbortSignal) {
  return api('get', '/api/trash', { signal }).then((reply) => reply.items);
}

export function trashQueryOptions() {
  return queryOptions({ queryKey: trashKeys.all, queryFn: ({ signal }) => listTrash(signal) });
}

export function useTrash() {
  return useQuery(trashQueryOptions());
}
