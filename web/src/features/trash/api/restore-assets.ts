import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { assetKeys } from '../../assets/api/list-assets';
import { folderKeys } from '../../folders/api/get-folder';
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
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      await queryClient.invalidateQueries({ queryKey: folderKeys.all });
    },
  });
}
