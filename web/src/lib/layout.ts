/**
 * The layouts the app switches between by window width. Narrow (phones and portrait tablets)
 * gets a toolbar menu, compact rows and a full-screen preview; a phone also folds the folder
 * tree into a drawer. The widths match the media queries in the stylesheets.
 */
import { useSyncExternalStore } from 'react';

export const NARROW = '(max-width: 899px)';
export const PHONE = '(max-width: 759px)';

export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}
