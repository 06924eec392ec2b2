import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { trashKeys } from './list-trash';

/** Puts trashed assets back in the folder they were deleted from. */
export function restoreAssets(ids: string[]) {
  return api('post', '/api/assets/restore', { body: { ids } });
}

export function useRestoreAssets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: restoreAssets,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: trashKeys.all });
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
      await queryClient.invalidateQueries({ queryKey: ['folders'] });
    },
  });
}
