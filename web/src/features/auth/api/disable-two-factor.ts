import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { meKeys } from './get-me';
import { twoFactorKeys } from './get-two-factor';

/** Turns two-factor sign-in off: the password and a code. */
export function disableTwoFactor(password: string, code: string) {
  return api('post', '/api/auth/two-factor/disable', { body: { password, code } });
}

export function useDisableTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { password: string; code: string }) => disableTwoFactor(input.password, input.code),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: twoFactorKeys.status });
      await queryClient.invalidateQueries({ queryKey: meKeys.me });
    },
  });
}
