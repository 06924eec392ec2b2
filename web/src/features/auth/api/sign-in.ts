import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { forgetOtherUsersData, meKeys } from './get-me';

export function signIn(username: string, password: string) {
  return api('post', '/api/auth/login', { body: { username, password } });
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => signIn(input.username, input.password),
    onSuccess: (session) => {
      // Whatever the last user saw is not this user's to see.
      forgetOtherUsersData(queryClient);
      queryClient.setQueryData(meKeys.me, session.user);
    },
  });
}
