import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { forgetOtherUsersData, meKeys } from './get-me';

/** Creates an account (it joins "editors"): signed in at once, or waiting for an admin's approval. */
export function signUp(username: string, password: string) {
  return api('post', '/api/auth/signup', { body: { username, password } });
}

export function useSignUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => signUp(input.username, input.password),
    onSuccess: (answer) => {
      if (!('user' in answer)) return;
      forgetOtherUsersData(queryClient);
      queryClient.setQueryData(meKeys.me, answer.user);
    },
  });
}
