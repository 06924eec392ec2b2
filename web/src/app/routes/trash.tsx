/** The trash: deleted assets, restorable to where they were until the trash is emptied. */
import { createColumnHelper } from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import { DataTable } from '../../components/data-table';
import { ConfirmDialog } from '../../components/dialog';
import { EmptyState } from '../../components/feedback';
import { IconRestore, IconTrash } from '../../components/icons';
import { showToast, toastError } from '../../components/toasts';
import { RetentionNote } from '../../features/storage/components/retention-note';
import { useEmptyTrash } from '../../features/trash/api/empty-trash';
import { useTrash } from '../../features/trash/api/list-trash';
import { useRestoreAssets } from '../../features/trash/api/restore-assets';
import type { Asset } from '../../lib/api-client';
import { formatBytes, formatDate, plural } from '../../lib/format';

const column = createColumnHelper<Asset>();
const COLUMNS = [
  column.accessor('name', {
    header: 'Name',
    meta: { width: 'minmax(220px, 3fr)' },
    cell: (c) => <span className="name-cell__text">{c.getValue()}</span>,
  }),
  column.accessor('folder', {
    header: 'Deleted from',
    meta: { width: 'minmax(160px, 2fr)' },
    cell: (c) => <span className="mono">{c.getValue()}</span>,
  }),
  column.accessor('format', { header: 'Format', meta: { width: '90px' } }),
  column.accessor('size', {
    header: 'Size',
    meta: { width: '90px', align: 'end' },
    cell: (c) => formatBytes(c.getValue()),
  }),
  column.accessor('trashedAt', {
    header: 'Deleted',
    meta: { width: '170px' },
    cell: (c) => formatDate(c.getValue()),
  }),
];

export function TrashPage() {
  const { data, isLoading, error, hasNextPage, fetchNextPage, isFetchingNextPage } = useTrash();
  const [selection, setSelection] = useState<Set<string>>(new Set());
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const restore = useRestoreAssets();
  const empty = useEmptyTrash();
  // Pages come newest first; the list grows as more are asked for.
  const items = useMemo(() => (data?.pages ?? []).flatMap((page) => page.items), [data]);
  const selected = items.filter((a) => selection.has(a.id));

  const doRestore = async (targets: Asset[]) => {
    try {
      const { restored } = await restore.mutateAsync(targets.map((a) => a.id));
      setSelection(new Set());
      showToast('success', `Restored ${plural(restored, 'asset')}`);
    } catch (e) {
      toastError(e, 'Restore failed');
    }
  };

  return (
    <section className="page" aria-labelledby="trash-title">
      <header className="page__header">
        <h1 id="trash-title" className="page__title">
          Trash
        </h1>
        <p className="page__subtitle">
          Deleted assets stay here until the trash is emptied. Restoring puts them back in their folder.
        </p>
      </header>
      <RetentionNote />
      <div className="toolbar" role="toolbar" aria-label="Trash actions">
        <button
          type="button"
          className="button"
          disabled={selected.length === 0 || restore.isPending}
          onClick={() => void doRestore(selected)}
        >
          <IconRestore /> Restore{selected.length > 0 ? ` ${selected.length}` : ''}
        </button>
        <div className="toolbar__spacer" />
        <button
          type="button"
          className="button button--danger"
          disabled={items.length === 0}
          onClick={() => setConfirmEmpty(true)}
        >
          <IconTrash /> Empty trash
        </button>
      </div>
      <div className="main__content">
        {error ? (
          <div className="empty" role="alert">
            <div className="empty__title">The trash cannot be shown</div>
            <div className="empty__text">{(error as Error).message}</div>
          </div>
        ) : (
          <DataTable<Asset>
            label="Deleted assets"
            rows={items}
            rowCount={items.length}
            columns={COLUMNS}
            getRowId={(a) => a.id}
            getRowLabel={(a) => a.name}
            selection={selection}
            onSelectionChange={setSelection}
            onActivate={(a) => void doRestore([a])}
            loading={isLoading}
            empty={<EmptyState icon={<IconTrash size={28} />} title="The trash is empty" />}
          />
        )}
      </div>
      <footer className="statusbar">
        <span>
          {plural(items.length, 'asset')}
          {hasNextPage ? ' shown' : ''}
        </span>
        {hasNextPage && (
          <button
            type="button"
            className="link-button"
            disabled={isFetchingNextPage}
            onClick={() => void fetchNextPage()}
          >
            {isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        )}
        <span>{formatBytes(items.reduce((sum, a) => sum + a.size, 0))}</span>
        {selection.size > 0 && <span className="statusbar__selected">{selection.size} selected</span>}
      </footer>
      {confirmEmpty && (
        <ConfirmDialog
          title="Empty the trash"
          message={
            <>
              Delete {hasNextPage ? 'every asset in the trash' : plural(items.length, 'asset')} for good, with
              their proxies and thumbnails? This cannot be undone.
            </>
          }
          confirmLabel="Empty trash"
          danger
          onClose={() => setConfirmEmpty(false)}
          onConfirm={async () => {
            const { purged } = await empty.mutateAsync();
            setSelection(new Set());
            showToast('success', `Deleted ${plural(purged, 'asset')} for good`);
          }}
        />
      )}
    </section>
  );
}
