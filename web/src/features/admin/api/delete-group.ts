import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { adminKeys } from './list-users';

/** Not admin or editors; the group leaves every folder too. */
export function deleteGroup(name: string) {
  return api('delete', '/api/groups/{name}', { params: { name } });
}

export function useDeleteGroup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteGroup,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.groups });
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      await queryClient.invalidateQueries({ queryKey: ['folders'] });
    },
  });
}
