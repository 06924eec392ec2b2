import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { assetKeys } from './list-assets';

export function renameAsset(id: string, name: string) {
  return api('patch', '/api/assets/{id}', { params: { id }, body: { name } });
}

export function useRenameAsset() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; name: string }) => renameAsset(input.id, input.name),
    onSuccess: (asset) => {
      queryClient.setQueryData(assetKeys.detail(asset.id), asset);
      return queryClient.invalidateQueries({ queryKey: assetKeys.lists });
    },
  });
}
