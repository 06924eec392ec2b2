/**
 * The main view: folder tree, breadcrumbs, toolbar and the folder's content as a table or
 * cards; on `/search`, the lake-wide search results with their filters instead. It composes
 * the folders, assets, search, volumes and uploads features; the URL holds the folder or the
 * search, sort, layout and the asset being previewed.
 */
import { useQueryClient } from '@tanstack/react-query';
import { type DragEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ContextMenu, type MenuState } from '../../components/context-menu';
import { ConfirmDialog, PromptDialog } from '../../components/dialog';
import { EmptyState } from '../../components/feedback';
import { IconSearch, IconUpload } from '../../components/icons';
import { dismissToast, showToast, toastError, updateToast } from '../../components/toasts';
import { deleteAssets } from '../../features/assets/api/delete-assets';
import { downloadLinks } from '../../features/assets/api/download-assets';
import { assetKeys, sortFromParams } from '../../features/assets/api/list-assets';
import { moveAssets } from '../../features/assets/api/move-assets';
import { useRenameAsset } from '../../features/assets/api/rename-asset';
import { AssetCards } from '../../features/assets/components/asset-cards';
import { AssetPreview } from '../../features/assets/components/asset-preview';
import { AssetTable } from '../../features/assets/components/asset-table';
import type { BrowseRow } from '../../features/assets/components/browse-row';
import { DownloadDialog } from '../../features/assets/components/download-dialog';
import { useCreateFolder } from '../../features/folders/api/create-folder';
import { useDeleteFolder } from '../../features/folders/api/delete-folder';
import { moveFolder } from '../../features/folders/api/move-folder';
import { useSetFolderGroups } from '../../features/folders/api/set-folder-groups';
import { Breadcrumbs } from '../../features/folders/components/breadcrumbs';
import { FolderPickerDialog } from '../../features/folders/components/folder-picker-dialog';
import { FolderTree } from '../../features/folders/components/folder-tree';
import { PermissionsDialog } from '../../features/folders/components/permissions-dialog';
import type { SearchParams, SearchSort } from '../../features/search/api/search-assets';
import { FilterBar } from '../../features/search/components/filter-bar';
import { SEARCH_PARAMS, searchStateFromUrl, toSearchQuery } from '../../features/search/search-state';
import { restoreAssets } from '../../features/trash/api/restore-assets';
import { filesFromDataTransfer } from '../../features/uploads/api/files-from-drop';
import { enqueueUploads } from '../../features/uploads/api/upload-queue';
import { UploadDialog } from '../../features/uploads/components/upload-dialog';
import type { Asset, Folder } from '../../lib/api-client';
import { triggerDownload } from '../../lib/download';
import { formatCount, plural } from '../../lib/format';
import { baseName, joinPath, parentOf } from '../../lib/paths';
import { browseHref, folderFromPathname, navigate, useLocation } from '../../lib/router';
import { VolumeNamesContext } from '../../lib/volume-names';
import { assetMenuItems, folderMenuItems, volumeMenuItems } from './browse-menus';
import { BrowseToolbar } from './browse-toolbar';
import { useEditVolumeActions } from './use-edit-volume-actions';
import { useListing } from './use-listing';

export interface Session {
  isAdmin: boolean;
  /** Every group that exists, for the permissions dialog. */
  groups: string[];
}

type DialogState =
  | { type: 'create-folder' }
  | { type: 'upload' }
  | { type: 'rename-asset'; asset: Asset }
  | { type: 'rename-folder'; folder: Folder }
  | { type: 'delete-assets'; ids: string[]; names: string[] }
  | { type: 'delete-folder'; folder: Folder }
  | { type: 'move'; ids: string[]; from: string }
  | { type: 'permissions'; folder: Folder }
  | { type: 'download'; links: Awaited<ReturnType<typeof downloadLinks>> };

/** Keeps the layout; drops what belongs to the search and the preview. */
function viewParams(from: URLSearchParams): URLSearchParams {
  const keep = new URLSearchParams(from);
  for (const key of [...SEARCH_PARAMS, 'preview', 'from']) keep.delete(key);
  return keep;
}

