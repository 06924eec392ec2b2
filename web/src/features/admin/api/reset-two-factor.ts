import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { adminKeys } from './list-users';

/** Turns a user's two-factor sign-in off (a lost phone). */
export function resetTwoFactor(id: string) {
  return api('delete', '/api/users/{id}/two-factor', { params: { id } });
}

export function useResetTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetTwoFactor,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminKeys.users }),
  });
}
