import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Job } from '../../../lib/api-client';
import { waitForJob } from '../../../lib/jobs';
import { folderKeys } from '../../folders/api/get-folder';
import { assetKeys } from './list-assets';

/** Moves assets into a folder: one server job for all of them, which this waits for. */
export async function moveAssets(ids: string[], folder: string, onProgress?: (job: Job) => void) {
  const { jobId } = await api('post', '/api/assets/move', { body: { ids, folder } });
  return waitForJob(jobId, onProgress);
}

/** Each move reports its own progress (one toast per move), so the callback comes with the input. */
export function useMoveAssets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { ids: string[]; folder: string; onProgress?: (job: Job) => void }) =>
      moveAssets(input.ids, input.folder, input.onProgress),
    // Settled, not succeeded: a move that failed half-way still moved some.
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
      await queryClient.invalidateQueries({ queryKey: folderKeys.all });
    },
  });
}
