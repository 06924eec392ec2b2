import { useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect } from 'react';
import { IconHome, IconTrash } from '../components/icons';
import { Toasts } from '../components/toasts';
import { onUploadFinished } from '../features/uploads/api/upload-queue';
import { UploadPanel } from '../features/uploads/components/upload-panel';
import { linkHandler, navigate, useLocation } from '../lib/router';
import { BrowsePage, type Session } from './routes/browse';
import { SettingsPage } from './routes/settings';
import { TrashPage } from './routes/trash';

export function App() {
  const location = useLocation();
  const queryClient = useQueryClient();
  const session: Session = { isAdmin: true, groups: ['admin', 'editors'] };

  useEffect(() => {
    if (location.pathname === '/' || location.pathname === '') navigate('/browse/', { replace: true });
  }, [location.pathname]);

  // A finished upload is a new row: refresh lists, at most a few times a second.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = onUploadFinished(() => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ['assets'] });
        void queryClient.invalidateQueries({ queryKey: ['folders'] });
      }, 300);
    });
    return () => {
      off();
      clearTimeout(timer);
    };
  }, [queryClient]);

  let page: ReactNode;
  const path = location.pathname;
  if (path.startsWith('/browse')) page = <BrowsePage session={session} />;
  else if (path === '/trash') page = <TrashPage />;
  else if (path.startsWith('/admin')) page = <SettingsPage />;
  else page = <NotFound />;

  const section = path.startsWith('/browse')
    ? 'browse'
    : path === '/trash'
      ? 'trash'
      : path.startsWith('/admin')
        ? 'admin'
        : '';

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="/browse/" onClick={linkHandler('/browse/')} aria-label="Dailies home">
          <span className="brand__mark" aria-hidden="true">
            D
          </span>
          <span className="brand__name">Dailies</span>
        </a>
        <nav className="topnav" aria-label="Main">
          <a
            href="/browse/"
            className={section === 'browse' ? 'is-active' : ''}
            aria-current={section === 'browse' ? 'page' : undefined}
            onClick={linkHandler('/browse/')}
          >
            <IconHome /> Media
          </a>
          <a
            href="/trash"
            className={section === 'trash' ? 'is-active' : ''}
            aria-current={section === 'trash' ? 'page' : undefined}
            onClick={linkHandler('/trash')}
          >
            <IconTrash /> Trash
          </a>
        </nav>
        <div className="topbar__spacer" />
      </header>
      <main className="app__body">{page}</main>
      <UploadPanel />
      <Toasts />
    </div>
  );
}

function NotFound() {
  return (
    <div className="empty" role="alert">
      <div className="empty__title">Nothing here</div>
      <div className="empty__text">This page does not exist.</div>
      <a className="button" href="/browse/" onClick={linkHandler('/browse/')}>
        Go to the media
      </a>
    </div>
  );
}
