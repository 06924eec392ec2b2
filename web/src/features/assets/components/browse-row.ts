import type { Asset, Folder } from '../../../lib/api-client';

/** A row of the main view: folders come first, then the folder's assets. */
export type BrowseRow = { type: 'folder'; folder: Folder } | { type: 'asset'; asset: Asset };

export const rowId = (row: BrowseRow) => (row.type === 'folder' ? `folder:${row.folder.path}` : row.asset.id);
export const rowName = (row: BrowseRow) => (row.type === 'folder' ? row.folder.name : row.asset.name);
export const isAssetRow = (row: BrowseRow): row is { type: 'asset'; asset: Asset } => row.type === 'asset';
