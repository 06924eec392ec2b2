import { type ColumnDef, createColumnHelper } from '@tanstack/react-table';
import { type HTMLAttributes, type ReactNode, useMemo } from 'react';
import { DataTable } from '../../../components/data-table';
import { EmptyState } from '../../../components/feedback';
import { FolderAccessBadge, NameWarning } from '../../../components/folder-access';
import { IconFolder, IconUpload } from '../../../components/icons';
import type { AssetSort, SortOrder } from '../../../lib/api-client';
import { formatBytes, formatDate, formatDuration } from '../../../lib/format';
import { AssetStatus, KindIcon } from './asset-status';
import { type BrowseRow, isAssetRow, rowId, rowName } from './browse-row';
import { LogCell } from './log-cell';

const column = createColumnHelper<BrowseRow>();

const assetOnly = (render: (row: Extract<BrowseRow, { type: 'asset' }>) => ReactNode) => (row: BrowseRow) =>
  isAssetRow(row) ? render(row) : <span className="muted">—</span>;

export const ASSET_COLUMNS: ColumnDef<BrowseRow, any>[] = [
  column.display({
    id: 'name',
    header: 'Name',
    meta: { width: 'minmax(220px, 4fr)' },
    cell: ({ row: { original } }) => (
      <span className="name-cell">
        <span className={`name-cell__icon ${original.type === 'folder' ? 'name-cell__icon--folder' : ''}`}>
          {original.type === 'folder' ? (
            <IconFolder />
          ) : (
            <KindIcon kind={original.asset.kind} format={original.asset.format} />
          )}
        </span>
        <span className="name-cell__text" title={rowName(original)}>
          {rowName(original)}
        </span>
        <NameWarning
          warning={original.type === 'folder' ? original.folder.warning : original.asset.warning}
        />
        {original.type === 'folder' && <FolderAccessBadge access={original.folder.access} />}
      </span>
    ),
  }),
  column.display({
    id: 'id',
    header: 'Asset ID',
    meta: { width: '100px' },
    cell: ({ row }) =>
      assetOnly((r) => (
        <span className="mono" title={r.asset.id}>
          {r.asset.id.slice(0, 8)}
        </span>
      ))(row.original),
  }),
  column.display({
    id: 'format',
    header: 'Format',
    meta: { width: '90px' },
    cell: ({ row }) =>
      row.original.type === 'folder' ? <span className="muted">Folder</span> : row.original.asset.format,
  }),
  column.display({
    id: 'state',
    header: 'Status',
    meta: { width: '150px' },
    cell: ({ row }) => assetOnly((r) => <AssetStatus asset={r.asset} />)(row.original),
  }),
  column.display({
    id: 'created',
    header: 'Created',
    meta: { width: '136px' },
    cell: ({ row }) =>
      formatDate(
        row.original.type === 'folder' ? row.original.folder.createdAt : row.original.asset.createdAt,
      ),
  }),
  column.display({
    id: 'modified',
    header: 'Modified',
    meta: { width: '136px' },
    cell: ({ row }) =>
      formatDate(
        row.original.type === 'folder' ? row.original.folder.modifiedAt : row.original.asset.modifiedAt,
      ),
  }),
  column.display({
    id: 'size',
    header: 'Size',
    meta: { width: '84px', align: 'end' },
    cell: ({ row }) => assetOnly((r) => formatBytes(r.asset.size))(row.original),
  }),
  column.display({
    id: 'duration',
    header: 'Duration',
    meta: { width: '84px', align: 'end' },
    cell: ({ row }) =>
      assetOnly((r) => <span className="mono">{formatDuration(r.asset.duration)}</span>)(row.original),
  }),
].map((c) => ({ ...c, enableSorting: true }));
// Scene and take from the log, beside the name: what an editor looks for first on a shoot day.
ASSET_COLUMNS.splice(
  1,
  0,
  column.display({
    id: 'log',
    header: 'Scene / Take',
    enableSorting: false,
    meta: { width: '100px' },
    cell: ({ row }) => assetOnly((r) => <LogCell log={r.asset.log} />)(row.original),
  }),
);

