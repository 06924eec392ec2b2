import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { forgetSignInPassword } from '../sign-in-password';
import { forgetOtherUsersData, meKeys } from './get-me';

export function signOut() {
  return api('post', '/api/auth/logout');
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: signOut,
    onSettled: () => {
      forgetOtherUsersData(queryClient);
      forgetSignInPassword();
      queryClient.setQueryData(meKeys.me, null);
    },
  });
}
