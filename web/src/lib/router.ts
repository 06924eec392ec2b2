/**
 * A small history router: the app has a handful of screens, and every view's state (folder,
 * sort, layout, search) lives in the URL so a view can be shared and reloaded.
 */
import { type MouseEvent, useSyncExternalStore } from 'react';

const CHANGE = 'dailies:navigate';

function subscribe(callback: () => void): () => void {
  window.addEventListener('popstate', callback);
  window.addEventListener(CHANGE, callback);
  return () => {
    window.removeEventListener('popstate', callback);
    window.removeEventListener(CHANGE, callback);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

export interface Location {
  pathname: string;
  search: URLSearchParams;
  href: string;
}

export function useLocation(): Location {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { pathname: decodeURIComponent(url.pathname), search: url.searchParams, href };
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(CHANGE));
}

/** For `<a href>`: plain clicks navigate in place; modified clicks open a tab as usual. */
export function linkHandler(to: string) {
  return (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
}

/** `/browse/Day 01/Cam A` ↔ `/Day 01/Cam A`, each segment URL-encoded. */
export function browseHref(folder: string, search?: URLSearchParams | Record<string, string>): string {
  const segments = folder.split('/').filter(Boolean).map(encodeURIComponent);
  const params = new URLSearchParams(search);
  const query = params.toString();
  return `/browse/${segments.join('/')}${query ? `?${query}` : ''}`;
}

export function folderFromPathname(pathname: string): string {
  const rest = pathname.replace(/^\/browse\/?/, '');
  const segments = rest.split('/').filter(Boolean);
  return `/${segments.join('/')}`;
}
