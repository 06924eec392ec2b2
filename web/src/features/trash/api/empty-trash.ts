import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { trashKeys } from './list-trash';

/** Deletes everything in the trash for good, with its proxies and thumbnails. */
export function emptyTrash() {
  return api('delete', '/api/trash');
}

export function useEmptyTrash() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: emptyTrash,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: trashKeys.all }),
  });
}
