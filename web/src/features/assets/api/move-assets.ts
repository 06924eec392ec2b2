import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Job } from '../../../lib/api-client';
import { waitForJob } from '../../../lib/jobs';
import { assetKeys } from './list-assets';

/** Moves assets into a folder: one server job for all of them, which this waits for. */
export async function moveAssets(ids: string[], folder: string, onProgress?: (job: Job) => void) {
  const { jobId } = await api('post', '/api/assets/move', { body: { ids, folder } });
  return waitForJob(jobId, onProgress);
}

export function useMoveAssets(onProgress?: (job: Job) => void) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; folder: string }) => moveAssets(input.ids, input.folder, onProgress),
    onSettled: () => queryClient.invalidateQueries({ queryKey: assetKeys.all }),
  });
}
