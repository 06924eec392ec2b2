import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';
import { forgetOtherUsersData, meKeys } from './get-me';

/** The password is right and a code (or enrolling an app) comes next. */
export type PendingSignIn = Extract<ResponseOf<'/api/auth/login', 'post'>, { challenge: string }>;
export type SignInAnswer = ResponseOf<'/api/auth/login', 'post'>;

export function signIn(username: string, password: string) {
  return api('post', '/api/auth/login', { body: { username, password } });
}

export function isPending(answer: object): answer is PendingSignIn {
  return 'challenge' in answer;
}

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { username: string; password: string }) => signIn(input.username, input.password),
    onSuccess: (answer) => {
      if (isPending(answer)) return;
      // Whatever the last user saw is not this user's to see.
      forgetOtherUsersData(queryClient);
      queryClient.setQueryData(meKeys.me, answer.user);
    },
  });
}
