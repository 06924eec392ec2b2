import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';
import { logFieldKeys } from './log-fields';

export type NewLogField = BodyOf<'/api/log-fields', 'post'>;

/** Custom fields change every asset's log: the fields and the assets are read again. */
function useRefresh() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: logFieldKeys.all }),
      queryClient.invalidateQueries({ queryKey: ['assets'] }),
    ]);
}

export function useCreateLogField() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (field: NewLogField) => api('post', '/api/log-fields', { body: field }),
    onSuccess: refresh,
  });
}

export function useDeleteLogField() {
  const refresh = useRefresh();
  return useMutation({
    mutationFn: (id: string) => api('delete', '/api/log-fields/{id}', { params: { id } }),
    onSuccess: refresh,
  });
}
