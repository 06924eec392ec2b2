/**
 * An admin list: a titled panel with its "New …" button and a plain table of what it holds,
 * each row with its actions last. Groups, logging fields, users and edit volumes are such
 * lists; their dialogs stay with them.
 */
import { type ReactNode, useId } from 'react';
import { Skeleton } from './feedback';

export interface AdminColumn<T> {
  header: string;
  cell: (row: T) => ReactNode;
  className?: string;
}

export interface AdminTableProps<T> {
  label: string;
  columns: AdminColumn<T>[];
  rows: T[] | undefined;
  /** Skeleton rows stand in for the rows until they come. */
  loading?: boolean;
  rowKey: (row: T) => string;
  /** The icon buttons at the end of a row. */
  actions: (row: T) => ReactNode;
  /** Said when there are no rows; nothing is said without it. */
  empty?: string;
  /** Skeleton rows while loading. */
  loadingRows?: number;
  /** Added to `plain-table`. */
  className?: string;
  rowClassName?: (row: T) => string | undefined;
}

export function AdminTable<T>(props: AdminTableProps<T>) {
  const { label, columns, rows, loading, rowKey, actions, empty, loadingRows = 1, className } = props;
  const span = columns.length + 1;
  return (
    <table className={className ? `plain-table ${className}` : 'plain-table'} aria-label={label}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column.header} scope="col">
              {column.header}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {loading &&
          Array.from({ length: loadingRows }, (_, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have nothing else to key by
            <tr key={i}>
              <td colSpan={span}>
                <Skeleton width={loadingRows > 1 ? '60%' : '50%'} />
              </td>
            </tr>
          ))}
        {rows?.length === 0 && empty && (
          <tr>
            <td colSpan={span} className="muted">
              {empty}
            </td>
          </tr>
        )}
        {rows?.map((row) => (
          <tr key={rowKey(row)} className={props.rowClassName?.(row)}>
            {columns.map((column) => (
              <td key={column.header} className={column.className}>
                {column.cell(row)}
              </td>
            ))}
            <td className="plain-table__actions">{actions(row)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The panel around an admin list: its title and the button that adds to it. */
export function AdminPanel(props: {
  title: string;
  newLabel: ReactNode;
  onNew: () => void;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <section className="panel" aria-labelledby={`${id}-title`}>
      <div className="panel__head">
        <h2 id={`${id}-title`} className="panel__title">
          {props.title}
        </h2>
        <button type="button" className="button button--primary" onClick={props.onNew}>
          {props.newLabel}
        </button>
      </div>
      {props.children}
    </section>
  );
}

/** An icon button in a row's actions; its label says what it does to which row. */
export function RowButton(props: {
  label: string;
  icon: ReactNode;
  onClick: () => void;
  disabled?: boolean;
  title?: string;
}) {
  return (
    <button
      type="button"
      className="icon-button"
      aria-label={props.label}
      title={props.title}
      disabled={props.disabled}
      onClick={props.onClick}
    >
      {props.icon}
    </button>
  );
}
