import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export const lookKeys = {
  one: (path: string) => ['folders', 'look', path] as const,
};

export interface BurnIn {
  clipName: boolean;
  timecode: boolean;
  frameCounter: boolean;
}

/** A folder's own look and the one its assets get (admins only). */
export function useFolderLook(path: string) {
  return useQuery({
    queryKey: lookKeys.one(path),
    queryFn: ({ signal }) => api('get', '/api/folders/look', { query: { path }, signal }),
  });
}

/**
 * Sets the folder's look. `lut`: a new `.cube` (its name and text), null for none, undefined to
 * keep the current one. The server re-makes the derivatives it reaches; their rows change live.
 */
export function useSetFolderLook(path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { lut?: { name: string; cube: string } | null; burnIn: BurnIn }) =>
      api('put', '/api/folders/look', { query: { path }, body: input }),
    onSuccess: () => {
      // The assets' rows follow through live updates as their derivatives are made again.
      void queryClient.invalidateQueries({ queryKey: ['folders', 'look'] });
    },
  });
}

/** The folder inherits the look of the folder above again. */
export function useClearFolderLook(path: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api('delete', '/api/folders/look', { query: { path } }),
    onSuccess: () => {
      // The assets' rows follow through live updates as their derivatives are made again.
      void queryClient.invalidateQueries({ queryKey: ['folders', 'look'] });
    },
  });
}
