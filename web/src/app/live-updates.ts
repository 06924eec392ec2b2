/**
 * Live updates from `/api/events` (server-sent events, already filtered by what this user may
 * see). A changed asset is fetched once and patched into every list that shows it, so a
 * processing asset turns ready in place, even in a folder of 100,000; assets that arrive or
 * leave make their folder's lists reload. Search results span the lake, so any asset that
 * arrives, leaves or moves, or a changed one that they do not hold yet (it may match now),
 * reloads them, at most once a second. Bursts are gathered for a moment first.
 */
import { type InfiniteData, type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { blockKeys } from '../features/assets/api/asset-blocks';
import { getAsset } from '../features/assets/api/get-asset';
import { type AssetListParams, assetKeys } from '../features/assets/api/list-assets';
import { noteKeys } from '../features/assets/api/notes';
import { ApiError, type Asset, type AssetPage } from '../lib/api-client';
import { connectionBack, connectionLost } from '../lib/connection';

type LiveEvent =
  | {
      type: 'asset.created' | 'asset.changed' | 'asset.deleted' | 'asset.restored';
      assetId: string;
      folderPath: string;
    }
  // Without `fromFolderPath` when it came from a folder this user cannot see.
  | { type: 'asset.moved'; assetId: string; folderPath: string; fromFolderPath?: string }
  | { type: 'folder.created' | 'folder.changed' | 'folder.deleted'; folderPath: string }
  // A note on an asset this user may see was added, changed or deleted.
  | {
      type: 'note.added' | 'note.changed' | 'note.deleted';
      assetId: string;
      noteId: string;
      folderPath: string;
    }
  // The server lost other servers' events for a while: read again what is shown.
  | { type: 'events.missed' }
  | {
      type: 'job.progress';
      jobId: string;
      assetId?: string;
      folderPath?: string;
      done: number;
      total: number;
    };

const GATHER_MS = 250;
/** A search reload asks for facet counts over the lake: not more often than this. */
const SEARCH_RELOAD_MS = 1000;

export function useLiveUpdates(enabled = true): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled || typeof EventSource === 'undefined') return;
    const changed = new Set<string>();
    const folders = new Set<string>();
    let foldersChanged = false;
    let trashChanged = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const searches = searchReloader(queryClient);
    let lostConnection = false;

    const flush = () => {
      timer = undefined;
      const ids = [...changed];
      const paths = [...folders];
      changed.clear();
      folders.clear();
      for (const path of paths) void reloadFolderLists(queryClient, path);
      if (paths.length > 0) searches.reload();
      if (foldersChanged) void queryClient.invalidateQueries({ queryKey: ['folders'] });
      if (trashChanged) void queryClient.invalidateQueries({ queryKey: ['trash'] });
      foldersChanged = false;
      trashChanged = false;
      for (const id of ids)
        void refreshAsset(queryClient, id).then((inEverySearch) => {
          if (!inEverySearch) searches.reload();
        });
    };
    const schedule = () => {
      timer ??= setTimeout(flush, GATHER_MS);
    };

    const source = new EventSource('/api/events');
    source.onmessage = (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message.data);
      } catch {
        return;
      }
      switch (event.type) {
        case 'asset.changed':
          changed.add(event.assetId);
          break;
        case 'asset.created':
          folders.add(event.folderPath);
          break;
        case 'asset.deleted':
        case 'asset.restored':
          folders.add(event.folderPath);
          trashChanged = true;
          break;
        case 'asset.moved':
          folders.add(event.folderPath);
          if (event.fromFolderPath !== undefined) folders.add(event.fromFolderPath);
          changed.add(event.assetId);
          break;
        case 'folder.created':
        case 'folder.changed':
        case 'folder.deleted':
          foldersChanged = true;
          break;
        case 'note.added':
        case 'note.changed':
        case 'note.deleted':
          // Only an open preview shows notes: it reads them again.
          void queryClient.invalidateQueries({ queryKey: noteKeys.of(event.assetId) });
          return;
        case 'events.missed':
          rereadEverything();
          return;
        default:
          return;
      }
      schedule();
    };
    source.onerror = () => {
      lostConnection = true;
      connectionLost();
    };
    // Events missed (this tab's connection or its server's to PostgreSQL was lost) are not
    // replayed: reload what is shown.
    const rereadEverything = () => {
      void queryClient.invalidateQueries({ queryKey: assetKeys.all });
      void queryClient.invalidateQueries({ queryKey: ['folders'] });
      void queryClient.invalidateQueries({ queryKey: ['trash'] });
      searches.reload();
    };
    source.onopen = () => {
      connectionBack();
      if (!lostConnection) return;
      lostConnection = false;
      rereadEverything();
    };
    return () => {
      clearTimeout(timer);
      searches.stop();
      source.close();
    };
  }, [enabled, queryClient]);
}

