import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';
import { adminKeys } from './list-users';

/** The new user must change the password at first sign-in; a generated one comes back once. */
export function createUser(body: BodyOf<'/api/users', 'post'>) {
  return api('post', '/api/users', { body });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createUser,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: adminKeys.users });
      await queryClient.invalidateQueries({ queryKey: adminKeys.groups });
    },
  });
}
