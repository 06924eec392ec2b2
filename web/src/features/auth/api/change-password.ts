import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { meKeys } from './get-me';

/** Replaces one's own password; every other session of this user ends. */
export function changePassword(currentPassword: string, newPassword: string) {
  return api('post', '/api/auth/password', { body: { currentPassword, newPassword } });
}

export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      changePassword(input.currentPassword, input.newPassword),
    onSuccess: (session) => queryClient.setQueryData(meKeys.me, session.user),
  });
}
