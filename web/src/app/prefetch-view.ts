/**
 * The first screen's reads, started before React first renders: who is signed in and, on a
 * folder, the folder and its first page of assets, side by side rather than one after another.
 * index.html's inline script has usually asked for these already (`early-requests.ts`); their
 * answers are taken here, so when they came in while the app's code loaded, the first render
 * already shows the rows. A signed-out visitor's 401s change nothing; the page asks again once
 * signed in.
 */
import type { QueryClient } from '@tanstack/react-query';
import { assetListOptions, sortFromParams } from '../features/assets/api/list-assets';
import { meQueryOptions } from '../features/auth/api/get-me';
import { folderQueryOptions } from '../features/folders/api/get-folder';
import { dropEarlyAnswers } from '../lib/early-answers';
import { folderFromPathname } from '../lib/router';

export function prefetchView(queryClient: QueryClient): void {
  void queryClient.prefetchQuery(meQueryOptions());
  const { pathname, search } = window.location;
  if (pathname.startsWith('/browse')) {
    const folder = folderFromPathname(decodeURIComponent(pathname));
    void queryClient.prefetchQuery(folderQueryOptions(folder));
    void queryClient.prefetchInfiniteQuery(
      assetListOptions({ folder, ...sortFromParams(new URLSearchParams(search)) }),
    );
  }
  // Each query above took its answer synchronously, as it started.
  dropEarlyAnswers();
}
