import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
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
      queryClient.setQueryData(meKeys.me, null);
    },
  });
}
