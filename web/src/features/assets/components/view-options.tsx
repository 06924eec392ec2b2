/**
 * The view's own settings beside the breadcrumbs: in the table, which columns show (the column
 * chooser); in cards, what they are sorted by. Sorting is the server's in both (the URL's
 * `sort` and `order`), so cards and table list the same order.
 */
import { useEffect, useRef } from 'react';
import { IconArrowDown, IconArrowUp } from '../../../components/icons';
import type { AssetSort, SortOrder } from '../../../lib/api-client';
import { CHOOSABLE_COLUMNS } from './asset-table';
import './view-options.css';

export function ColumnChooser(props: {
  visible: string[];
  onToggle: (id: string, shown: boolean) => void;
  onReset: () => void;
}) {
  const ref = useRef<HTMLDetailsElement>(null);
  // A press outside, or Escape, folds it away like a menu.
  useEffect(() => {
    const onDown = (event: MouseEvent) => {
      const details = ref.current;
      if (details?.open && !details.contains(event.target as Node)) details.open = false;
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, []);
  const shown = new Set(props.visible);
  return (
    <details
      ref={ref}
      className="view-options column-chooser"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && ref.current?.open) {
          event.preventDefault();
          ref.current.open = false;
          ref.current.querySelector('summary')?.focus();
        }
      }}
    >
      <summary className="button button--small">Columns</summary>
      <fieldset className="view-options__panel">
        <legend className="view-options__legend">Columns to show</legend>
        {CHOOSABLE_COLUMNS.map(({ id, label }) => (
          <label key={id} className="view-options__choice">
            <input
              type="checkbox"
              checked={id === 'name' || shown.has(id)}
              disabled={id === 'name'}
              onChange={(event) => props.onToggle(id, event.target.checked)}
            />
            <span>{label}</span>
          </label>
        ))}
        <button type="button" className="link-button view-options__reset" onClick={props.onReset}>
          Reset columns and widths
        </button>
      </fieldset>
    </details>
  );
}

const CARD_SORTS: Array<{ id: AssetSort; label: string }> = [
  { id: 'name', label: 'Name' },
  { id: 'modified', label: 'Modified' },
  { id: 'created', label: 'Created' },
  { id: 'size', label: 'Size' },
  { id: 'duration', label: 'Duration' },
  { id: 'format', label: 'Format' },
  { id: 'state', label: 'Status' },
];

export function CardSort(props: {
  sort: AssetSort;
  order: SortOrder;
  onChange: (sort: AssetSort, order: SortOrder) => void;
}) {
  const known = CARD_SORTS.some((s) => s.id === props.sort);
  return (
    <div className="view-options card-sort">
      <label className="card-sort__label">
        <span>Sort by</span>
        <select
          className="input"
          value={known ? props.sort : 'name'}
          onChange={(event) => props.onChange(event.target.value as AssetSort, props.order)}
        >
          {CARD_SORTS.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      <button
        type="button"
        className="icon-button"
        aria-label={props.order === 'asc' ? 'Ascending; sort descending' : 'Descending; sort ascending'}
        title={props.order === 'asc' ? 'Ascending' : 'Descending'}
        onClick={() => props.onChange(props.sort, props.order === 'asc' ? 'desc' : 'asc')}
      >
        {props.order === 'asc' ? <IconArrowUp /> : <IconArrowDown />}
      </button>
    </div>
  );
}
