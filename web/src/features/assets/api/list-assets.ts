import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { type AssetSort, api, type SortOrder } from '../../../lib/api-client';

export interface AssetListParams {
  folder: string;
  sort: AssetSort;
  order: SortOrder;
}

export const assetKeys = {
  all: ['assets'] as const,
  lists: ['assets', 'list'] as const,
  list: (params: AssetListParams) => ['assets', 'list', params] as const,
  detail: (id: string) => ['assets', 'detail', id] as const,
};

/** The first page is small so rows show at once; later pages are large so a long scroll needs few requests. */
export const FIRST_PAGE = 100;
export const NEXT_PAGE = 500;

export function listAssets(params: AssetListParams, cursor: string | null, signal?: AbortSignal) {
  return api('get', '/api/assets', {
    query: { ...params, limit: cursor ? NEXT_PAGE : FIRST_PAGE, cursor: cursor ?? undefined },
    signal,
  });
}

export function assetListOptions(params: AssetListParams) {
  return infiniteQueryOptions({
    queryKey: assetKeys.list(params),
    queryFn: ({ pageParam, signal }) => listAssets(params, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    staleTime: 10_000,
  });
}

/** The assets of a folder, page by page (keyset cursors), sorted on the server. */
export function useAssetList(params: AssetListParams) {
  return useInfiniteQuery(assetListOptions(params));
}