export function BrowsePage({ session }: { session: Session }) {
  const location = useLocation();
  const queryClient = useQueryClient();
  const isSearch = location.pathname === '/search';
  const folder = isSearch ? '/' : folderFromPathname(location.pathname);
  const params = location.search;
  const { sort, order } = sortFromParams(params);
  const view = params.get('view') === 'cards' ? 'cards' : 'table';
  const previewId = params.get('preview');
  const paramsText = params.toString();
  const searchState = useMemo(() => searchStateFromUrl(new URLSearchParams(paramsText)), [paramsText]);
  const search = useMemo<SearchParams | null>(
    () => (isSearch ? { query: toSearchQuery(searchState), sort: sort as SearchSort, order } : null),
    [isSearch, searchState, sort, order],
  );

  const setParams = useCallback(
    (patch: Record<string, string | null>, options: { replace?: boolean } = {}) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(patch)) {
        if (value === null || value === '') next.delete(key);
        else next.set(key, value);
      }
      const query = next.toString();
      // The path stays as the address bar has it (already encoded): only the query changes.
      navigate(`${window.location.pathname}${query ? `?${query}` : ''}`, {
        replace: options.replace ?? true,
      });
    },
    [],
  );
  const openFolder = useCallback((path: string) => {
    navigate(browseHref(path, viewParams(new URLSearchParams(window.location.search))));
  }, []);
  const hrefFor = (path: string) => browseHref(path, viewParams(params));
  /** Searching starts from the folder shown, which "Close search" goes back to. */
  const runSearch = (q: string) => {
    if (isSearch) return setParams({ q });
    const next = viewParams(params);
    if (q) next.set('q', q);
    next.set('from', folder);
    navigate(`/search?${next.toString()}`);
  };
  const closeSearch = () => openFolder(params.get('from') ?? '/');

  const listing = useListing({ folder, sort, order, search });
  const { rows, assets, total, rowCount, loading, folderCount } = listing;
  const { loadUpTo } = listing;

  const [selection, setSelection] = useState<Set<string>>(new Set());
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new folder or search starts with nothing selected.
  useEffect(() => setSelection(new Set()), [folder, isSearch]);
  const assetById = useMemo(() => new Map(assets.map((a) => [a.id, a])), [assets]);
  const selectedAssets = useMemo(
    () => [...selection].map((id) => assetById.get(id)).filter((a): a is Asset => !!a),
    [selection, assetById],
  );

  const [dialog, setDialog] = useState<DialogState | null>(null);
  const [menu, setMenu] = useState<MenuState | null>(null);
  const closeDialog = useCallback(() => setDialog(null), []);
  const closeMenu = useCallback(() => setMenu(null), []);

  // Row indexes on screen count the folder rows first.
  const loadMore = useCallback(
    (lastVisible: number, firstMissing: number) =>
      loadUpTo(lastVisible - folderCount, firstMissing - folderCount),
    [loadUpTo, folderCount],
  );

  const refreshAssets = () => queryClient.invalidateQueries({ queryKey: assetKeys.all });
  const refreshFolders = () => queryClient.invalidateQueries({ queryKey: ['folders'] });

  // ── actions ───────────────────────────────────────────────────────────
  const download = async (targets: Asset[]) => {
    if (targets.length === 0) return;
    try {
      const links = await downloadLinks(targets.map((a) => a.id));
      if (links.length === 1) {
        triggerDownload(links[0].url, links[0].name);
        showToast('info', `Downloading ${links[0].name}`);
      } else setDialog({ type: 'download', links });
    } catch (error) {
      toastError(error, 'Download failed');
    }
  };

  const askDelete = (targets: Asset[]) => {
    if (targets.length > 0)
      setDialog({ type: 'delete-assets', ids: targets.map((a) => a.id), names: targets.map((a) => a.name) });
  };

  const doDelete = async (ids: string[]) => {
    const { deleted } = await deleteAssets(ids);
    setSelection(new Set());
    await refreshAssets();
    await queryClient.invalidateQueries({ queryKey: ['trash'] });
    showToast('success', `Moved ${plural(deleted, 'asset')} to the trash`, {
      action: {
        label: 'Undo',
        onClick: async () => {
          try {
            await restoreAssets(ids);
            await refreshAssets();
            await queryClient.invalidateQueries({ queryKey: ['trash'] });
          } catch (error) {
            toastError(error, 'Restore failed');
          }
        },
      },
    });
  };

  const doMove = async (ids: string[], to: string) => {
    const toast = showToast('info', `Moving ${plural(ids.length, 'asset')} to ${to}…`, { progress: 0 });
    try {
      await moveAssets(ids, to, (job) =>
        updateToast(toast, { progress: job.progressTotal ? job.progressDone / job.progressTotal : 0 }),
      );
      updateToast(toast, {
        kind: 'success',
        message: `Moved ${plural(ids.length, 'asset')} to ${to}`,
        progress: undefined,
      });
      setSelection(new Set());
    } catch (error) {
      dismissToast(toast);
      toastError(error, 'Move failed');
    } finally {
      await refreshAssets();
      await refreshFolders();
    }
  };

  const volumeActions = useEditVolumeActions(session.isAdmin);
  const volumeNames = useMemo(
    () => new Map(volumeActions.volumes.map((v) => [v.id, v.name])),
    [volumeActions.volumes],
  );
  const volumeName = (id: string) => volumeNames.get(id) ?? id;

  const createFolder = useCreateFolder();
  const renameAsset = useRenameAsset();
  const deleteFolder = useDeleteFolder();
  const setGroups = useSetFolderGroups();

  const renameFolder = async (target: Folder, name: string) => {
    const newPath = joinPath(parentOf(target.path) ?? '/', name);
    await moveFolder(target.path, newPath);
    await refreshFolders();
    await refreshAssets();
    // Renaming the folder you are in (or one above it) moves you with it.
    if (folder === target.path || folder.startsWith(`${target.path}/`)) {
      openFolder(newPath + folder.slice(target.path.length));
    }
    showToast('success', `Renamed ${target.name} to ${name}`);
  };

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
        remove: () => setDialog({ type: 'delete-folder', folder: f }),
      });
      setMenu({ ...position, label: `Actions for folder ${f.name}`, items });
      return;
    }
    const targets = selection.has(row.asset.id) ? selectedAssets : [row.asset];
    const items = assetMenuItems(targets, {
      isSearch,
      hasVolumes: volumeActions.hasVolumes,
      canRemove: volumeActions.canRemove(targets),
      preview: () => activate(row),
      move: () => setDialog({ type: 'move', ids: targets.map((a) => a.id), from: targets[0].folder }),
      showInFolder: openFolder,
      rename: (asset) => setDialog({ type: 'rename-asset', asset }),
      download: () => void download(targets),
      copyToVolume: () => volumeActions.askCopy(targets),
      removeFromVolume: () => volumeActions.askRemove(targets),
      retry: () => void volumeActions.retry(targets),
      remove: () => askDelete(targets),
    });
    setMenu({
      ...position,
      label: targets.length === 1 ? `Actions for ${targets[0].name}` : `Actions for ${targets.length} assets`,
      items,
    });
  };

  // ── drag and drop of files from the desktop ───────────────────────────
  const [dropping, setDropping] = useState(false);
  const dragDepth = useRef(0);
  const hasFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');
  const onDrop = async (event: DragEvent) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth.current = 0;
    setDropping(false);
    const files = await filesFromDataTransfer(event.dataTransfer);
    if (files.length > 0) {
      enqueueUploads(files, folder);
      showToast('info', `Uploading ${plural(files.length, 'file')} to ${folder}`);
    }
  };

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
  };
  const folderError = listing.error;
  const emptySearch = isSearch ? (
    <EmptyState icon={<IconSearch size={28} />} title="No assets match">
      Nothing you may see matches this search. Try other words or fewer filters.
    </EmptyState>
  ) : undefined;

  return (
    <VolumeNamesContext.Provider value={volumeNames}>
      <div className="browse">
        <aside className="sidebar" aria-label="Folders">
          <FolderTree
            label="Folders"
            selected={isSearch ? '' : folder}
            reveal={isSearch ? '/' : folder}
            onSelect={openFolder}
            onDropAssets={(to, ids) => void doMove(ids, to)}
          />
        </aside>
        <section
          className={`main ${dropping ? 'is-dropping' : ''}`}
          aria-label="Folder content"
          onDragEnter={(event) => {
            if (!hasFiles(event)) return;
            dragDepth.current++;
            setDropping(true);
          }}
          onDragLeave={(event) => {
            if (!hasFiles(event)) return;
            dragDepth.current = Math.max(0, dragDepth.current - 1);
            if (dragDepth.current === 0) setDropping(false);
          }}
          onDragOver={(event) => {
            if (hasFiles(event)) event.preventDefault();
          }}
          onDrop={onDrop}
        >
          <div className="main__head">
            {isSearch ? (
              <div className="search-head">
                <h1 className="search-head__title">
                  {searchState.q ? `Search results for “${searchState.q}”` : 'All assets in the lake'}
                </h1>
                <button type="button" className="link-button" onClick={closeSearch}>
                  Close search
                </button>
              </div>
            ) : (
              <Breadcrumbs path={folder} hrefFor={hrefFor} onOpen={openFolder} />
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
            onVolumeMenu={(position) =>
              setMenu({
                ...position,
                label: 'Edit volume',
                items: volumeMenuItems({
                  canRemove: volumeActions.canRemove(selectedAssets),
                  copyToVolume: () => volumeActions.askCopy(selectedAssets),
                  removeFromVolume: () => volumeActions.askRemove(selectedAssets),
                }),
              })
            }
            onUpload={() => setDialog({ type: 'upload' })}
            onCreateFolder={() => setDialog({ type: 'create-folder' })}
            onSearch={runSearch}
            onView={(next) => setParams({ view: next === 'table' ? null : next })}
          />
          {isSearch && (
            <FilterBar
              state={searchState}
              facets={listing.facets}
              volumeName={volumeName}
              onFilter={(key, values) => setParams({ [key]: values.join(',') })}
              onDate={(key, value) => setParams({ [key]: value })}
              onClear={() =>
                setParams(Object.fromEntries(SEARCH_PARAMS.filter((k) => k !== 'q').map((k) => [k, null])))
              }
            />
          )}
          <div className="main__content">
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
                empty={emptySearch}
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
                empty={emptySearch}
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
            {isSearch ? (
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
            onPrevious={previewIndex > 0 ? () => previewAt(previewIndex - 1) : undefined}
            onNext={
              previewIndex >= 0 && previewIndex < assets.length - 1
                ? () => previewAt(previewIndex + 1)
                : undefined
            }
          />
        )}

        {dialog?.type === 'create-folder' && (
          <PromptDialog
            title="Create folder"
            label="Folder name"
            submitLabel="Create Folder"
            hint={`Inside ${folder}`}
            onClose={closeDialog}
            onSubmit={async (name) => {
              await createFolder.mutateAsync(joinPath(folder, name));
              showToast('success', `Created folder ${name}`);
            }}
          />
        )}
        {dialog?.type === 'upload' && <UploadDialog folder={folder} onClose={closeDialog} />}
        {dialog?.type === 'rename-asset' && (
          <PromptDialog
            title="Rename asset"
            label="New name"
            initialValue={dialog.asset.name}
            submitLabel="Rename"
            selectStem
            onClose={closeDialog}
            onSubmit={async (name) => {
              await renameAsset.mutateAsync({ id: dialog.asset.id, name });
              showToast('success', `Renamed to ${name}`);
            }}
          />
        )}
        {dialog?.type === 'rename-folder' && (
          <PromptDialog
            title="Rename folder"
            label="New name"
            initialValue={dialog.folder.name}
            submitLabel="Rename"
            onClose={closeDialog}
            onSubmit={(name) => renameFolder(dialog.folder, name)}
          />
        )}
        {dialog?.type === 'delete-assets' && (
          <ConfirmDialog
            title={dialog.ids.length === 1 ? 'Delete asset' : `Delete ${dialog.ids.length} assets`}
            message={
              dialog.ids.length === 1 ? (
                <>
                  Move <strong>{dialog.names[0]}</strong> to the trash? You can restore it from the trash
                  until it is emptied.
                </>
              ) : (
                <>
                  Move {dialog.ids.length} assets to the trash? You can restore them from the trash until it
                  is emptied.
                </>
              )
            }
            confirmLabel="Delete"
            danger
            onClose={closeDialog}
            onConfirm={() => doDelete(dialog.ids)}
          />
        )}
        {dialog?.type === 'delete-folder' && (
          <ConfirmDialog
            title="Delete folder"
            message={
              <>
                Delete <strong>{dialog.folder.name}</strong> and every folder inside it? Its assets go to the
                trash.
              </>
            }
            confirmLabel="Delete folder"
            danger
            onClose={closeDialog}
            onConfirm={async () => {
              const { trashed } = await deleteFolder.mutateAsync(dialog.folder.path);
              showToast(
                'success',
                `Deleted ${dialog.folder.name}; ${plural(trashed, 'asset')} moved to the trash`,
              );
              if (folder === dialog.folder.path || folder.startsWith(`${dialog.folder.path}/`))
                openFolder(parentOf(dialog.folder.path) ?? '/');
            }}
          />
        )}
        {dialog?.type === 'move' && (
          <FolderPickerDialog
            title={`Move ${plural(dialog.ids.length, 'asset')} to folder`}
            submitLabel="Move"
            initial={dialog.from}
            disabled={(path) => path === dialog.from}
            onClose={closeDialog}
            onPick={async (to) => {
              void doMove(dialog.ids, to);
            }}
          />
        )}
        {dialog?.type === 'permissions' && (
          <PermissionsDialog
            folder={dialog.folder}
            groups={session.groups}
            onClose={closeDialog}
            onSave={async (groups, scope) => {
              await setGroups.mutateAsync({ path: dialog.folder.path, groups, scope });
              showToast('success', `Saved permissions for ${dialog.folder.name}`);
            }}
          />
        )}
        {dialog?.type === 'download' && <DownloadDialog links={dialog.links} onClose={closeDialog} />}
        {volumeActions.dialog}
      </div>
    </VolumeNamesContext.Provider>
  );
}
