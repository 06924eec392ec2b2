import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const volumeKeys = { all: ['volumes'] as const };

export function listVolumes(signal?: AbortSignal) {
  return api('get', '/api/volumes', { signal }).then((reply) => reply.items);
}

export const volumesQueryOptions = () =>
  queryOptions({ queryKey: volumeKeys.all, queryFn: ({ signal }) => listVolumes(signal), staleTime: 60_000 });

/** The edit volumes the signed-in user may use. */
export function useVolumes() {
  return useQuery(volumesQueryOptions());
}
