import './styles/base.css';
import './styles/controls.css';
import './styles/panels.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/app';
import { prefetchView } from './app/prefetch-view';
import { Providers } from './app/providers';
import { createQueryClient } from './app/query-client';

const queryClient = createQueryClient();
// Before the render is scheduled: answers already in (early requests) are in the cache by the
// time React first renders, so the first render is the screen itself rather than a spinner.
prefetchView(queryClient);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Providers client={queryClient}>
      <App />
    </Providers>
  </StrictMode>,
);
