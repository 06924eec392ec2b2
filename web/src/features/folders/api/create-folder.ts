import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { folderKeys } from './get-folder';

export function createFolder(path: string) {
  return api('post', '/api/folders', { body: { path } });
}

export function useCreateFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createFolder,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: folderKeys.all }),
  });
}
