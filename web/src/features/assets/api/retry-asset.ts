import { api } from '../../../lib/api-client';

/** Processes assets again from the probe; the state follows through live updates. */
export async function retryProcessing(ids: string[]) {
  const results = await Promise.allSettled(
    ids.map((id) => api('post', '/api/assets/{id}/retry', { params: { id } })),
  );
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0) throw failed[0].reason;
  return ids.length;
}
