import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const folderKeys = {
  all: ['folders'] as const,
  one: (path: string) => ['folders', path] as const,
};

export function getFolder(path: string, signal?: AbortSignal) {
  return api('get', '/api/folders', { query: { path }, signal });
}

export function folderQueryOptions(path: string) {
  return queryOptions({
    queryKey: folderKeys.one(path),
    queryFn: ({ signal }) => getFolder(path, signal),
    staleTime: 10_000,
  });
}

/** A folder with its child folders, sorted by name. */
export function useFolder(path: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    ...folderQueryOptions(path),
    enabled: options.enabled ?? true,
    select: (listing) => ({
      ...listing,
      children: [...listing.children].sort((a, b) =>
        a.name.localeCompare(b.name, undefined, { numeric: true, sensitivity: 'base' }),
      ),
    }),
  });
}
