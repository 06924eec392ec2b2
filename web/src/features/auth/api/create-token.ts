import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type BodyOf } from '../../../lib/api-client';
import { twoFactorKeys } from './get-two-factor';

/** A new token (the password again, and a code when two-factor is on); the answer shows it once. */
export function createToken(body: BodyOf<'/api/tokens', 'post'>) {
  return api('post', '/api/tokens', { body });
}

export function useCreateToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createToken,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: twoFactorKeys.tokens });
      // A recovery code given as the code is used up.
      await queryClient.invalidateQueries({ queryKey: twoFactorKeys.status });
    },
  });
}