function reloadFolderLists(queryClient: QueryClient, folder: string) {
  const inFolder = (query: { queryKey: readonly unknown[] }) =>
    (query.queryKey[2] as AssetListParams | undefined)?.folder === folder;
  // Blocks fetched by position too: an arrival shifts every position after it.
  void queryClient.invalidateQueries({ queryKey: blockKeys.all, predicate: inFolder });
  return queryClient.invalidateQueries({ queryKey: assetKeys.lists, predicate: inFolder });
}

const isSearchList = (key: readonly unknown[]) =>
  (key[2] as { search?: unknown } | undefined)?.search !== undefined;

/** Reloads every cached search result list, at most once per SEARCH_RELOAD_MS. */
function searchReloader(queryClient: QueryClient) {
  let last = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = () => {
    timer = undefined;
    last = Date.now();
    void queryClient.invalidateQueries({
      queryKey: assetKeys.lists,
      predicate: (query) => isSearchList(query.queryKey),
    });
  };
  return {
    reload() {
      if (timer) return;
      timer = setTimeout(run, Math.max(0, last + SEARCH_RELOAD_MS - Date.now()));
    },
    stop() {
      clearTimeout(timer);
    },
  };
}

/**
 * Fetches one asset and swaps it into every cached list and its detail. Says whether every
 * cached search list already held it (if not, one of them may have to show it now).
 */
async function refreshAsset(queryClient: QueryClient, id: string): Promise<boolean> {
  let asset: Asset;
  try {
    asset = await getAsset(id);
  } catch (error) {
    // Gone or out of sight: lists that show it reload.
    if (error instanceof ApiError && error.status === 404) {
      queryClient.removeQueries({ queryKey: assetKeys.detail(id) });
      await queryClient.invalidateQueries({ queryKey: assetKeys.lists });
    }
    return true;
  }
  let inEverySearch = true;
  queryClient.setQueryData(assetKeys.detail(id), asset);
  for (const [key, data] of queryClient.getQueriesData<InfiniteData<AssetPage>>({
    queryKey: assetKeys.lists,
  })) {
    if (data && isSearchList(key) && !data.pages.some((p) => p.items.some((a) => a.id === id)))
      inEverySearch = false;
  }
  queryClient.setQueriesData<InfiniteData<AssetPage>>({ queryKey: assetKeys.lists }, (data) => {
    if (!data) return data;
    let found = false;
    const pages = data.pages.map((page) => {
      const index = page.items.findIndex((a) => a.id === id);
      if (index < 0) return page;
      found = true;
      const items = [...page.items];
      items[index] = asset;
      return { ...page, items };
    });
    return found ? { ...data, pages } : data;
  });
  queryClient.setQueriesData<AssetPage>({ queryKey: blockKeys.all }, (page) => {
    const index = page?.items.findIndex((a) => a.id === id) ?? -1;
    if (!page || index < 0) return page;
    const items = [...page.items];
    items[index] = asset;
    return { ...page, items };
  });
  return inEverySearch;
}
