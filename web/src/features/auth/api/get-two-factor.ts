import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';

export const twoFactorKeys = { status: ['two-factor'] as const, tokens: ['tokens'] as const };

export type TwoFactorStatus = ResponseOf<'/api/auth/two-factor', 'get'>;

/** Whether my two-factor sign-in is on, recovery codes left, whether an admin requires it. */
export function getTwoFactor(signal?: AbortSignal) {
  return api('get', '/api/auth/two-factor', { signal });
}

export function useTwoFactor() {
  return useQuery({ queryKey: twoFactorKeys.status, queryFn: ({ signal }) => getTwoFactor(signal) });
}
