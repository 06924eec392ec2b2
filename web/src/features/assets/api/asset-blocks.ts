/**
 * Pages of a folder fetched by position, for a view that jumped far past what the cursor
 * pages have loaded (a drag of the scrollbar to row 20,000 of 100,000): the block under the
 * viewport is asked for at once instead of every page before it. Blocks are whole server pages
 * at fixed positions, so a block is cached and reused as the user moves back and forth.
 */
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Asset, api } from '../../../lib/api-client';
import type { AssetListParams } from './list-assets';

/** The server's largest page: one block is one request. */
export const BLOCK_SIZE = 1000;
/** Blocks kept in view at once; older ones drop out (their cache ages out as usual). */
const MAX_BLOCKS = 6;

export const blockKeys = {
  all: ['assets', 'blocks'] as const,
  block: (params: AssetListParams, block: number) => ['assets', 'blocks', params, block] as const,
};

export function listAssetBlock(params: AssetListParams, block: number, signal?: AbortSignal) {
  return api('get', '/api/assets', {
    query: { ...params, limit: BLOCK_SIZE, offset: block * BLOCK_SIZE },
    signal,
  });
}

export interface AssetBlocks {
  /** Loaded assets by position (0 = the folder's first asset). */
  placed: Array<{ offset: number; items: Asset[] }>;
  /** Asks for the blocks that hold the asset positions `first`..`last`. */
  show: (first: number, last: number) => void;
  fetching: boolean;
}

export function useAssetBlocks(params: AssetListParams, enabled: boolean): AssetBlocks {
  const [wanted, setWanted] = useState<number[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new folder or sort starts with none.
  useEffect(() => setWanted([]), [params.folder, params.sort, params.order]);

  const show = useCallback((first: number, last: number) => {
    const from = Math.floor(Math.max(0, first) / BLOCK_SIZE);
    const to = Math.floor(Math.max(0, last) / BLOCK_SIZE);
    setWanted((current) => {
      const needed = [];
      for (let b = from; b <= to; b++) if (!current.includes(b)) needed.push(b);
      if (needed.length === 0) return current;
      return [...current, ...needed].slice(-MAX_BLOCKS);
    });
  }, []);

  const results = useQueries({
    queries: (enabled ? wanted : []).map((block) => ({
      queryKey: blockKeys.block(params, block),
      queryFn: ({ signal }: { signal: AbortSignal }) => listAssetBlock(params, block, signal),
      staleTime: 10_000,
    })),
  });
  const fetching = results.some((r) => r.isFetching);
  // A new array each render; what changed is when each block's data last arrived.
  const arrived = results.map((r) => r.dataUpdatedAt).join(',');
  // biome-ignore lint/correctness/useExhaustiveDependencies: `arrived` says when the pages change.
  const placed = useMemo(
    () =>
      results.flatMap((r) =>
        r.data && r.data.offset !== null ? [{ offset: r.data.offset, items: r.data.items }] : [],
      ),
    [arrived],
  );
  return { placed, show, fetching };
}
