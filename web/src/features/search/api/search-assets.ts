import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, type SearchQuery, type SortOrder } from '../../../lib/api-client';

export type SearchSort = NonNullable<SearchQuery['sort']>;

export interface SearchParams {
  query: SearchQuery;
  sort: SearchSort;
  order: SortOrder;
}

/**
 * Under the asset lists' key, so live updates patch a changed asset into search results as
 * they do into a folder's list.
 */
export const searchKey = (params: SearchParams) => ['assets', 'list', { search: params }] as const;

const FIRST_PAGE = 100;
const NEXT_PAGE = 500;

interface PageParam {
  cursor: string | null;
  limit: number;
}

export function searchAssets(params: SearchParams, page: PageParam, signal?: AbortSignal) {
  return api('get', '/api/search', {
    query: {
      ...params.query,
      sort: params.sort,
      order: params.order,
      limit: page.limit,
      cursor: page.cursor ?? undefined,
      // Facets describe the whole result: the first page brings them, later pages need not.
      facets: page.cursor === null,
    },
    signal,
  });
}

/** Search results page by page; facet counts come with the first page. */
export function useSearchResults(params: SearchParams, enabled: boolean) {
  const query = useInfiniteQuery({
    queryKey: searchKey(params),
    queryFn: ({ pageParam, signal }) => searchAssets(params, pageParam, signal),
    initialPageParam: { cursor: null, limit: FIRST_PAGE } as PageParam,
    getNextPageParam: (last): PageParam | undefined =>
      last.nextCursor ? { cursor: last.nextCursor, limit: NEXT_PAGE } : undefined,
    // While the next words are typed the last results stay on screen instead of skeletons.
    placeholderData: keepPreviousData,
    staleTime: 10_000,
    enabled,
  });
  const { hasNextPage, isFetchingNextPage, fetchNextPage } = query;
  /** Pages load one after another while the view asks for rows past what is loaded. */
  const loadUpTo = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return { ...query, loadUpTo };
}
