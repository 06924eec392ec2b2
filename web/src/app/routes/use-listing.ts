/**
 * What the main view lists: a folder (its child folders, then its assets page by page) or,
 * on `/search`, the lake-wide search results with their facet counts. Both give the same
 * rows, so the table, the cards, selection and the preview work the same on either.
 *
 * A folder's rows come page by page from the top (cursors); a view that jumps far below what
 * is loaded gets the block under it by position instead, so `rows` may have holes (not yet
 * loaded) between the top pages and such a block. Every reader of `rows` treats a hole as a
 * row still loading.
 */
import { useCallback, useMemo } from 'react';
import { useAssetBlocks } from '../../features/assets/api/asset-blocks';
import { NEXT_PAGE, useAssetList } from '../../features/assets/api/list-assets';
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
  const blocks = useAssetBlocks({ folder, sort, order }, !search);
  const searchQuery = useSearchResults(search ?? { query: {}, sort: 'name', order: 'asc' }, search !== null);
  const active = search ? searchQuery : assetsQuery;

  const head = useMemo(() => active.data?.pages.flatMap((p) => p.items) ?? [], [active.data]);
  // Every loaded asset, top pages first, then those of far blocks beyond them.
  const assets = useMemo(() => {
    if (search || blocks.placed.length === 0) return head;
    const seen = new Set(head.map((a) => a.id));
    const beyond = [...blocks.placed]
      .sort((a, b) => a.offset - b.offset)
      .flatMap((block) => block.items.filter((a, i) => block.offset + i >= head.length && !seen.has(a.id)));
    return [...head, ...beyond];
  }, [search, head, blocks.placed]);
  const total = active.data?.pages[0]?.total ?? 0;
  const folderRows = useMemo<BrowseRow[]>(() => {
    if (search) return [];
    const children = folderQuery.data?.children ?? [];
    const ordered = sort === 'name' && order === 'desc' ? [...children].reverse() : children;
    return ordered.map((f) => ({ type: 'folder', folder: f }));
  }, [search, folderQuery.data, sort, order]);
  const rows = useMemo<BrowseRow[]>(() => {
    const list: BrowseRow[] = [...folderRows, ...head.map((asset) => ({ type: 'asset' as const, asset }))];
    if (search) return list;
    // Far blocks go at their positions; the gap before them stays empty (still loading).
    for (const block of blocks.placed)
      block.items.forEach((asset, i) => {
        const position = block.offset + i;
        if (position >= head.length) list[folderRows.length + position] = { type: 'asset', asset };
      });
    return list;
  }, [search, folderRows, head, blocks.placed]);

  const { loadUpTo: loadHeadUpTo } = search ? searchQuery : assetsQuery;
  const { show } = blocks;
  /** Asks for the asset positions `first`..`last` on screen: the next top page, or the block there. */
  const loadUpTo = useCallback(
    (last: number, first = last) => {
      if (!search && first - head.length > NEXT_PAGE) show(first, last);
      else loadHeadUpTo(last);
    },
    [search, head.length, show, loadHeadUpTo],
  );

  return {
    rows,
    assets,
    total,
    folderCount: folderRows.length,
    rowCount: folderRows.length + Math.max(total, assets.length),
    loading: search ? searchQuery.isLoading : folderQuery.isLoading || assetsQuery.isLoading,
    fetching:
      active.isFetchingNextPage ||
      active.isRefetching ||
      (search !== null && searchQuery.isPlaceholderData) ||
      (!search && blocks.fetching),
    error: search ? searchQuery.error : (folderQuery.error ?? assetsQuery.error),
    facets: search ? (searchQuery.data?.pages[0]?.facets ?? null) : null,
    /** The folder shown (not on search): who can see it is its assets' "who can see". */
    folder: search ? null : (folderQuery.data?.folder ?? null),
    loadUpTo,
  };
}
