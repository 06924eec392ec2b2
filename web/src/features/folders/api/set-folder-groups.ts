import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { folderKeys } from './get-folder';

/**
 * Admins only; the server keeps `admin` on every folder. `subtree` sets the groups on the folder
 * and everything in it; `folder` on the folder alone.
 */
export function setFolderGroups(path: string, groups: string[], scope: 'subtree' | 'folder' = 'subtree') {
  return api('put', '/api/folders/groups', { body: { path, groups, scope } });
}

export function useSetFolderGroups() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { path: string; groups: string[]; scope?: 'subtree' | 'folder' }) =>
      setFolderGroups(input.path, input.groups, input.scope),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: folderKeys.all }),
  });
}
