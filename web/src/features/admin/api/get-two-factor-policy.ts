import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Who must use two-factor sign-in, as the signed-in admin's own status reports it. */
export function getTwoFactorPolicy(signal?: AbortSignal) {
  return api('get', '/api/auth/two-factor', { signal }).then((r) => ({
    policy: r.policy,
    ownEnabled: r.enabled,
  }));
}

export function useTwoFactorPolicy() {
  return useQuery({
    queryKey: ['two-factor', 'policy'],
    queryFn: ({ signal }) => getTwoFactorPolicy(signal),
  });
}
