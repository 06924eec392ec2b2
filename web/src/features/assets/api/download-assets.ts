import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** Signed, expiring URLs; the browser never holds storage credentials. */
export function downloadLinks(ids: string[]) {
  return api('post', '/api/assets/download', { body: { ids } }).then((reply) => reply.items);
}

export function useDownloadLinks() {
  return useMutation({ mutationFn: downloadLinks });
}
