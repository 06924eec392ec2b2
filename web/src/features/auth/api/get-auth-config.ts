import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { meKeys } from './get-me';

/** Whether sign-up is open, the password rule, and a single sign-on provider if one is set. */
export function getAuthConfig(signal?: AbortSignal) {
  return api('get', '/api/auth/config', { signal });
}

export function useAuthConfig() {
  return useQuery({
    queryKey: meKeys.config,
    queryFn: ({ signal }) => getAuthConfig(signal),
    staleTime: 300_000,
  });
}
