import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';
import { adminKeys } from './list-users';

/** Display name, groups (replaced), disabled, or a new password the user must change. */
export function updateUser(id: string, body: BodyOf<'/api/users/{id}', 'patch'>) {
  return api('patch', '/api/users/{id}', { params: { id }, body });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; body: BodyOf<'/api/users/{id}', 'patch'> }) =>
      updateUser(input.id, input.body),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      await queryClient.invalidateQueries({ queryKey: adminKeys.groups });
    },
  });
}
