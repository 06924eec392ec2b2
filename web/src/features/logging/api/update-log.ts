import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';

export type LogInput = BodyOf<'/api/assets/{id}/log', 'patch'>;

/**
 * Every asset answer carries its log: lists, blocks, search results and details all start
 * with `assets`, so they are read again after an edit.
 */
const ASSETS = ['assets'] as const;

export function useUpdateLog() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; log: LogInput }) =>
      api('patch', '/api/assets/{id}/log', { params: { id: input.id }, body: input.log }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}

export function useBulkLog() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; log: LogInput }) => api('patch', '/api/assets/log', { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ASSETS }),
  });
}
