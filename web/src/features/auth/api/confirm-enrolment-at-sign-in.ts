import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/**
 * The enrolled app's first code: two-factor is on and the session starts. The caller shows the
 * recovery codes before it puts the user in the query cache (which leaves the sign-in page).
 */
export function confirmEnrolmentAtSignIn(challenge: string, code: string) {
  return api('post', '/api/auth/login/enrol/confirm', { body: { challenge, code } });
}

export function useConfirmEnrolmentAtSignIn() {
  return useMutation({
    mutationFn: (input: { challenge: string; code: string }) =>
      confirmEnrolmentAtSignIn(input.challenge, input.code),
  });
}
