import { useQueryClient } from '@tanstack/react-query';
import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { ConnectionBanner } from '../components/connection-banner';
import { Spinner } from '../components/feedback';
import { IconHome, IconSettings, IconStorage, IconTrash } from '../components/icons';
import { Toasts } from '../components/toasts';
import { useGroups } from '../features/admin/api/list-groups';
import { type Me, meKeys, useMe } from '../features/auth/api/get-me';
import { ForcedPasswordPage } from '../features/auth/components/forced-password-page';
import { SignInPage } from '../features/auth/components/sign-in-page';
import { UserMenu } from '../features/auth/components/user-menu';
import { onUploadFinished } from '../features/uploads/api/upload-queue';
import { UploadPanel } from '../features/uploads/components/upload-panel';
import { ApiError, onApiError, setRequestHeader } from '../lib/api-client';
import { linkHandler, navigate, useLocation } from '../lib/router';
import { useLiveUpdates } from './live-updates';
import { BrowsePage, type Session } from './routes/browse';
import './app.css';

const CSRF_HEADER = 'x-dailies-csrf';

// Pages most sessions never open load on first visit, so the media view starts sooner.
const AdminPage = lazy(() => import('./routes/admin').then((m) => ({ default: m.AdminPage })));
const TrashPage = lazy(() => import('./routes/trash').then((m) => ({ default: m.TrashPage })));
const StoragePage = lazy(() => import('./routes/storage').then((m) => ({ default: m.StoragePage })));

/** Who is signed in decides what shows: sign-in, the forced password change, or the app. */
export function App() {
  const queryClient = useQueryClient();
  const me = useMe();

  useEffect(() => {
    setRequestHeader(CSRF_HEADER, () => queryClient.getQueryData<Me | null>(meKeys.me)?.csrfToken ?? null);
    // A session that ended elsewhere (expired, signed out, password changed) sends us back to
    // sign-in; a password an admin reset sends us to the change screen.
    return onApiError((error) => {
      if (error.status === 401) queryClient.setQueryData(meKeys.me, null);
      else if (error.code === 'password_change_required')
        void queryClient.invalidateQueries({ queryKey: meKeys.me });
    });
  }, [queryClient]);

  if (me.isLoading)
    return (
      <div className="splash">
        <Spinner label="Starting Dailies" />
      </div>
    );
  if (me.error)
    return (
      <div className="splash" role="alert">
        <div className="empty__title">Dailies cannot be reached</div>
        <div className="empty__text">
          {me.error instanceof ApiError ? me.error.message : String(me.error)}
        </div>
        <button type="button" className="button" onClick={() => void me.refetch()}>
          Try again
        </button>
      </div>
    );
  if (!me.data)
    return (
      <>
        <SignInPage />
        <Toasts />
      </>
    );
  if (me.data.mustChangePassword) return <ForcedPasswordPage username={me.data.username} />;
  return <SignedIn me={me.data} />;
}

function SignedIn({ me }: { me: Me }) {
  const location = useLocation();
  const queryClient = useQueryClient();
  const groups = useGroups(me.isAdmin);
  const session: Session = {
    isAdmin: me.isAdmin,
    username: me.username,
    groups: groups.data?.map((g) => g.name) ?? me.groups,
  };
  useLiveUpdates();

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
  if (path.startsWith('/browse') || path === '/search') page = <BrowsePage session={session} />;
  else if (path === '/trash') page = <TrashPage />;
  else if (path === '/storage') page = <StoragePage isAdmin={me.isAdmin} />;
  else if (path.startsWith('/admin') && me.isAdmin) page = <AdminPage />;
  else page = <NotFound />;

  const section =
    path.startsWith('/browse') || path === '/search'
      ? 'browse'
      : path === '/trash'
        ? 'trash'
        : path === '/storage'
          ? 'storage'
          : path.startsWith('/admin')
            ? 'admin'
            : '';

  return (
    <div className="app">
      <header className="topbar">
        <a className="brand" href="/browse/" onClick={linkHandler('/browse/')}>
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
            <IconHome /> <span className="topnav__label">Media</span>
          </a>
          <a
            href="/trash"
            className={section === 'trash' ? 'is-active' : ''}
            aria-current={section === 'trash' ? 'page' : undefined}
            onClick={linkHandler('/trash')}
          >
            <IconTrash /> <span className="topnav__label">Trash</span>
          </a>
          <a
            href="/storage"
            className={section === 'storage' ? 'is-active' : ''}
            aria-current={section === 'storage' ? 'page' : undefined}
            onClick={linkHandler('/storage')}
          >
            <IconStorage /> <span className="topnav__label">Storage</span>
          </a>
          {me.isAdmin && (
            <a
              href="/admin/users"
              className={section === 'admin' ? 'is-active' : ''}
              aria-current={section === 'admin' ? 'page' : undefined}
              onClick={linkHandler('/admin/users')}
            >
              <IconSettings /> <span className="topnav__label">Admin</span>
            </a>
          )}
        </nav>
        <div className="topbar__spacer" />
        <UserMenu me={me} />
      </header>
      <ConnectionBanner />
      <main className="app__body">
        <Suspense
          fallback={
            <div className="splash">
              <Spinner label="Loading" />
            </div>
          }
        >
          {page}
        </Suspense>
      </main>
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
