/**
 * The main view: folder tree, breadcrumbs, toolbar and the folder's content as a table or
 * cards; on `/search`, the lake-wide search results with their filters instead. It composes
 * the folders, assets, search, volumes and uploads features. Its parts live beside it: the URL
 * state (use-browse-url), the actions on the mutation hooks (use-browse-actions), files dropped
 * from the desktop (use-file-drop) and the dialogs (browse-dialogs).
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ContextMenu, type MenuState } from '../../components/context-menu';
import { EmptyState } from '../../components/feedback';
import { IconMenu, IconSearch, IconUpload } from '../../components/icons';
import { toastError } from '../../components/toasts';
import { useColumnPrefs } from '../../features/assets/api/column-prefs';
import { AssetCards } from '../../features/assets/components/asset-cards';
import { AssetPreview } from '../../features/assets/components/asset-preview';
import { AssetTable, COLUMN_IDS, DEFAULT_COLUMNS } from '../../features/assets/components/asset-table';
import type { BrowseRow } from '../../features/assets/components/browse-row';
import { CardSort, ColumnChooser } from '../../features/assets/components/view-options';
import { Breadcrumbs } from '../../features/folders/components/breadcrumbs';
import { FolderTree } from '../../features/folders/components/folder-tree';
import { LogPanel } from '../../features/logging/components/log-panel';
import { downloadMhl } from '../../features/mhl/api/download-mhl';
import { FilterBar } from '../../features/search/components/filter-bar';
import {
  UploadPlaceholders,
  useIncomingUploads,
} from '../../features/uploads/components/upload-placeholders';
import type { Asset } from '../../lib/api-client';
import { formatCount, plural } from '../../lib/format';
import { NARROW, PHONE, useMediaQuery } from '../../lib/layout';
import { baseName } from '../../lib/paths';
import { navigate } from '../../lib/router';
import { VolumeNamesContext } from '../../lib/volume-names';
import { BrowseDialog, type BrowseDialogState } from './browse-dialogs';
import {
  assetMenuItems,
  folderMenuItems,
  logMenuItems,
  toolbarMenuItems,
  volumeMenuItems,
} from './browse-menus';
import { BrowseToolbar } from './browse-toolbar';
import { useBrowseActions } from './use-browse-actions';
import { useBrowseUrl } from './use-browse-url';
import { useEditVolumeActions } from './use-edit-volume-actions';
import { useFileDrop } from './use-file-drop';
import { useListing } from './use-listing';
import { useRowDrag } from './use-row-drag';
import './browse.css';

export interface Session {
  isAdmin: boolean;
  /** Whose column choices to keep. */
  username: string;
  /** Every group that exists, for the permissions dialog. */
  groups: string[];
}

