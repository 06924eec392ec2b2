/** The right-click menus of the main view: one for a folder, one for one or many assets. */
import type { MenuItem } from '../../components/context-menu';
import {
  IconDownload,
  IconEdit,
  IconFolder,
  IconFolderPlus,
  IconGrid,
  IconLock,
  IconMove,
  IconPlay,
  IconRetry,
  IconSettings,
  IconTable,
  IconTrash,
  IconUpload,
  IconVolume,
  IconVolumeRemove,
} from '../../components/icons';
import type { Asset, Folder } from '../../lib/api-client';

/** The checksums an editor or a lab verifies the files by, with any ASC MHL tool. */
const MHL_LABEL = 'Download checksums (ASC MHL)';

export function folderMenuItems(
  _folder: Folder,
  actions: {
    isAdmin: boolean;
    open: () => void;
    rename: () => void;
    permissions: () => void;
    look: () => void;
    remove: () => void;
    exportBin?: () => void;
    /** An ASC MHL file of the folder and what is below it. */
    downloadMhl?: () => void;
    /** With its subfolders, structure kept; offered when the person may use an edit volume. */
    copyToVolume?: () => void;
    /** Copy, then the ASC MHL generation and the ALE + FCPXML bins beside it on the volume. */
    prepareForEdit?: () => void;
    removeFromVolume?: () => void;
  },
): MenuItem[] {
  const items: MenuItem[] = [
    { label: 'Open', icon: <IconFolder />, onSelect: actions.open },
    { label: 'Rename…', icon: <IconEdit />, shortcut: 'F2', onSelect: actions.rename },
  ];
  if (actions.exportBin)
    items.push({ label: 'Export Bin…', icon: <IconDownload />, onSelect: actions.exportBin });
  if (actions.downloadMhl)
    items.push({ label: MHL_LABEL, icon: <IconDownload />, onSelect: actions.downloadMhl });
  if (actions.copyToVolume)
    items.push({
      label: 'Copy folder to edit volume…',
      icon: <IconVolume />,
      separator: true,
      onSelect: actions.copyToVolume,
    });
  if (actions.prepareForEdit)
    items.push({ label: 'Prepare for edit…', icon: <IconVolume />, onSelect: actions.prepareForEdit });
  if (actions.removeFromVolume)
    items.push({
      label: 'Remove folder from edit volume…',
      icon: <IconVolumeRemove />,
      onSelect: actions.removeFromVolume,
    });
  // Only admins change a folder's groups.
  if (actions.isAdmin)
    items.push(
      { label: 'Permissions…', icon: <IconLock />, onSelect: actions.permissions },
      // A dailies look (LUT, burn-in) for the folder's proxies and thumbnails: admins too.
      { label: 'Look…', icon: <IconSettings />, onSelect: actions.look },
    );
  items.push({
    label: 'Delete…',
    icon: <IconTrash />,
    danger: true,
    separator: true,
    onSelect: actions.remove,
  });
  return items;
}

export function assetMenuItems(
  targets: Asset[],
  actions: {
    /** Search results offer a jump to the asset's folder. */
    isSearch: boolean;
    hasVolumes: boolean;
    canRemove: boolean;
    preview: () => void;
    move: () => void;
    showInFolder: (folder: string) => void;
    rename: (asset: Asset) => void;
    /** Logging fields of the selection (scene, take, circled…). */
    log: () => void;
    download: () => void;
    copyToVolume: () => void;
    removeFromVolume: () => void;
    retry: () => void;
    remove: () => void;
    exportBin?: () => void;
    downloadMhl?: () => void;
    /** Copy, then the ASC MHL generations and the ALE + FCPXML bins on the volume. */
    prepareForEdit?: () => void;
  },
): MenuItem[] {
  const one = targets.length === 1 ? targets[0] : null;
  const count = targets.length > 1 ? ` ${targets.length} assets` : '';
  const items: MenuItem[] = [];
  if (one) items.push({ label: 'Preview', icon: <IconPlay />, shortcut: 'Enter', onSelect: actions.preview });
  items.push({
    label: `Move to Folder…${count ? ` (${targets.length})` : ''}`,
    icon: <IconMove />,
    onSelect: actions.move,
  });
  if (one && actions.isSearch)
    items.push({
      label: 'Show in Folder',
      icon: <IconFolder />,
      onSelect: () => actions.showInFolder(one.folder),
    });
  if (one)
    items.push({ label: 'Rename…', icon: <IconEdit />, shortcut: 'F2', onSelect: () => actions.rename(one) });
  items.push({ label: `Log${count}…`, icon: <IconEdit />, onSelect: actions.log });
  items.push(
    { label: `Download${count}`, icon: <IconDownload />, onSelect: actions.download },
    ...(actions.exportBin
      ? [{ label: 'Export Bin…', icon: <IconDownload />, onSelect: actions.exportBin }]
      : []),
    ...(actions.downloadMhl
      ? [{ label: MHL_LABEL, icon: <IconDownload />, onSelect: actions.downloadMhl }]
      : []),
    {
      label: 'Copy to Edit Volume…',
      icon: <IconVolume />,
      separator: true,
      disabled: !actions.hasVolumes,
      onSelect: actions.copyToVolume,
    },
    ...(actions.prepareForEdit
      ? [
          {
            label: 'Prepare for Edit…',
            icon: <IconVolume />,
            disabled: !actions.hasVolumes,
            onSelect: actions.prepareForEdit,
          },
        ]
      : []),
    {
      label: 'Remove from Edit Volume…',
      icon: <IconVolumeRemove />,
      disabled: !actions.canRemove,
      onSelect: actions.removeFromVolume,
    },
    { label: 'Retry Processing', icon: <IconRetry />, onSelect: actions.retry },
    {
      label: `Delete${count}`,
      icon: <IconTrash />,
      shortcut: 'Del',
      danger: true,
      separator: true,
      onSelect: actions.remove,
    },
  );
  return items;
}

