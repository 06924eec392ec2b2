/**
 * Inlined into index.html's head at build time (`web/vite-inline-script.ts`), so it runs before
 * the app's code has even downloaded: it asks at once for what the first screen shows (who is
 * signed in, and on `/browse/…` the folder and its first page of assets). The answers then
 * arrive while the bundle loads and parses, instead of one round trip after it.
 *
 * It stays small and imports nothing (only types). The app takes an answer only for exactly the
 * URL it would ask for itself (`lib/early-answers.ts`), so if this file ever builds a URL
 * differently the app just asks again: slower, never wrong.
 */
import type { EarlyAnswer } from './lib/early-answers';

(() => {
  const answers: Record<string, Promise<EarlyAnswer | null>> = {};
  const ask = (url: string) => {
    answers[url] = fetch(url, { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(async (response) => ({
        status: response.status,
        statusText: response.statusText,
        text: await response.text(),
      }))
      // A failed early request is not an answer: the app asks again and reports its own failure.
      .catch(() => null);
  };

  ask('/api/me');
  const { pathname, search } = window.location;
  if (pathname.startsWith('/browse')) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return;
    }
    // As `folderFromPathname` and `sortFromParams` read the address, and `buildUrl` writes a query.
    const folder = `/${decoded
      .replace(/^\/browse\/?/, '')
      .split('/')
      .filter(Boolean)
      .join('/')}`;
    const view = new URLSearchParams(search);
    ask(`/api/folders?${new URLSearchParams({ path: folder })}`);
    const page = new URLSearchParams({
      folder,
      sort: view.get('sort') ?? 'name',
      order: view.get('order') === 'desc' ? 'desc' : 'asc',
      limit: '100',
    });
    ask(`/api/assets?${page}`);
  }
  window.__dailiesEarly = answers;
})();
