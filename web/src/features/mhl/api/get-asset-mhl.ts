import { useQuery } from '@tanstack/react-query';
import { api, type ResponseOf } from '../../../lib/api-client';

export type AssetMhl = ResponseOf<'/api/assets/{id}/mhl', 'get'>;

export function getAssetMhl(id: string, signal?: AbortSignal) {
  return api('get', '/api/assets/{id}/mhl', { params: { id }, signal });
}

/** The asset's verdict against its card's ASC MHL history; `verdict: null` when no history covers it. */
export function useAssetMhl(id: string) {
  return useQuery({
    queryKey: ['assets', 'mhl', id],
    queryFn: ({ signal }) => getAssetMhl(id, signal),
    staleTime: 30_000,
  });
}
