import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { assetKeys } from './list-assets';

const sequenceKey = (id: string) => ['assets', 'sequence', id] as const;

/** An image sequence's range, gaps and frame rate (only asked for assets that are sequences). */
export function useSequence(id: string, enabled: boolean) {
  return useQuery({
    queryKey: sequenceKey(id),
    queryFn: ({ signal }) => api('get', '/api/assets/{id}/sequence', { params: { id }, signal }),
    enabled,
  });
}

/** Chooses the rate the sequence plays at; its proxy is made again, so the asset is read again. */
export function useSetSequenceRate(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (frameRate: string | null) =>
      api('put', '/api/assets/{id}/sequence', { params: { id }, body: { frameRate } }),
    onSuccess: (sequence) => {
      queryClient.setQueryData(sequenceKey(id), sequence);
      void queryClient.invalidateQueries({ queryKey: assetKeys.detail(id) });
      void queryClient.invalidateQueries({ queryKey: ['assets', 'metadata', id] });
      return queryClient.invalidateQueries({ queryKey: assetKeys.lists });
    },
  });
}