/** What a compact row keeps: enough to recognise a clip and see whether it is ready. */
const COMPACT_WIDTHS: Record<string, string> = { name: 'minmax(0, 1fr)', state: '104px', duration: '72px' };

/** In search results: each asset's folder, which opens it. */
const folderColumn = (onOpen: (path: string) => void): ColumnDef<BrowseRow, any> =>
  column.display({
    id: 'folder',
    header: 'Folder',
    enableSorting: false,
    meta: { width: 'minmax(140px, 2fr)' },
    cell: ({ row }) =>
      assetOnly((r) => (
        <button
          type="button"
          className="link-button folder-link"
          title={`Open ${r.asset.folder}`}
          aria-label={`Open folder ${r.asset.folder}`}
          onClick={(event) => {
            event.stopPropagation();
            onOpen(r.asset.folder);
          }}
          onDoubleClick={(event) => event.stopPropagation()}
        >
          {r.asset.folder}
        </button>
      ))(row.original),
  });

interface AssetTableProps {
  rows: BrowseRow[];
  rowCount: number;
  loading: boolean;
  sort: AssetSort;
  order: SortOrder;
  onSort: (sort: AssetSort) => void;
  selection: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
  onLoadMore: (lastVisible: number, firstMissing: number) => void;
  onActivate: (row: BrowseRow) => void;
  onDelete: (row: BrowseRow) => void;
  onRename: (row: BrowseRow) => void;
  onContextMenu: (row: BrowseRow, position: { x: number; y: number }) => void;
  emptyAction?: ReactNode;
  /** Search results: a folder column that jumps to the folder. */
  onOpenFolder?: (path: string) => void;
  empty?: ReactNode;
  /** Narrow windows: name, status and duration only, in touch-sized rows that open on a tap. */
  compact?: boolean;
  rowDragProps?: (row: BrowseRow) => HTMLAttributes<HTMLElement>;
}

export function AssetTable(props: AssetTableProps) {
  const { onOpenFolder, compact } = props;
  const columns = useMemo(
    () =>
      compact
        ? ASSET_COLUMNS.filter((c) => c.id && c.id in COMPACT_WIDTHS).map((c) => ({
            ...c,
            meta: { ...c.meta, width: COMPACT_WIDTHS[c.id as string] },
          }))
        : onOpenFolder
          ? // The folder column takes the short asset id's room (the preview shows the id whole).
            [
              ASSET_COLUMNS[0],
              folderColumn(onOpenFolder),
              ...ASSET_COLUMNS.slice(1).filter((c) => c.id !== 'id'),
            ]
          : ASSET_COLUMNS,
    [onOpenFolder, compact],
  );
  return (
    <DataTable<BrowseRow>
      label="Folders and assets"
      rows={props.rows}
      rowCount={props.rowCount}
      columns={columns}
      getRowId={rowId}
      getRowLabel={rowName}
      isSelectable={isAssetRow}
      selection={props.selection}
      onSelectionChange={props.onSelectionChange}
      sort={{ id: props.sort, desc: props.order === 'desc' }}
      onSort={(id) => props.onSort(id as AssetSort)}
      onLoadMore={props.onLoadMore}
      onActivate={props.onActivate}
      onDelete={props.onDelete}
      onRename={props.onRename}
      onContextMenu={props.onContextMenu}
      loading={props.loading}
      compact={compact}
      rowDragProps={props.rowDragProps}
      rowHeight={compact ? 48 : undefined}
      rowClassName={(row) => (row.type === 'folder' ? 'is-folder' : undefined)}
      empty={
        props.empty ?? (
          <EmptyState icon={<IconUpload size={28} />} title="This folder is empty">
            Drop files or whole folders here, or use Create New to upload.
            {props.emptyAction}
          </EmptyState>
        )
      }
    />
  );
}
