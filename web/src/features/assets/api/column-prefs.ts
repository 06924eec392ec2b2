/**
 * Which columns of the browse table a person shows, and how wide: kept in this browser for each
 * account (`dailies.columns.<username>`), so two people sharing a machine keep their own. A
 * stored value that does not parse, or names columns that no longer exist, falls back to the
 * defaults column by column; a width is kept within MIN..MAX.
 */
import { useCallback, useSyncExternalStore } from 'react';

export interface ColumnPrefs {
  /** Column ids shown, in the table's own order (order is not a preference). */
  visible: string[];
  /** Widths in CSS pixels that a person dragged; the others keep their flexible default. */
  widths: Record<string, number>;
}

export const MIN_COLUMN_WIDTH = 48;
export const MAX_COLUMN_WIDTH = 1200;

const keyOf = (username: string) => `dailies.columns.${username}`;
const listeners = new Set<() => void>();
/** One parsed snapshot per key, so useSyncExternalStore sees a stable value. */
const cache = new Map<string, { raw: string | null; prefs: ColumnPrefs }>();

export function clampWidth(width: number): number {
  if (!Number.isFinite(width)) return MIN_COLUMN_WIDTH;
  return Math.round(Math.min(MAX_COLUMN_WIDTH, Math.max(MIN_COLUMN_WIDTH, width)));
}

/** Parses what was stored; anything odd (not JSON, wrong types, unknown ids) is dropped. */
export function parseColumnPrefs(
  raw: string | null,
  known: readonly string[],
  defaults: string[],
): ColumnPrefs {
  const fallback = { visible: defaults, widths: {} };
  if (!raw) return fallback;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return fallback;
  }
  if (!value || typeof value !== 'object') return fallback;
  const { visible, widths } = value as { visible?: unknown; widths?: unknown };
  const shown = Array.isArray(visible) ? known.filter((id) => visible.includes(id)) : defaults;
  const sizes: Record<string, number> = {};
  if (widths && typeof widths === 'object')
    for (const [id, width] of Object.entries(widths as Record<string, unknown>))
      if (known.includes(id) && typeof width === 'number' && Number.isFinite(width))
        sizes[id] = clampWidth(width);
  return { visible: shown.length > 0 ? shown : defaults, widths: sizes };
}

function read(username: string, known: readonly string[], defaults: string[]): ColumnPrefs {
  const key = keyOf(username);
  let raw: string | null = null;
  try {
    raw = localStorage.getItem(key);
  } catch {
    // Storage blocked (private mode, policy): defaults, not saved.
  }
  const cached = cache.get(key);
  if (cached && cached.raw === raw) return cached.prefs;
  const prefs = parseColumnPrefs(raw, known, defaults);
  cache.set(key, { raw, prefs });
  return prefs;
}

function write(username: string, prefs: ColumnPrefs) {
  try {
    localStorage.setItem(keyOf(username), JSON.stringify(prefs));
  } catch {
    // Not saved; the change still holds until the page reloads.
    cache.set(keyOf(username), { raw: JSON.stringify(prefs), prefs });
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  // Another tab of the same account changed them.
  const onStorage = (event: StorageEvent) => {
    if (event.key?.startsWith('dailies.columns.')) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useColumnPrefs(username: string, known: readonly string[], defaults: string[]) {
  const prefs = useSyncExternalStore(subscribe, () => read(username, known, defaults));
  const setVisible = useCallback(
    (id: string, shown: boolean) => {
      const current = read(username, known, defaults);
      const next = shown
        ? known.filter((k) => k === id || current.visible.includes(k))
        : current.visible.filter((k) => k !== id);
      // The name column always stays: a row must say what it is.
      if (next.length === 0) return;
      write(username, { ...current, visible: next });
    },
    [username, known, defaults],
  );
  const setWidth = useCallback(
    (id: string, width: number) => {
      const current = read(username, known, defaults);
      write(username, { ...current, widths: { ...current.widths, [id]: clampWidth(width) } });
    },
    [username, known, defaults],
  );
  const reset = useCallback(() => write(username, { visible: defaults, widths: {} }), [username, defaults]);
  return { prefs, setVisible, setWidth, reset };
}