export function BrowsePage({ session }: { session: Session }) {
  const url = useBrowseUrl();
  const { isSearch, folder, sort, order, view, previewId, searchState, search, setParams, openFolder } = url;

  const narrow = useMediaQuery(NARROW);
  const phone = useMediaQuery(PHONE);
  // On a phone the folder tree is a drawer over the content; choosing a folder closes it.
  const [drawerOpen, setDrawerOpen] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new folder or search closes the drawer.
  useEffect(() => setDrawerOpen(false), [folder, isSearch, phone]);

  const listing = useListing({ folder, sort, order, search });
  const { rows, assets, total, rowCount, loading, folderCount } = listing;
  const { loadUpTo } = listing;
  const columnPrefs = useColumnPrefs(session.username, COLUMN_IDS, DEFAULT_COLUMNS);
  // Files on their way into the folder shown: rows with progress, and never "This folder is empty".
  const incoming = useIncomingUploads(isSearch ? '\u0000' : folder);

  const [selection, setSelection] = useState<Set<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new folder or search starts with nothing selected.
  useEffect(() => setSelection(new Set()), [folder, isSearch]);
  const assetById = useMemo(() => new Map(assets.map((a) => [a.id, a])), [assets]);
  const selectedAssets = useMemo(
    () => [...selection].map((id) => assetById.get(id)).filter((a): a is Asset => !!a),
    [selection, assetById],
  );

  const [dialog, setDialog] = useState<BrowseDialogState | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  // Row indexes on screen count the folder rows first.
  const loadMore = useCallback(
    (lastVisible: number, firstMissing: number) =>
      loadUpTo(lastVisible - folderCount, firstMissing - folderCount),
    [loadUpTo, folderCount],
  );

  const actions = useBrowseActions({
    folder,
    openFolder,
    clearSelection: () => setSelection(new Set()),
    showDownloads: (links) => setDialog({ type: 'download', links }),
  });
  const { download } = actions;
  const askDelete = (targets: Asset[]) => {
    if (targets.length > 0)
      setDialog({ type: 'delete-assets', ids: targets.map((a) => a.id), names: targets.map((a) => a.name) });
  };

  const volumeActions = useEditVolumeActions(session.isAdmin);
  const saveMhl = async (source: { folder: string } | { ids: string[] }) => {
    try {
      await downloadMhl(source);
    } catch (error) {
      toastError(error, 'The ASC MHL file could not be made');
    }
  };
  const volumeNames = useMemo(
    () => new Map(volumeActions.volumes.map((v) => [v.id, v.name])),
    [volumeActions.volumes],
  );
  const volumeName = (id: string) => volumeNames.get(id) ?? id;

  const activate = (row: BrowseRow) => {
    if (row.type === 'folder') openFolder(row.folder.path);
    else setParams({ preview: row.asset.id }, { replace: false });
  };
  const rename = (row: BrowseRow) =>
    setDialog(
      row.type === 'folder'
        ? { type: 'rename-folder', folder: row.folder }
        : { type: 'rename-asset', asset: row.asset },
    );
  const removeRow = (row: BrowseRow) => {
    if (row.type === 'folder') setDialog({ type: 'delete-folder', folder: row.folder });
    else askDelete(selection.has(row.asset.id) ? selectedAssets : [row.asset]);
  };

  const openMenu = (row: BrowseRow, position: { x: number; y: number }) => {
    if (row.type === 'folder') {
      const f = row.folder;
      const items = folderMenuItems(f, {
        isAdmin: session.isAdmin,
        open: () => openFolder(f.path),
        rename: () => setDialog({ type: 'rename-folder', folder: f }),
        permissions: () => setDialog({ type: 'permissions', folder: f }),
        look: () => setDialog({ type: 'look', folder: f }),
        remove: () => setDialog({ type: 'delete-folder', folder: f }),
        exportBin: () => setDialog({ type: 'export-bin', source: { folder: f.path } }),
        downloadMhl: () => void saveMhl({ folder: f.path }),
        copyToVolume: volumeActions.hasVolumes ? () => volumeActions.askCopyFolder(f) : undefined,
        prepareForEdit: volumeActions.hasVolumes ? () => volumeActions.askPrepareFolder(f) : undefined,
        removeFromVolume: volumeActions.hasVolumes ? () => volumeActions.askRemoveFolder(f) : undefined,
      });
      setMenu({ ...position, label: `Actions for folder ${f.name}`, items });
      return;
    }
    const targets = selection.has(row.asset.id) ? selectedAssets : [row.asset];
    setMenu({
      ...position,
      label: targets.length === 1 ? `Actions for ${targets[0].name}` : `Actions for ${targets.length} assets`,
      items: assetItems(targets),
    });
  };

  const assetItems = (targets: Asset[]) =>
    assetMenuItems(targets, {
      isSearch,
      hasVolumes: volumeActions.hasVolumes,
      canRemove: volumeActions.canRemove(targets),
      preview: () => setParams({ preview: targets[0].id }, { replace: false }),
      move: () => setDialog({ type: 'move', ids: targets.map((a) => a.id), from: targets[0].folder }),
      showInFolder: openFolder,
      rename: (asset) => setDialog({ type: 'rename-asset', asset }),
      log: () => setDialog({ type: 'log-assets', ids: targets.map((a) => a.id) }),
      download: () => void download(targets),
      exportBin: () => setDialog({ type: 'export-bin', source: { ids: targets.map((a) => a.id) } }),
      downloadMhl: () => void saveMhl({ ids: targets.map((a) => a.id) }),
      copyToVolume: () => volumeActions.askCopy(targets),
      prepareForEdit: () => volumeActions.askPrepareSelection(targets),
      removeFromVolume: () => volumeActions.askRemove(targets),
      retry: () => void volumeActions.retry(targets),
      remove: () => askDelete(targets),
    });

  /** Narrow windows: the whole toolbar as one menu. */
  const openToolbarMenu = (position: { x: number; y: number }) =>
    setMenu({
      ...position,
      label: 'Actions',
      items: toolbarMenuItems({
        isSearch,
        isAdmin: session.isAdmin,
        importLog: () => setDialog({ type: 'log-import' }),
        view,
        selectionItems: selectedAssets.length > 0 ? assetItems(selectedAssets) : [],
        upload: () => setDialog({ type: 'upload' }),
        createFolder: () => setDialog({ type: 'create-folder' }),
        setView: (next) => setParams({ view: next === 'table' ? null : next }),
        settings: () => navigate('/admin/settings'),
      }),
    });

  // `/` jumps to the search box, `?` lists the shortcuts; not while typing or in a dialog.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key !== '/' && event.key !== '?') return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      if (target?.closest('input, textarea, select, [contenteditable="true"]')) return;
      if (document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (event.key === '/')
        document.querySelector<HTMLInputElement>('.toolbar input[type="search"]')?.focus();
      else setDialog({ type: 'shortcuts' });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const fileDrop = useFileDrop(folder);
  /** Dropped on the folder already shown: nothing to move. */
  const dropAssets = (ids: string[], to: string) => {
    if (!isSearch && to === folder) return;
    void actions.move(ids, to);
  };
  const rowDragProps = useRowDrag({ selection, onMove: dropAssets, enabled: !narrow });
  const dropping = fileDrop.dropping;

  // ── preview navigation ────────────────────────────────────────────────
  const previewIndex = previewId ? assets.findIndex((a) => a.id === previewId) : -1;
  const previewAt = (index: number) => {
    const next = assets[index];
    if (next) setParams({ preview: next.id });
  };

  const listProps = {
    rows,
    rowCount,
    loading,
    selection,
    onSelectionChange: setSelection,
    onLoadMore: loadMore,
    onActivate: activate,
    onDelete: removeRow,
    onRename: rename,
    onContextMenu: openMenu,
    compact: narrow,
    rowDragProps,
  };
  const folderError = listing.error;
  const emptySearch = isSearch ? (
    <EmptyState icon={<IconSearch size={28} />} title="No assets match">
      Nothing you may see matches this search. Try other words or fewer filters.
    </EmptyState>
  ) : undefined;

  return (
    <VolumeNamesContext.Provider value={volumeNames}>
      <div className={`browse ${phone ? 'browse--phone' : ''}`}>
        {phone && drawerOpen && (
          <div className="drawer-backdrop" aria-hidden="true" onClick={() => setDrawerOpen(false)} />
        )}
        <aside
          id="folder-drawer"
          className={`sidebar ${phone ? 'sidebar--drawer' : ''} ${drawerOpen ? 'is-open' : ''}`}
          aria-label="Folders"
          hidden={phone && !drawerOpen}
          onKeyDown={(event) => {
            if (phone && event.key === 'Escape') {
              setDrawerOpen(false);
              document.getElementById('folder-drawer-toggle')?.focus();
            }
          }}
        >
          <FolderTree
            label="Folders"
            selected={isSearch ? '' : folder}
            reveal={isSearch ? '/' : folder}
            onSelect={openFolder}
            onDropAssets={(to, ids) => dropAssets(ids, to)}
          />
        </aside>
        <section
          className={`main ${dropping ? 'is-dropping' : ''}`}
          aria-label="Folder content"
          {...fileDrop.handlers}
        >
          <div className="main__head">
            {phone && (
              <button
                type="button"
                id="folder-drawer-toggle"
                className="icon-button main__drawer-toggle"
                aria-label="Folders"
                aria-controls="folder-drawer"
                aria-expanded={drawerOpen}
                onClick={() => setDrawerOpen((open) => !open)}
              >
                <IconMenu />
              </button>
            )}
            {isSearch ? (
              <div className="search-head">
                <h1 className="search-head__title">
                  {searchState.q ? `Search results for “${searchState.q}”` : 'All assets in the lake'}
                </h1>
                <button type="button" className="link-button" onClick={url.closeSearch}>
                  Close search
                </button>
              </div>
            ) : (
              <Breadcrumbs path={folder} hrefFor={url.hrefFor} onOpen={openFolder} />
            )}
            {view === 'table' && !narrow && (
              <ColumnChooser
                visible={columnPrefs.prefs.visible}
                onToggle={columnPrefs.setVisible}
                onReset={columnPrefs.reset}
              />
            )}
            {view !== 'table' && (
              <CardSort
                sort={sort}
                order={order}
                onChange={(nextSort, nextOrder) =>
                  setParams({
                    sort: nextSort === 'name' ? null : nextSort,
                    order: nextOrder === 'asc' ? null : nextOrder,
                  })
                }
              />
            )}
          </div>
          <BrowseToolbar
            selected={selectedAssets}
            isAdmin={session.isAdmin}
            isSearch={isSearch}
            view={view}
            q={searchState.q}
            hasVolumes={volumeActions.hasVolumes}
            onDownload={() => void download(selectedAssets)}
            onDelete={() => askDelete(selectedAssets)}
            onRetry={() => void volumeActions.retry(selectedAssets)}
            onLogMenu={(position) =>
              setMenu({
                ...position,
                label: 'Log',
                items: logMenuItems({
                  selected: selectedAssets.length,
                  isSearch,
                  log: () => setDialog({ type: 'log-assets', ids: selectedAssets.map((a) => a.id) }),
                  importLog: () => setDialog({ type: 'log-import' }),
                }),
              })
            }
            onVolumeMenu={(position) =>
              setMenu({
                ...position,
                label: 'Edit volume',
                items: volumeMenuItems({
                  canRemove: volumeActions.canRemove(selectedAssets),
                  copyToVolume: () => volumeActions.askCopy(selectedAssets),
                  prepareForEdit: () => volumeActions.askPrepareSelection(selectedAssets),
                  downloadMhl: () => void saveMhl({ ids: selectedAssets.map((a) => a.id) }),
                  removeFromVolume: () => volumeActions.askRemove(selectedAssets),
                }),
              })
            }
            onUpload={() => setDialog({ type: 'upload' })}
            onCreateFolder={() => setDialog({ type: 'create-folder' })}
            onSearch={url.runSearch}
            onView={(next) => setParams({ view: next === 'table' ? null : next })}
            compact={narrow}
            onMenu={openToolbarMenu}
          />
          {isSearch && (
            <FilterBar
              state={searchState}
              facets={listing.facets}
              volumeName={volumeName}
              onFilter={(key, values) => setParams({ [key]: values.join(',') })}
              onDate={(key, value) => setParams({ [key]: value })}
              onClear={url.clearFilters}
            />
          )}
          <div className="main__content">
            {!folderError && <UploadPlaceholders items={incoming} />}
            {folderError ? (
              <div className="empty" role="alert">
                <div className="empty__title">
                  {isSearch ? 'This search cannot be run' : 'This folder cannot be shown'}
                </div>
                <div className="empty__text">{(folderError as Error).message}</div>
                <button type="button" className="button" onClick={() => openFolder('/')}>
                  Go to All media
                </button>
              </div>
            ) : view === 'table' ? (
              <AssetTable
                {...listProps}
                onOpenFolder={isSearch ? openFolder : undefined}
                empty={incoming.length > 0 ? <span hidden /> : emptySearch}
                visibleColumns={columnPrefs.prefs.visible}
                columnWidths={columnPrefs.prefs.widths}
                onColumnResize={columnPrefs.setWidth}
                folderAccess={isSearch ? undefined : listing.folder?.access}
                sort={sort}
                order={order}
                onSort={(column) =>
                  setParams({
                    sort: column === 'name' ? null : column,
                    order: column === sort && order === 'asc' ? 'desc' : null,
                  })
                }
              />
            ) : (
              <AssetCards
                {...listProps}
                onOpenFolder={isSearch ? openFolder : undefined}
                empty={incoming.length > 0 ? <span hidden /> : emptySearch}
              />
            )}
            {dropping && (
              <div className="drop-overlay" aria-hidden="true">
                <IconUpload size={32} />
                <div>Drop to upload into {folder === '/' ? 'All media' : baseName(folder)}</div>
              </div>
            )}
          </div>
          <footer className="statusbar" aria-live="polite">
            {folderError ? null : isSearch ? (
              <span>{plural(total, 'match', 'matches')} in the lake</span>
            ) : (
              <>
                <span>{plural(folderCount, 'folder')}</span>
                <span>{plural(total, 'asset')}</span>
              </>
            )}
            {selection.size > 0 && (
              <span className="statusbar__selected">{formatCount(selection.size)} selected</span>
            )}
            {listing.fetching && <span className="muted">Loading…</span>}
            {sort !== 'name' || order !== 'asc' ? (
              <span className="muted">
                Sorted by {sort} {order === 'asc' ? '↑' : '↓'}
              </span>
            ) : null}
          </footer>
        </section>

        {menu && <ContextMenu menu={menu} onClose={closeMenu} />}

        {previewId && (
          <AssetPreview
            key={previewId}
            assetId={previewId}
            onClose={() => setParams({ preview: null })}
            onDownload={(asset) => void download([asset])}
            onRetry={(asset) => volumeActions.retry([asset])}
            sidePanel={(asset) => <LogPanel key={asset.id} asset={asset} />}
            onPrevious={previewIndex > 0 ? () => previewAt(previewIndex - 1) : undefined}
            onNext={
              previewIndex >= 0 && previewIndex < assets.length - 1
                ? () => previewAt(previewIndex + 1)
                : undefined
            }
          />
        )}

        {dialog && (
          <BrowseDialog
            dialog={dialog}
            folder={folder}
            groups={session.groups}
            actions={actions}
            onClose={closeDialog}
          />
        )}
        {volumeActions.dialog}
      </div>
    </VolumeNamesContext.Provider>
  );
}
