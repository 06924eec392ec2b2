/**
 * Storage: where the space goes (per folder, drilled down from the root; per kind, format,
 * derivative and edit volume; growth), duplicates, what could be cleaned up, and for admins
 * the retention and prices. Every figure is the server's, for what the caller may see. The
 * URL holds the folder and the tab.
 */
import '../../features/storage/storage.css';
import { Spinner } from '../../components/feedback';
import { useStorageOverview } from '../../features/storage/api/storage';
import { CleanupPanel } from '../../features/storage/components/cleanup-panel';
import { DuplicatesPanel } from '../../features/storage/components/duplicates-panel';
import { OverviewPanel } from '../../features/storage/components/overview-panel';
import { SettingsPanel } from '../../features/storage/components/settings-panel';
import { formatBytes, formatMoney, plural } from '../../lib/format';
import { navigate, useLocation } from '../../lib/router';

const TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'duplicates', label: 'Duplicates' },
  { id: 'cleanup', label: 'Clean-up' },
  { id: 'settings', label: 'Settings', admin: true },
] as const;
type Tab = (typeof TABS)[number]['id'];

export function storageHref(folder: string, tab: Tab = 'overview'): string {
  const params = new URLSearchParams();
  if (folder !== '/') params.set('folder', folder);
  if (tab !== 'overview') params.set('tab', tab);
  const query = params.toString();
  return `/storage${query ? `?${query}` : ''}`;
}

export function StoragePage({ isAdmin }: { isAdmin: boolean }) {
  const location = useLocation();
  const folder = location.search.get('folder') || '/';
  const requested = location.search.get('tab') as Tab | null;
  const tab: Tab = TABS.some((t) => t.id === requested && (!('admin' in t) || isAdmin))
    ? requested!
    : 'overview';
  const overview = useStorageOverview(folder);
  const data = overview.data;
  const segments = folder.split('/').filter(Boolean);
  const totalCost = data?.cost.total;
  return (
    <section className="page storage" aria-labelledby="storage-title">
      <header className="page__header">
        <h1 id="storage-title" className="page__title">
          Storage
        </h1>
        <p className="page__subtitle">
          Where the space goes, what is stored twice, and what can go.{' '}
          {!isAdmin && 'Figures count only the folders you can see.'}
        </p>
      </header>
      <nav className="storage-crumbs" aria-label="Folder">
        <button type="button" className="link-button" onClick={() => navigate(storageHref('/', tab))}>
          Lake
        </button>
        {segments.map((segment, i) => {
          const path = `/${segments.slice(0, i + 1).join('/')}`;
          return (
            <span key={path}>
              <span className="storage-crumbs__sep">/</span>
              <button
                type="button"
                className="link-button"
                aria-current={i === segments.length - 1 ? 'location' : undefined}
                onClick={() => navigate(storageHref(path, tab))}
              >
                {segment}
              </button>
            </span>
          );
        })}
      </nav>
      {overview.error ? (
        <div className="empty" role="alert">
          <div className="empty__title">These figures cannot be shown</div>
          <div className="empty__text">{(overview.error as Error).message}</div>
          <button type="button" className="button" onClick={() => navigate(storageHref('/'))}>
            Back to the lake
          </button>
        </div>
      ) : !data ? (
        <div className="splash">
          <Spinner label="Adding up" />
        </div>
      ) : (
        <>
          <div className="storage-cards">
            <Card
              label={folder === '/' ? 'Lake' : folder}
              value={formatBytes(data.folder.bytes)}
              note={plural(data.folder.assets, 'asset')}
            />
            <Card
              label="Derivatives"
              value={formatBytes(data.derived.bytes)}
              note={
                data.folder.bytes + data.derived.bytes > 0
                  ? `${((data.derived.bytes / (data.folder.bytes + data.derived.bytes)) * 100).toFixed(1)} % of what is stored`
                  : '—'
              }
            />
            <Card
              label="Trash"
              value={formatBytes(data.trash.bytes)}
              note={plural(data.trash.assets, 'asset')}
            />
            <Card
              label="On edit volumes"
              value={formatBytes(data.volumes.reduce((n, v) => n + v.bytes, 0))}
              note={plural(
                data.volumes.reduce((n, v) => n + v.assets, 0),
                'copy',
                'copies',
              )}
            />
            <Card
              label="Monthly cost"
              value={
                totalCost === null || totalCost === undefined
                  ? '—'
                  : formatMoney(totalCost, data.cost.currency)
              }
              note={
                totalCost === null
                  ? isAdmin
                    ? 'Set prices under Settings'
                    : 'Not priced'
                  : 'at the prices set'
              }
            />
          </div>
          <div className="storage-tabs" role="tablist" aria-label="Storage views">
            {TABS.filter((t) => !('admin' in t) || isAdmin).map((t) => (
              <button
                key={t.id}
                type="button"
                role="tab"
                aria-selected={tab === t.id}
                className={tab === t.id ? 'storage-tab is-active' : 'storage-tab'}
                onClick={() => navigate(storageHref(folder, t.id))}
              >
                {t.label}
              </button>
            ))}
          </div>
          <div className="storage-body" role="tabpanel">
            {tab === 'overview' && (
              <OverviewPanel
                data={data}
                hrefOf={(path) => storageHref(path)}
                onOpen={(path) => navigate(storageHref(path, 'overview'))}
              />
            )}
            {tab === 'duplicates' && <DuplicatesPanel />}
            {tab === 'cleanup' && <CleanupPanel overview={data} />}
            {tab === 'settings' && isAdmin && <SettingsPanel overview={data} />}
          </div>
        </>
      )}
    </section>
  );
}

function Card({ label, value, note }: { label: string; value: string; note: string }) {
  return (
    <div className="storage-card">
      <div className="storage-card__label" title={label}>
        {label}
      </div>
      <div className="storage-card__value">{value}</div>
      <div className="storage-card__note">{note}</div>
    </div>
  );
}
