/**
 * What the browse view shows lives in the URL: the folder (path) or the search (`/search` and
 * its filters), the sort, table or cards, and the asset being previewed. This reads it and
 * offers the ways to change it.
 */
import { useCallback, useMemo } from 'react';
import { sortFromParams } from '../../features/assets/api/list-assets';
import type { SearchParams, SearchSort } from '../../features/search/api/search-assets';
import { SEARCH_PARAMS, searchStateFromUrl, toSearchQuery } from '../../features/search/search-state';
import { browseHref, folderFromPathname, navigate, useLocation } from '../../lib/router';

/** Keeps the layout; drops what belongs to the search and the preview. */
function viewParams(from: URLSearchParams): URLSearchParams {
  const keep = new URLSearchParams(from);
  for (const key of [...SEARCH_PARAMS, 'preview', 'from']) keep.delete(key);
  return keep;
}

export type SetParams = (patch: Record<string, string | null>, options?: { replace?: boolean }) => void;

export function useBrowseUrl() {
  const location = useLocation();
  const isSearch = location.pathname === '/search';
  const folder = isSearch ? '/' : folderFromPathname(location.pathname);
  const params = location.search;
  const { sort, order } = sortFromParams(params);
  const view: 'table' | 'cards' = params.get('view') === 'cards' ? 'cards' : 'table';
  const previewId = params.get('preview');
  const paramsText = params.toString();
  const searchState = useMemo(() => searchStateFromUrl(new URLSearchParams(paramsText)), [paramsText]);
  const search = useMemo<SearchParams | null>(
    () => (isSearch ? { query: toSearchQuery(searchState), sort: sort as SearchSort, order } : null),
    [isSearch, searchState, sort, order],
  );

  const setParams = useCallback<SetParams>((patch, options = {}) => {
    const next = new URLSearchParams(window.location.search);
    for (const [key, value] of Object.entries(patch)) {
      if (value === null || value === '') next.delete(key);
      else next.set(key, value);
    }
    const query = next.toString();
    // The path stays as the address bar has it (already encoded): only the query changes.
    navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, {
      replace: options.replace ?? true,
    });
  }, []);
  const openFolder = useCallback((path: string) => {
    navigate(browseHref(path, viewParams(new URLSearchParams(window.location.search))));
  }, []);
  const hrefFor = (path: string) => browseHref(path, viewParams(params));
  /** Searching starts from the folder shown, which "Close search" goes back to. */
  const runSearch = (q: string) => {
    if (isSearch) return setParams({ q });
    const next = viewParams(params);
    if (q) next.set('q', q);
    next.set('from', folder);
    navigate(`/search?${next.toString()}`);
  };
  const closeSearch = () => openFolder(params.get('from') ?? '/');
  const clearFilters = () =>
    setParams(Object.fromEntries(SEARCH_PARAMS.filter((k) => k !== 'q').map((k) => [k, null])));

  return {
    isSearch,
    folder,
    sort,
    order,
    view,
    previewId,
    searchState,
    search,
    setParams,
    openFolder,
    hrefFor,
    runSearch,
    closeSearch,
    clearFilters,
  };
}
