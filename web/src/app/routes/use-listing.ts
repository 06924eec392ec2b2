/**
 * What the main view lists: a folder (its child folders, then its assets page by page) or,
 * on `/search`, the lake-wide search results with their facet counts. Both give the same
 * rows, so the table, the cards, selection and the preview work the same on either.
 */
import { useMemo } from 'react';
import { useAssetList } from '../../features/assets/api/list-assets';
import type { BrowseRow } from '../../features/assets/components/browse-row';
import { useFolder } from '../../features/folders/api/get-folder';
import { type SearchParams, useSearchResults } from '../../features/search/api/search-assets';
import type { AssetSort, SortOrder } from '../../lib/api-client';

export function useListing(input: {
  folder: string;
  sort: AssetSort;
  order: SortOrder;
  /** Present on the search screen. */
  search: SearchParams | null;
}) {
  const { folder, sort, order, search } = input;
  const folderQuery = useFolder(folder, { enabled: !search });
  const assetsQuery = useAssetList({ folder, sort, order }, { enabled: !search });
  const searchQuery = useSearchResults(search ?? { query: {}, sort: 'name', order: 'asc' }, search !== null);
  const active = search ? searchQuery : assetsQuery;

  const assets = useMemo(() => active.data?.pages.flatMap((p) => p.items) ?? [], [active.data]);
  const total = active.data?.pages[0]?.total ?? 0;
  const folderRows = useMemo<BrowseRow[]>(() => {
    if (search) return [];
    const children = folderQuery.data?.children ?? [];
    const ordered = sort === 'name' && order === 'desc' ? [...children].reverse() : children;
    return ordered.map((f) => ({ type: 'folder', folder: f }));
  }, [search, folderQuery.data, sort, order]);
  const rows = useMemo<BrowseRow[]>(
    () => [...folderRows, ...assets.map((asset) => ({ type: 'asset' as const, asset }))],
    [folderRows, assets],
  );

  return {
    rows,
    assets,
    total,
    folderCount: folderRows.length,
    rowCount: folderRows.length + Math.max(total, assets.length),
    loading: search ? searchQuery.isLoading : folderQuery.isLoading || assetsQuery.isLoading,
    fetching:
      active.isFetchingNextPage || active.isRefetching || (search !== null && searchQuery.isPlaceholderData),
    error: search ? searchQuery.error : (folderQuery.error ?? assetsQuery.error),
    facets: search ? (searchQuery.data?.pages[0]?.facets ?? null) : null,
    loadUpTo: search ? searchQuery.loadUpTo : assetsQuery.loadUpTo,
  };
}
