// biome-ignore-all lint/a11y/noRedundantRoles: CSS grid layout strips table semantics in browsers, so every role is spelled out.
// biome-ignore-all lint/a11y/noNoninteractiveElementToInteractiveRole: an interactive table is an ARIA grid (rows, gridcells).
// biome-ignore-all lint/a11y/useFocusableInteractive: focus stays on the grid and rows are reached by aria-activedescendant.
/**
 * The shared table: TanStack Table for columns and headers, TanStack Virtual for rows, so a
 * folder of 100,000 assets renders only what is on screen. Rows not loaded yet show as
 * skeletons and ask for the next page as they come into view. Sorting is the server's: a
 * header click only reports which column.
 */
import {
  type ColumnDef,
  flexRender,
  getCoreRowModel,
  type RowData,
  useReactTable,
} from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type CSSProperties,
  type HTMLAttributes,
  type MouseEvent,
  type ReactNode,
  useEffect,
  useId,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { Skeleton } from './feedback';
import { IconArrowDown, IconArrowUp } from './icons';
import { useSelectionModel } from './selection';
import './data-table.css';

declare module '@tanstack/react-table' {
  interface ColumnMeta<TData extends RowData, TValue> {
    /** A CSS grid track: `120px`, `minmax(200px, 3fr)`. */
    width?: string;
    align?: 'end';
    /** Hidden type witnesses keep TanStack's generics in use. */
    _?: [TData, TValue];
  }
}

/** Rows before the end of what is loaded at which the next page is asked for. */
const LOAD_AHEAD = 150;

export interface DataTableProps<T> {
  label: string;
  /** May have holes: rows not loaded yet (a jump far down loads the rows there first). */
  rows: T[];
  /** Rows once every page is loaded (at least `rows.length`). */
  rowCount: number;
  columns: ColumnDef<T, any>[];
  getRowId: (row: T) => string;
  /** The name read out for a row's checkbox: "Select A001.mov". */
  getRowLabel: (row: T) => string;
  isSelectable?: (row: T) => boolean;
  selection: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
  sort?: { id: string; desc: boolean } | null;
  onSort?: (columnId: string) => void;
  /**
   * Asks for rows: gets the last row index on screen and the first missing one at or after the
   * top of the screen. Called ahead of the end, so scrolling rarely meets a skeleton.
   */
  onLoadMore?: (lastVisible: number, firstMissing: number) => void;
  onActivate?: (row: T) => void;
  onDelete?: (row: T) => void;
  onRename?: (row: T) => void;
  onContextMenu?: (row: T, position: { x: number; y: number }) => void;
  loading?: boolean;
  empty?: ReactNode;
  rowHeight?: number;
  rowClassName?: (row: T) => string | undefined;
  /**
   * Touch-sized rows for narrow windows: a tap opens the row (no double-click on a phone), the
   * checkbox cell selects, and the table is as wide as its container.
   */
  compact?: boolean;
  /** Drag and drop on a row (drag a row, drop on a row): spread onto the row element. */
  rowDragProps?: (row: T) => HTMLAttributes<HTMLElement>;
  /** Widths set by dragging a header's edge (px), by column id; others keep `meta.width`. */
  columnWidths?: Record<string, number>;
  /** Makes each header's edge a resize handle (drag, or arrow keys when it has focus). */
  onColumnResize?: (columnId: string, width: number) => void;
}

