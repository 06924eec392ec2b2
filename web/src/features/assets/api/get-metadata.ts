import { useQuery } from '@tanstack/react-query';
import { ApiError, api } from '../../../lib/api-client';

export function getMetadata(id: string, signal?: AbortSignal) {
  return api('get', '/api/assets/{id}/metadata', { params: { id }, signal });
}

/** The normalised technical metadata (per stream, start timecode); none until the probe ran. */
export function useMetadata(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['assets', 'metadata', id],
    queryFn: async ({ signal }) => {
      try {
        return await getMetadata(id, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
    enabled,
    staleTime: 60_000,
  });
}
