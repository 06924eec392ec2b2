import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { forgetOtherUsersData, meKeys } from './get-me';

/** Creates an account (it joins "editors") and signs in. */
export function signUp(username: string, password: string) {
  return api('post', '/api/auth/signup', { body: { username, password } });
}

export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => signUp(input.username, input.password),
    onSuccess: (session) => {
      forgetOtherUsersData(queryClient);
      queryClient.setQueryData(meKeys.me, session.user);
    },
  });
}
