import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { assetKeys } from '../../assets/api/list-assets';
import { trashKeys } from '../../trash/api/list-trash';
import { folderKeys } from './get-folder';

/** Deletes a folder and everything below it; its assets go to the trash. */
export function deleteFolder(path: string) {
  return api('delete', '/api/folders', { query: { path } });
}

export function useDeleteFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteFolder,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: folderKeys.all });
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      await queryClient.invalidateQueries({ queryKey: trashKeys.all });
    },
  });
}
