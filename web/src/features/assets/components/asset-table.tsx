import { type ColumnDef, createColumnHelper } from '@tanstack/react-table';
import { type HTMLAttributes, type ReactNode, useMemo } from 'react';
import { DataTable } from '../../../components/data-table';
import { EmptyState } from '../../../components/feedback';
import { accessSummary, FolderAccessBadge, NameWarning } from '../../../components/folder-access';
import { IconFolder, IconLock, IconUpload, IconUsers } from '../../../components/icons';
import { LocationChips } from '../../../components/location-chips';
import type { AssetSort, Folder, SortOrder } from '../../../lib/api-client';
import { formatBytes, formatDate, formatDuration, formatFrameRate } from '../../../lib/format';
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
    meta: { width: 'minmax(200px, 4fr)' },
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
    meta: { width: '72px' },
    cell: ({ row }) =>
      row.original.type === 'folder' ? <span className="muted">Folder</span> : row.original.asset.format,
  }),
  column.display({
    id: 'state',
    header: 'Status',
    meta: { width: '112px' },
    cell: ({ row, table }) =>
      assetOnly((r) => (
        // Where it is has its own column when that is shown.
        <AssetStatus asset={r.asset} where={!table.getAllLeafColumns().some((c) => c.id === 'location')} />
      ))(row.original),
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

/** Who can see a row: a folder's own access; an asset's is its folder's (the one shown). */
function AccessCell({ access }: { access: Folder['access'] | undefined }) {
  if (!access) return <span className="muted">—</span>;
  const { label, title, locked } = accessSummary(access);
  return (
    <span className={`access-cell ${locked ? 'access-cell--locked' : ''}`} title={title}>
      {locked ? <IconLock size={12} /> : <IconUsers size={12} />}
      <span className="access-cell__text">{label}</span>
    </span>
  );
}

const mono = (text: string | number | null | undefined) =>
  text === null || text === undefined || text === '' ? (
    <span className="muted">—</span>
  ) : (
    <span className="mono">{text}</span>
  );

/**
 * Columns a media manager may add (the column chooser): the technical summary the probe keeps,
 * who uploaded, where the file is and who can see it. The server sorts by the columns above;
 * these are shown, not sorted.
 */
const extraColumns = (folderAccess: Folder['access'] | undefined): ColumnDef<BrowseRow, any>[] =>
  [
    column.display({
      id: 'location',
      header: 'Location',
      meta: { width: '140px' },
      cell: ({ row }) => assetOnly((r) => <LocationChips locations={r.asset.locations} />)(row.original),
    }),
    column.display({
      id: 'access',
      header: 'Who can see',
      meta: { width: '130px' },
      cell: ({ row: { original } }) => (
        <AccessCell access={original.type === 'folder' ? original.folder.access : folderAccess} />
      ),
    }),
    column.display({
      id: 'resolution',
      header: 'Resolution',
      meta: { width: '96px', align: 'end' },
      cell: ({ row }) =>
        assetOnly((r) => mono(r.asset.width && r.asset.height ? `${r.asset.width}×${r.asset.height}` : null))(
          row.original,
        ),
    }),
    column.display({
      id: 'frameRate',
      header: 'Frame rate',
      meta: { width: '88px', align: 'end' },
      cell: ({ row }) =>
        assetOnly((r) => mono(r.asset.frameRate ? formatFrameRate(r.asset.frameRate) : null))(row.original),
    }),
    column.display({
      id: 'startTimecode',
      header: 'Start TC',
      meta: { width: '108px', align: 'end' },
      cell: ({ row }) => assetOnly((r) => mono(r.asset.startTimecode))(row.original),
    }),
    column.display({
      id: 'codecs',
      header: 'Codecs',
      meta: { width: '130px' },
      cell: ({ row }) =>
        assetOnly((r) => {
          const codecs = [r.asset.videoCodec, r.asset.audioCodec].filter(Boolean).join(' / ');
          return codecs ? <span title={codecs}>{codecs}</span> : <span className="muted">—</span>;
        })(row.original),
    }),
    column.display({
      id: 'audioTracks',
      header: 'Audio tracks',
      meta: { width: '96px', align: 'end' },
      cell: ({ row }) => assetOnly((r) => mono(r.asset.audioTracks))(row.original),
    }),
    column.display({
      id: 'uploadedBy',
      header: 'Uploaded by',
      meta: { width: '120px' },
      cell: ({ row }) =>
        assetOnly((r) =>
          r.asset.uploadedBy ? (
            <span title={r.asset.uploadedBy}>{r.asset.uploadedBy}</span>
          ) : (
            <span className="muted">—</span>
          ),
        )(row.original),
    }),
  ].map((c) => ({ ...c, enableSorting: false }));

/** Every column the chooser offers, in the table's order, with its label. */
export const CHOOSABLE_COLUMNS: Array<{ id: string; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'log', label: 'Scene / Take' },
  { id: 'id', label: 'Asset ID' },
  { id: 'format', label: 'Format' },
  { id: 'state', label: 'Status' },
  { id: 'location', label: 'Location' },
  { id: 'access', label: 'Who can see' },
  { id: 'resolution', label: 'Resolution' },
  { id: 'frameRate', label: 'Frame rate' },
  { id: 'startTimecode', label: 'Start timecode' },
  { id: 'codecs', label: 'Codecs' },
  { id: 'duration', label: 'Duration' },
  { id: 'audioTracks', label: 'Audio tracks' },
  { id: 'size', label: 'Size' },
  { id: 'uploadedBy', label: 'Uploaded by' },
  { id: 'created', label: 'Created' },
  { id: 'modified', label: 'Modified' },
];
export const COLUMN_IDS = CHOOSABLE_COLUMNS.map((c) => c.id);
/**
 * What a new account sees: what tells clips apart, within a 1440 px window beside the tree; the
 * rest (who can see, timecode, codecs, modified…) is a click away in the chooser.
 */
export const DEFAULT_COLUMNS = [
  'name',
  'log',
  'format',
  'state',
  'location',
  'resolution',
  'frameRate',
  'duration',
  'size',
];

/** All columns in the table's order (the search screen's folder column goes after the name). */
function allColumns(folderAccess: Folder['access'] | undefined): ColumnDef<BrowseRow, any>[] {
  const byId = new Map([...ASSET_COLUMNS, ...extraColumns(folderAccess)].map((c) => [c.id as string, c]));
  return COLUMN_IDS.map((id) => byId.get(id)).filter((c): c is ColumnDef<BrowseRow, any> => !!c);
}

/** What a compact row keeps: enough to recognise a clip and see whether it is ready. */
const COMPACT_WIDTHS: Record<string, string> = { name: 'minmax(0, 1fr)', state: '104px', duration: '72px' };

/** In search results: each asset's folder, which opens it. */
const folderColumn = (onOpen: (path: string) => void): ColumnDef<BrowseRow, any> =>
  column.display({
    id: 'folder',
    header: 'Folder',
    enableSorting: false,
    meta: { width: 'minmax(120px, 2fr)' },
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
  /** Column ids to show (the chooser's); all of the defaults when absent. */
  visibleColumns?: string[];
  /** Widths a person dragged, by column id (px). */
  columnWidths?: Record<string, number>;
  onColumnResize?: (id: string, width: number) => void;
  /** Who can see the folder shown: its assets' "Who can see". */
  folderAccess?: Folder['access'];
}

export function AssetTable(props: AssetTableProps) {
  const { onOpenFolder, compact, visibleColumns, folderAccess } = props;
  const columns = useMemo(() => {
    if (compact)
      return ASSET_COLUMNS.filter((c) => c.id && c.id in COMPACT_WIDTHS).map((c) => ({
        ...c,
        meta: { ...c.meta, width: COMPACT_WIDTHS[c.id as string] },
      }));
    const shown = new Set(visibleColumns ?? DEFAULT_COLUMNS);
    shown.add('name');
    const chosen = allColumns(folderAccess).filter((c) => shown.has(c.id as string));
    return onOpenFolder ? [chosen[0], folderColumn(onOpenFolder), ...chosen.slice(1)] : chosen;
  }, [onOpenFolder, compact, visibleColumns, folderAccess]);
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
      columnWidths={compact ? undefined : props.columnWidths}
      onColumnResize={compact ? undefined : props.onColumnResize}
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
