import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
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
      await queryClient.invalidateQueries({ queryKey: ['assets'] });
      await queryClient.invalidateQueries({ queryKey: ['trash'] });
    },
  });
}
