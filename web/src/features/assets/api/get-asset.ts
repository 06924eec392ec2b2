import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { assetKeys } from './list-assets';

export function getAsset(id: string, signal?: AbortSignal) {
  return api('get', '/api/assets/{id}', { params: { id }, signal });
}

export function assetQueryOptions(id: string) {
  return queryOptions({ queryKey: assetKeys.detail(id), queryFn: ({ signal }) => getAsset(id, signal) });
}

export function useAsset(id: string | null) {
  return useQuery({ ...assetQueryOptions(id ?? ''), enabled: id !== null });
}
