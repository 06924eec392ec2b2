import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Job } from '../../../lib/api-client';
import { waitForJob } from '../../../lib/jobs';
import { assetKeys } from '../../assets/api/list-assets';
import { folderKeys } from './get-folder';

/** Renames or moves a folder: the server answers with a job, which this waits for. */
export async function moveFolder(path: string, newPath: string, onProgress?: (job: Job) => void) {
  const { jobId } = await api('patch', '/api/folders', { body: { path, newPath } });
  return waitForJob(jobId, onProgress);
}

export function useMoveFolder() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { path: string; newPath: string }) => moveFolder(input.path, input.newPath),
    onSettled: async () => {
      await queryClient.invalidateQueries({ queryKey: folderKeys.all });
      await queryClient.invalidateQueries({ queryKey: assetKeys.all });
    },
  });
}
