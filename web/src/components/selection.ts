/**
 * Selection and keyboard focus over a long list that is only partly loaded (the table and the
 * card grid share it): click, Ctrl/⌘-click toggles, Shift-click selects a range, checkboxes,
 * select-all, and the keys of a file manager.
 */
import { type KeyboardEvent, type MouseEvent, useCallback, useRef, useState } from 'react';

export interface SelectionOptions<T> {
  rows: T[];
  /** Rows the list will hold once every page is loaded. */
  rowCount: number;
  getRowId: (row: T) => string;
  isSelectable?: (row: T) => boolean;
  selection: ReadonlySet<string>;
  onSelectionChange: (next: Set<string>) => void;
}

export interface KeyActions<T> {
  onActivate?: (row: T) => void;
  onDelete?: (row: T) => void;
  onRename?: (row: T) => void;
  onMenu?: (row: T, index: number) => void;
  /** Columns per visual row (cards); 1 for a table. */
  columns?: number;
  pageRows?: number;
  scrollTo: (index: number) => void;
}

export function useSelectionModel<T>(options: SelectionOptions<T>) {
  const { rows, getRowId, selection, onSelectionChange } = options;
  const selectable = useCallback(
    (row: T | undefined) => !!row && (options.isSelectable?.(row) ?? true),
    [options],
  );
  const [focusIndex, setFocusIndex] = useState(-1);
  const anchor = useRef<number | null>(null);

  const rangeIds = (from: number, to: number) => {
    const ids: string[] = [];
    for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
      const row = rows[i];
      if (selectable(row)) ids.push(getRowId(row));
    }
    return ids;
  };

  const selectRange = (to: number, additive: boolean) => {
    const from = anchor.current ?? to;
    const next = new Set(additive ? selection : []);
    for (const id of rangeIds(from, to)) next.add(id);
    onSelectionChange(next);
  };

  const toggle = (index: number) => {
    const row = rows[index];
    if (!selectable(row)) return;
    const id = getRowId(row);
    const next = new Set(selection);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelectionChange(next);
    anchor.current = index;
  };

  const loadedSelectable = () => rows.filter((r) => selectable(r)).map(getRowId);

  const selectAll = () => onSelectionChange(new Set(loadedSelectable()));
  const clear = () => onSelectionChange(new Set());
  const allState = (): 'none' | 'some' | 'all' => {
    const ids = loadedSelectable();
    const count = ids.filter((id) => selection.has(id)).length;
    return count === 0 ? 'none' : count === ids.length ? 'all' : 'some';
  };

  /** A click on a row body: plain selects it alone, Ctrl/⌘ toggles it, Shift extends from the anchor. */
  const clickRow = (index: number, event: MouseEvent) => {
    setFocusIndex(index);
    const row = rows[index];
    if (event.shiftKey && anchor.current !== null) {
      selectRange(index, event.ctrlKey || event.metaKey);
      return;
    }
    if (event.ctrlKey || event.metaKey) {
      toggle(index);
      return;
    }
    anchor.current = index;
    onSelectionChange(new Set(selectable(row) ? [getRowId(row)] : []));
  };

  /** A click on a row's checkbox: toggles it, or with Shift adds the range from the anchor. */
  const clickCheckbox = (index: number, event: MouseEvent) => {
    event.stopPropagation();
    setFocusIndex(index);
    if (event.shiftKey && anchor.current !== null) {
      selectRange(index, true);
      anchor.current = index;
    } else toggle(index);
  };

  /** A right-click on a row outside the selection makes it the selection, as file managers do. */
  const contextRow = (index: number) => {
    setFocusIndex(index);
    const row = rows[index];
    if (selectable(row) && !selection.has(getRowId(row))) {
      anchor.current = index;
      onSelectionChange(new Set([getRowId(row)]));
    }
  };

  const keyDown = (event: KeyboardEvent, actions: KeyActions<T>) => {
    const columns = actions.columns ?? 1;
    const last = rows.length - 1;
    const moveTo = (index: number) => {
      const next = Math.max(0, Math.min(last, index));
      if (last < 0) return;
      setFocusIndex(next);
      actions.scrollTo(next);
      if (event.shiftKey) selectRange(next, false);
      else anchor.current = next;
    };
    const current = focusIndex < 0 ? -1 : focusIndex;
    const row = rows[current];
    const mod = event.ctrlKey || event.metaKey;
    switch (event.key) {
      case 'ArrowDown':
        moveTo(current < 0 ? 0 : current + columns);
        break;
      case 'ArrowUp':
        moveTo(current < 0 ? 0 : current - columns);
        break;
      case 'ArrowRight':
        if (columns === 1) return;
        moveTo(current + 1);
        break;
      case 'ArrowLeft':
        if (columns === 1) return;
        moveTo(current - 1);
        break;
      case 'Home':
        moveTo(0);
        break;
      case 'End':
        moveTo(last);
        break;
      case 'PageDown':
        moveTo(current + (actions.pageRows ?? 10) * columns);
        break;
      case 'PageUp':
        moveTo(current - (actions.pageRows ?? 10) * columns);
        break;
      case ' ':
        if (current < 0) return;
        toggle(current);
        break;
      case 'Enter':
        if (row) actions.onActivate?.(row);
        break;
      case 'Delete':
      case 'Backspace':
        if (row) actions.onDelete?.(row);
        break;
      case 'F2':
        if (row) actions.onRename?.(row);
        break;
      case 'Escape':
        if (selection.size === 0) return;
        clear();
        break;
      case 'ContextMenu':
        if (row) actions.onMenu?.(row, current);
        break;
      case 'F10':
        if (!event.shiftKey || !row) return;
        actions.onMenu?.(row, current);
        break;
      case 'a':
      case 'A':
        if (!mod) return;
        selectAll();
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  return {
    focusIndex,
    setFocusIndex,
    clickRow,
    clickCheckbox,
    contextRow,
    keyDown,
    selectAll,
    clear,
    allState,
    isSelectable: selectable,
  };
}

export type SelectionModel<T> = ReturnType<typeof useSelectionModel<T>>;
