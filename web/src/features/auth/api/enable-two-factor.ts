import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { meKeys } from './get-me';
import { twoFactorKeys } from './get-two-factor';

/** The app's first code turns two-factor on; the answer holds the recovery codes, shown once. */
export function enableTwoFactor(code: string) {
  return api('post', '/api/auth/two-factor/enable', { body: { code } });
}

export function useEnableTwoFactor() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => enableTwoFactor(code),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: twoFactorKeys.status });
      await queryClient.invalidateQueries({ queryKey: meKeys.me });
    },
  });
}
