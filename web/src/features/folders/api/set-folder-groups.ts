import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { folderKeys } from './get-folder';

/** Admins only; the server keeps `admin` on every folder. */
export function setFolderGroups(path: string, groups: string[]) {
  return api('put', '/api/folders/groups', { body: { path, groups } });
}

export function useSetFolderGroups() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { path: string; groups: string[] }) => setFolderGroups(input.path, input.groups),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: folderKeys.all }),
  });
}
