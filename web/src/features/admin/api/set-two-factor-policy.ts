import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';

export type TwoFactorPolicy = BodyOf<'/api/auth/two-factor/policy', 'put'>['policy'];

/** Who must use two-factor sign-in: nobody, admins, everyone. */
export function setTwoFactorPolicy(policy: TwoFactorPolicy) {
  return api('put', '/api/auth/two-factor/policy', { body: { policy } });
}

export function useSetTwoFactorPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: setTwoFactorPolicy,
    // The policy is shown from the signed-in user's own two-factor status.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['two-factor'] }),
  });
}
