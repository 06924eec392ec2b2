import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { forgetOtherUsersData, meKeys } from './get-me';

/** The second step of sign-in: a code from the app, or a recovery code. */
export function signInWithCode(challenge: string, code: string) {
  return api('post', '/api/auth/login/code', { body: { challenge, code } });
}

export function useSignInWithCode() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { challenge: string; code: string }) => signInWithCode(input.challenge, input.code),
    onSuccess: (session) => {
      forgetOtherUsersData(queryClient);
      queryClient.setQueryData(meKeys.me, session.user);
    },
  });
}
