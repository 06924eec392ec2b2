/**
 * What the browse view does to assets and folders: download, delete (with undo), move, rename,
 * create, set permissions. Each runs through its feature's mutation hook, which refreshes the
 * lists it changes; this adds the toasts and what the view itself must follow (the selection,
 * the folder shown when it is renamed or deleted).
 */

import { dismissToast, showToast, toastError, updateToast } from '../../components/toasts';
import { useDeleteAssets } from '../../features/assets/api/delete-assets';
import { downloadLinks } from '../../features/assets/api/download-assets';
import { useMoveAssets } from '../../features/assets/api/move-assets';
import { useRenameAsset } from '../../features/assets/api/rename-asset';
import { useCreateFolder } from '../../features/folders/api/create-folder';
import { useDeleteFolder } from '../../features/folders/api/delete-folder';
import { useMoveFolder } from '../../features/folders/api/move-folder';
import { useSetFolderGroups } from '../../features/folders/api/set-folder-groups';
import { useRestoreAssets } from '../../features/trash/api/restore-assets';
import type { Asset, Folder } from '../../lib/api-client';
import { triggerDownload } from '../../lib/download';
import { plural } from '../../lib/format';
import { joinPath, nameProblem, parentOf } from '../../lib/paths';

export type DownloadLinks = Awaited<ReturnType<typeof downloadLinks>>;

interface View {
  /** The folder shown. */
  folder: string;
  openFolder: (path: string) => void;
  clearSelection: () => void;
  /** Several files download from a dialog (a browser allows one download per click). */
  showDownloads: (links: DownloadLinks) => void;
}

/** Is `path` the folder shown or one above it? Then renaming or deleting it moves the view. */
const holds = (path: string, shown: string) => shown === path || shown.startsWith(`${path}/`);

export function useBrowseActions({ folder, openFolder, clearSelection, showDownloads }: View) {
  const deleteAssets = useDeleteAssets();
  const restoreAssets = useRestoreAssets();
  const moveAssets = useMoveAssets();
  const renameAssetMutation = useRenameAsset();
  const createFolderMutation = useCreateFolder();
  const moveFolder = useMoveFolder();
  const deleteFolderMutation = useDeleteFolder();
  const setGroups = useSetFolderGroups();

  const download = async (targets: Asset[]) => {
    if (targets.length === 0) return;
    try {
      const links = await downloadLinks(targets.map((a) => a.id));
      if (links.length === 1) {
        triggerDownload(links[0].url, links[0].name);
        showToast('info', `Downloading ${links[0].name}`);
      } else showDownloads(links);
    } catch (error) {
      toastError(error, 'Download failed');
    }
  };

  const remove = async (ids: string[]) => {
    const { deleted } = await deleteAssets.mutateAsync(ids);
    clearSelection();
    showToast('success', `Moved ${plural(deleted, 'asset')} to the trash`, {
      action: {
        label: 'Undo',
        onClick: async () => {
          try {
            await restoreAssets.mutateAsync(ids);
          } catch (error) {
            toastError(error, 'Restore failed');
          }
        },
      },
    });
  };

  const move = async (ids: string[], to: string) => {
    const toast = showToast('info', `Moving ${plural(ids.length, 'asset')} to ${to}…`, { progress: 0 });
    try {
      await moveAssets.mutateAsync({
        ids,
        folder: to,
        onProgress: (job) =>
          updateToast(toast, { progress: job.progressTotal ? job.progressDone / job.progressTotal : 0 }),
      });
      updateToast(toast, {
        kind: 'success',
        message: `Moved ${plural(ids.length, 'asset')} to ${to}`,
        progress: undefined,
      });
      clearSelection();
    } catch (error) {
      dismissToast(toast);
      toastError(error, 'Move failed');
    }
  };

  /** A name the server would misread is refused here, with the reason (shown in the dialog). */
  const checkName = (name: string, what: 'folder' | 'asset') => {
    const problem = nameProblem(name, what);
    if (problem) throw new Error(problem);
  };

  const renameFolder = async (target: Folder, name: string) => {
    checkName(name, 'folder');
    const newPath = joinPath(parentOf(target.path) ?? '/', name);
    await moveFolder.mutateAsync({ path: target.path, newPath });
    // Renaming the folder you are in (or one above it) moves you with it.
    if (holds(target.path, folder)) openFolder(newPath + folder.slice(target.path.length));
    showToast('success', `Renamed ${target.name} to ${name}`);
  };

  const renameAsset = async (asset: Asset, name: string) => {
    checkName(name, 'asset');
    await renameAssetMutation.mutateAsync({ id: asset.id, name });
    showToast('success', `Renamed to ${name}`);
  };

  const createFolder = async (name: string) => {
    checkName(name, 'folder');
    await createFolderMutation.mutateAsync(joinPath(folder, name));
    showToast('success', `Created folder ${name}`);
  };

  const deleteFolder = async (target: Folder) => {
    const { trashed } = await deleteFolderMutation.mutateAsync(target.path);
    showToast('success', `Deleted ${target.name}; ${plural(trashed, 'asset')} moved to the trash`);
    if (holds(target.path, folder)) openFolder(parentOf(target.path) ?? '/');
  };

  const savePermissions = async (target: Folder, groups: string[], scope: 'subtree' | 'folder') => {
    await setGroups.mutateAsync({ path: target.path, groups, scope });
    showToast('success', `Saved permissions for ${target.name}`);
  };

  return { download, remove, move, renameFolder, renameAsset, createFolder, deleteFolder, savePermissions };
}

export type BrowseActions = ReturnType<typeof useBrowseActions>;
