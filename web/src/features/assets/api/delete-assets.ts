import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { trashKeys } from '../../trash/api/list-trash';
import { assetKeys } from './list-assets';

/** Moves assets to the trash, from which they can be restored until it is emptied. */
export function deleteAssets(ids: string[]) {
  return api('post', '/api/assets/delete', { body: { ids } });
}

export function useDeleteAssets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteAssets,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      await queryClient.invalidateQueries({ queryKey: trashKeys.all });
    },
  });
}
