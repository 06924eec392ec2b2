import { type QueryClient, queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api-client';

export const meKeys = { me: ['me'] as const, config: ['auth-config'] as const };

/** Who is signed in, or null when nobody is (401). */
export async function getMe(signal?: AbortSignal) {
  try {
    return await api('get', '/api/me', { signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export type Me = NonNullable<Awaited<ReturnType<typeof getMe>>>;

export function meQueryOptions() {
  return queryOptions({ queryKey: meKeys.me, queryFn: ({ signal }) => getMe(signal), staleTime: 60_000 });
}

export function useMe() {
  return useQuery(meQueryOptions());
}

/**
 * Drops everything cached for whoever was signed in before; the `me` query itself stays (its
 * observers must see the new value) and is set by the caller.
 */
export function forgetOtherUsersData(queryClient: QueryClient): void {
  queryClient.removeQueries({
    predicate: (query) => query.queryKey[0] !== meKeys.me[0] && query.queryKey[0] !== meKeys.config[0],
  });
}
