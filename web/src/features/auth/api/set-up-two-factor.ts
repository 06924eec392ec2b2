import { useMutation } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';

export type Enrolment = ResponseOf<'/api/auth/two-factor/setup', 'post'>;

/** The password again, then a new secret and its QR code to scan. */
export function setUpTwoFactor(password: string) {
  return api('post', '/api/auth/two-factor/setup', { body: { password } });
}

export function useSetUpTwoFactor() {
  return useMutation({ mutationFn: (password: string) => setUpTwoFactor(password) });
}