export function DataTable<T>(props: DataTableProps<T>) {
  const {
    label,
    rows,
    rowCount,
    columns,
    getRowId,
    getRowLabel,
    selection,
    sort,
    onSort,
    onLoadMore,
    loading,
    rowHeight = 32,
  } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const baseId = useId();
  const model = useSelectionModel({
    rows,
    rowCount,
    getRowId,
    isSelectable: props.isSelectable,
    selection,
    onSelectionChange: props.onSelectionChange,
  });

  // The table model takes the loaded rows only; `positions` maps each back to its index.
  const { loaded, positions } = useMemo(() => {
    const loaded: T[] = [];
    const positions: number[] = [];
    rows.forEach((row, index) => {
      loaded.push(row);
      positions.push(index);
    });
    return { loaded, positions };
  }, [rows]);
  const table = useReactTable({
    data: loaded,
    columns,
    getCoreRowModel: getCoreRowModel(),
    getRowId: (row) => getRowId(row),
    manualSorting: true,
    state: { sorting: sort ? [sort] : [] },
  });
  const modelRows = table.getRowModel().rows;
  const tableRows = useMemo(() => {
    const byIndex: (typeof modelRows)[number][] = [];
    modelRows.forEach((row, k) => {
      byIndex[positions[k]] = row;
    });
    return byIndex;
  }, [modelRows, positions]);

  const count = loading ? 12 : rowCount;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    // Rows drawn beyond each edge: enough for a wheel step (3 rows) or two; each one more is DOM
    // the first screen of a large folder builds and lays out before anything shows.
    overscan: 8,
    // Before the table is measured, assume it fills the window: the first render then draws the
    // rows on screen, rather than none, and measuring only trims a few.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
    // The sticky header takes the first row's height.
    paddingStart: rowHeight,
    scrollPaddingStart: rowHeight,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1].index : -1;
  const firstVisible = items.length > 0 ? items[0].index : -1;

  useEffect(() => {
    if (loading || !onLoadMore || firstVisible < 0) return;
    const end = Math.min(rowCount - 1, lastVisible + LOAD_AHEAD);
    for (let i = firstVisible; i <= end; i++)
      if (rows[i] === undefined) {
        onLoadMore(lastVisible, i);
        return;
      }
  }, [firstVisible, lastVisible, rows, rowCount, loading, onLoadMore]);

  const template = `${props.compact ? '44px' : '36px'} ${table
    .getVisibleLeafColumns()
    .map((c) => {
      const set = props.columnWidths?.[c.id];
      return set ? `${set}px` : (c.columnDef.meta?.width ?? '1fr');
    })
    .join(' ')}`;
  const style = { '--columns': template, '--row-height': `${rowHeight}px` } as CSSProperties;
  const allState = model.allState();
  const rowDomId = (index: number) => `${baseId}-row-${index}`;

  const openMenu = (index: number, event: MouseEvent) => {
    event.preventDefault();
    const row = rows[index];
    if (!row || !props.onContextMenu) return;
    model.contextRow(index);
    props.onContextMenu(row, { x: event.clientX, y: event.clientY });
  };

  const menuFromKeyboard = (row: T, index: number) => {
    const element = document.getElementById(rowDomId(index));
    const rect = element?.getBoundingClientRect();
    model.contextRow(index);
    props.onContextMenu?.(row, { x: (rect?.left ?? 0) + 40, y: (rect?.bottom ?? 0) - 4 });
  };

  const columnsList = table.getVisibleLeafColumns();
  return (
    <div ref={scrollRef} className={`data-table ${props.compact ? 'data-table--compact' : ''}`} style={style}>
      <table
        className="data-table__table"
        role="grid"
        aria-label={label}
        aria-rowcount={rowCount + 1}
        aria-multiselectable="true"
        aria-busy={loading}
        tabIndex={0}
        // Only a row that is drawn: a virtual row off screen, or one gone with a reload, has no element.
        aria-activedescendant={
          items.some((item) => item.index === model.focusIndex) && rows[model.focusIndex] !== undefined
            ? rowDomId(model.focusIndex)
            : undefined
        }
        onKeyDown={(event) =>
          model.keyDown(event, {
            onActivate: props.onActivate,
            onDelete: props.onDelete,
            onRename: props.onRename,
            onMenu: menuFromKeyboard,
            pageRows: Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / rowHeight) - 1),
            scrollTo: (index) => virtualizer.scrollToIndex(index, { align: 'auto' }),
          })
        }
      >
        <thead className="data-table__head" role="rowgroup">
          {table.getHeaderGroups().map((group) => (
            <tr key={group.id} className="data-table__header" role="row" aria-rowindex={1}>
              <th className="data-table__cell data-table__cell--check" scope="col" role="columnheader">
                <input
                  type="checkbox"
                  aria-label="Select all"
                  checked={allState === 'all'}
                  ref={(el) => {
                    if (el) el.indeterminate = allState === 'some';
                  }}
                  onChange={() => (allState === 'all' ? model.clear() : model.selectAll())}
                  disabled={rows.length === 0}
                />
              </th>
              {group.headers.map((header) => {
                // Sorting is the server's, so display columns sort too unless a column opts out.
                const sortable = !!onSort && header.column.columnDef.enableSorting !== false;
                const active = sort?.id === header.column.id;
                // With a resize handle inside, the header is named by its text alone.
                const nameId = props.onColumnResize ? `${baseId}-head-${header.id}` : undefined;
                return (
                  <th
                    key={header.id}
                    scope="col"
                    role="columnheader"
                    aria-labelledby={nameId}
                    className={`data-table__cell data-table__cell--head ${header.column.columnDef.meta?.align === 'end' ? 'data-table__cell--end' : ''}`}
                    aria-sort={
                      active ? (sort?.desc ? 'descending' : 'ascending') : sortable ? 'none' : undefined
                    }
                  >
                    {props.onColumnResize && (
                      <ColumnResizer
                        label={
                          typeof header.column.columnDef.header === 'string'
                            ? header.column.columnDef.header
                            : header.column.id
                        }
                        width={props.columnWidths?.[header.column.id]}
                        onResize={(width) => props.onColumnResize?.(header.column.id, width)}
                      />
                    )}
                    {sortable ? (
                      <button
                        type="button"
                        id={nameId}
                        className={`sort-button ${active ? 'sort-button--active' : ''}`}
                        onClick={() => onSort?.(header.column.id)}
                      >
                        {flexRender(header.column.columnDef.header, header.getContext())}
                        <span className="sort-button__icon">
                          {active ? (
                            sort?.desc ? (
                              <IconArrowDown size={12} />
                            ) : (
                              <IconArrowUp size={12} />
                            )
                          ) : null}
                        </span>
                      </button>
                    ) : (
                      <span id={nameId}>
                        {flexRender(header.column.columnDef.header, header.getContext())}
                      </span>
                    )}
                  </th>
                );
              })}
            </tr>
          ))}
        </thead>
        <tbody
          className="data-table__body"
          style={{ height: Math.max(0, virtualizer.getTotalSize() - rowHeight) }}
        >
          {items.map((item) => {
            const row = loading ? undefined : tableRows[item.index];
            // Offsets count the sticky header (paddingStart); the body starts below it.
            const top = item.start - rowHeight;
            if (!row) {
              return (
                <tr
                  key={`pending-${item.index}`}
                  className="data-table__row data-table__row--pending"
                  role="row"
                  aria-rowindex={item.index + 2}
                  style={{ transform: `translateY(${top}px)` }}
                >
                  <td className="data-table__cell data-table__cell--check" role="gridcell" />
                  {columnsList.map((column, i) => (
                    <td key={column.id} className="data-table__cell" role="gridcell">
                      <Skeleton width={i === 0 ? '60%' : '70%'} />
                    </td>
                  ))}
                </tr>
              );
            }
            const id = row.id;
            const selected = selection.has(id);
            const selectable = model.isSelectable(row.original);
            const focused = model.focusIndex === item.index;
            return (
              <tr
                key={id}
                id={rowDomId(item.index)}
                role="row"
                className={`data-table__row ${selected ? 'is-selected' : ''} ${focused ? 'is-focused' : ''} ${props.rowClassName?.(row.original) ?? ''}`}
                aria-rowindex={item.index + 2}
                aria-selected={selectable ? selected : undefined}
                data-row-id={id}
                {...props.rowDragProps?.(row.original)}
                style={{ transform: `translateY(${top}px)` }}
                onClick={(event) => {
                  const plain = !event.shiftKey && !event.ctrlKey && !event.metaKey;
                  if (props.compact && plain) props.onActivate?.(row.original);
                  else model.clickRow(item.index, event);
                }}
                onDoubleClick={() => props.onActivate?.(row.original)}
                onContextMenu={(event) => openMenu(item.index, event)}
              >
                {/* biome-ignore lint/a11y/useKeyWithClickEvents: the keyboard selects with Space on the row; this only widens the touch target. */}
                <td
                  className="data-table__cell data-table__cell--check"
                  role="gridcell"
                  onClick={(event) => {
                    // The whole cell is the checkbox's touch target in compact rows.
                    if (props.compact && selectable && event.target === event.currentTarget)
                      model.clickCheckbox(item.index, event);
                  }}
                >
                  {selectable && (
                    <input
                      type="checkbox"
                      aria-label={`Select ${getRowLabel(row.original)}`}
                      checked={selected}
                      tabIndex={-1}
                      onClick={(event) => model.clickCheckbox(item.index, event)}
                      onChange={() => {}}
                    />
                  )}
                </td>
                {row.getVisibleCells().map((cell) => (
                  <td
                    key={cell.id}
                    role="gridcell"
                    className={`data-table__cell ${cell.column.columnDef.meta?.align === 'end' ? 'data-table__cell--end' : ''}`}
                  >
                    {flexRender(cell.column.columnDef.cell, cell.getContext())}
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      {!loading && rowCount === 0 && props.empty}
    </div>
  );
}

/**
 * A header's right edge: drag it, or focus it and press ← → (Shift for bigger steps), to set the
 * column's width. The grid's own keys are not reached while it has focus.
 */
function ColumnResizer(props: { label: string; width?: number; onResize: (width: number) => void }) {
  const cellWidth = (element: HTMLElement) => element.parentElement?.getBoundingClientRect().width ?? 100;
  const ref = useRef<HTMLSpanElement>(null);
  // A flexible column's width is known once laid out; the separator reads it out.
  const [measured, setMeasured] = useState(0);
  useLayoutEffect(() => {
    const width = ref.current ? Math.round(cellWidth(ref.current)) : 0;
    if (width !== measured) setMeasured(width);
  });
  return (
    // biome-ignore lint/a11y/useSemanticElements: a focusable separator is ARIA's window-splitter; <hr> cannot take focus or keys.
    <span
      ref={ref}
      className="column-resizer"
      role="separator"
      aria-orientation="vertical"
      aria-label={`Width of ${props.label} column`}
      aria-valuenow={Math.round(props.width ?? measured) || 1}
      aria-valuemin={48}
      aria-valuemax={1200}
      tabIndex={0}
      onClick={(event) => event.stopPropagation()}
      onPointerDown={(event) => {
        event.preventDefault();
        event.stopPropagation();
        const handle = event.currentTarget;
        const start = event.clientX;
        const from = cellWidth(handle);
        handle.setPointerCapture(event.pointerId);
        const move = (e: PointerEvent) => props.onResize(from + e.clientX - start);
        const up = () => {
          handle.removeEventListener('pointermove', move);
          handle.removeEventListener('pointerup', up);
          handle.removeEventListener('pointercancel', up);
        };
        handle.addEventListener('pointermove', move);
        handle.addEventListener('pointerup', up);
        handle.addEventListener('pointercancel', up);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Tab') return;
        // Enter, Space and the arrows here are the handle's, not the grid's.
        event.stopPropagation();
        if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
        event.preventDefault();
        const step = (event.shiftKey ? 64 : 16) * (event.key === 'ArrowLeft' ? -1 : 1);
        props.onResize(cellWidth(event.currentTarget) + step);
      }}
    />
  );
}
