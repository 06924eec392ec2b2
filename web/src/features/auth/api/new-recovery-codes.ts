import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { twoFactorKeys } from './get-two-factor';

/** New recovery codes (the password and a code); the old ones stop working. */
export function newRecoveryCodes(password: string, code: string) {
  return api('post', '/api/auth/two-factor/recovery-codes', { body: { password, code } });
}

export function useNewRecoveryCodes() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { password: string; code: string }) => newRecoveryCodes(input.password, input.code),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: twoFactorKeys.status }),
  });
}
