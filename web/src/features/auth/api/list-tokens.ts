import { useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { twoFactorKeys } from './get-two-factor';

export function listTokens(signal?: AbortSignal) {
  return api('get', '/api/tokens', { signal }).then((r) => r.items);
}

export type ApiToken = Awaited<ReturnType<typeof listTokens>>[number];

/** My personal API tokens, live, expired and revoked. */
export function useTokens() {
  return useQuery({ queryKey: twoFactorKeys.tokens, queryFn: ({ signal }) => listTokens(signal) });
}
