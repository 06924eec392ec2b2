import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef } from 'react';
import { type AssetSort, api, type SortOrder } from '../../../lib/api-client';

export const ASSET_SORTS: AssetSort[] = [
  'name',
  'id',
  'format',
  'state',
  'created',
  'modified',
  'size',
  'duration',
];

/** The sort a view's URL asks for, or the default. */
export function sortFromParams(params: URLSearchParams): { sort: AssetSort; order: SortOrder } {
  const sort = params.get('sort') as AssetSort | null;
  return {
    sort: sort && ASSET_SORTS.includes(sort) ? sort : 'name',
    order: params.get('order') === 'desc' ? 'desc' : 'asc',
  };
}

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

/** The first page is small so rows show at once; later pages are larger so a long scroll needs few requests. */
export const FIRST_PAGE = 100;
export const NEXT_PAGE = 500;
/** The server's largest page, used when the view has jumped far past what is loaded. */
export const FAR_PAGE = 1000;

interface PageParam {
  cursor: string | null;
  limit: number;
}

export function listAssets(params: AssetListParams, page: PageParam, signal?: AbortSignal) {
  return api('get', '/api/assets', {
    query: { ...params, limit: page.limit, cursor: page.cursor ?? undefined },
    signal,
  });
}

/**
 * `wanted` is how far the view wants rows (the last row index on screen): a long jump asks for
 * the largest pages, a smooth scroll for medium ones.
 */
export function assetListOptions(params: AssetListParams, wanted: () => number = () => 0) {
  return infiniteQueryOptions({
    queryKey: assetKeys.list(params),
    queryFn: ({ pageParam, signal }) => listAssets(params, pageParam, signal),
    initialPageParam: { cursor: null, limit: FIRST_PAGE } as PageParam,
    getNextPageParam: (last, pages): PageParam | undefined => {
      if (!last.nextCursor) return undefined;
      const loaded = pages.reduce((sum, p) => sum + p.items.length, 0);
      return { cursor: last.nextCursor, limit: wanted() - loaded > NEXT_PAGE ? FAR_PAGE : NEXT_PAGE };
    },
    staleTime: 10_000,
  });
}

/** The assets of a folder, page by page (keyset cursors), sorted on the server. */
export function useAssetList(params: AssetListParams, options: { enabled?: boolean } = {}) {
  const wanted = useRef(0);
  const query = useInfiniteQuery({
    ...assetListOptions(params, () => wanted.current),
    enabled: options.enabled,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  /** Asks for rows up to `index` (a row on screen); pages load one after another until they cover it. */
  const loadUpTo = useCallback(
    (index: number) => {
      wanted.current = Math.max(wanted.current, index);
      if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
    },
    [hasNextPage, isFetchingNextPage, fetchNextPage],
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new folder or sort starts from the top.
  useEffect(() => {
    wanted.current = 0;
  }, [params.folder, params.sort, params.order]);
  return { ...query, loadUpTo };
}