/** The toolbar's Edit Volume menu, for the selection (the hand-off: copies, preparation, checksums). */
export function volumeMenuItems(actions: {
  canRemove: boolean;
  copyToVolume: () => void;
  prepareForEdit: () => void;
  removeFromVolume: () => void;
  /** The hand-off's proof: the selection's checksums, to verify the copies with any MHL tool. */
  downloadMhl: () => void;
}): MenuItem[] {
  return [
    { label: 'Copy to Edit Volume…', icon: <IconVolume />, onSelect: actions.copyToVolume },
    { label: 'Prepare for Edit…', icon: <IconVolume />, onSelect: actions.prepareForEdit },
    {
      label: 'Remove from Edit Volume…',
      icon: <IconVolumeRemove />,
      disabled: !actions.canRemove,
      onSelect: actions.removeFromVolume,
    },
    { label: MHL_LABEL, icon: <IconDownload />, separator: true, onSelect: actions.downloadMhl },
  ];
}

/**
 * The toolbar folded into one menu (narrow windows): what the folder offers, then what the
 * selection offers (the same items as its context menu), then the layout and Settings.
 */
export function toolbarMenuItems(options: {
  isSearch: boolean;
  /** The script supervisor's CSV onto the folder shown. */
  importLog?: () => void;
  isAdmin: boolean;
  view: 'table' | 'cards';
  selectionItems: MenuItem[];
  upload: () => void;
  createFolder: () => void;
  setView: (view: 'table' | 'cards') => void;
  settings: () => void;
}): MenuItem[] {
  const items: MenuItem[] = [];
  if (!options.isSearch)
    items.push(
      { label: 'Upload files…', icon: <IconUpload />, onSelect: options.upload },
      { label: 'Create Folder…', icon: <IconFolderPlus />, onSelect: options.createFolder },
    );
  if (!options.isSearch && options.importLog)
    items.push({ label: 'Import Log CSV…', icon: <IconUpload />, onSelect: options.importLog });
  options.selectionItems.forEach((item, i) => {
    items.push(i === 0 ? { ...item, separator: items.length > 0 } : item);
  });
  items.push(
    options.view === 'table'
      ? {
          label: 'Card layout',
          icon: <IconGrid />,
          separator: true,
          onSelect: () => options.setView('cards'),
        }
      : {
          label: 'Table layout',
          icon: <IconTable />,
          separator: true,
          onSelect: () => options.setView('table'),
        },
  );
  if (options.isAdmin) items.push({ label: 'Settings', icon: <IconSettings />, onSelect: options.settings });
  return items;
}

/** The toolbar's Log menu: the selection's logging fields, and the script supervisor's CSV onto the folder. */
export function logMenuItems(actions: {
  selected: number;
  isSearch: boolean;
  log: () => void;
  importLog: () => void;
}): MenuItem[] {
  const items: MenuItem[] = [
    {
      label: actions.selected > 1 ? `Log ${actions.selected} Selected…` : 'Log Selected…',
      icon: <IconEdit />,
      disabled: actions.selected === 0,
      onSelect: actions.log,
    },
  ];
  if (!actions.isSearch)
    items.push({ label: 'Import Log CSV…', icon: <IconUpload />, onSelect: actions.importLog });
  return items;
}
