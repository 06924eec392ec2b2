import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { twoFactorKeys } from './get-two-factor';

export function revokeToken(id: string) {
  return api('delete', '/api/tokens/{id}', { params: { id } });
}

export function useRevokeToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: revokeToken,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: twoFactorKeys.tokens }),
  });
}
