import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** An admin requires two-factor sign-in and this account has none: a secret and QR code to enrol. */
export function enrolAtSignIn(challenge: string) {
  return api('post', '/api/auth/login/enrol', { body: { challenge } });
}

export function useEnrolAtSignIn() {
  return useMutation({ mutationFn: (challenge: string) => enrolAtSignIn(challenge) });
}
