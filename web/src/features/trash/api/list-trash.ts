import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const trashKeys = { all: ['trash'] as const };

/** A page of the trash, newest first; the server pages by cursor (a trash can hold very many). */
export function listTrash(cursor: string | undefined, signal?: AbortSignal) {
  return api('get', '/api/trash', { query: { limit: 200, ...(cursor ? { cursor } : {}) }, signal });
}

export function trashQueryOptions() {
  return infiniteQueryOptions({
    queryKey: trashKeys.all,
    queryFn: ({ pageParam, signal }) => listTrash(pageParam, signal),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
}

export function useTrash() {
  return useInfiniteQuery(trashQueryOptions());
}
