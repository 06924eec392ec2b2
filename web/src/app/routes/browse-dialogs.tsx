/** The browse view's dialogs: one open at a time, each finishing through the view's actions. */
import { ConfirmDialog, PromptDialog } from '../../components/dialog';
import { DownloadDialog } from '../../features/assets/components/download-dialog';
import { BinExportDialog } from '../../features/bins/components/bin-export-dialog';
import { FolderPickerDialog } from '../../features/folders/components/folder-picker-dialog';
import { LookDialog } from '../../features/folders/components/look-dialog';
import { PermissionsDialog } from '../../features/folders/components/permissions-dialog';
import { BulkLogDialog } from '../../features/logging/components/bulk-log-dialog';
import { LogImportDialog } from '../../features/logging/components/log-import-dialog';
import { UploadDialog } from '../../features/uploads/components/upload-dialog';
import type { Asset, Folder } from '../../lib/api-client';
import { plural } from '../../lib/format';
import { ShortcutsDialog } from './shortcuts-dialog';
import type { BrowseActions, DownloadLinks } from './use-browse-actions';

export type BrowseDialogState =
  | { type: 'create-folder' }
  | { type: 'upload' }
  | { type: 'rename-asset'; asset: Asset }
  | { type: 'rename-folder'; folder: Folder }
  | { type: 'delete-assets'; ids: string[]; names: string[] }
  | { type: 'delete-folder'; folder: Folder }
  | { type: 'move'; ids: string[]; from: string }
  | { type: 'permissions'; folder: Folder }
  | { type: 'look'; folder: Folder }
  | { type: 'download'; links: DownloadLinks }
  | { type: 'shortcuts' }
  | { type: 'log-assets'; ids: string[] }
  | { type: 'log-import' }
  | { type: 'export-bin'; source: { folder: string } | { ids: string[] } };

interface Props {
  dialog: BrowseDialogState;
  /** The folder shown: where a new folder or an upload goes. */
  folder: string;
  /** Every group that exists, for the permissions dialog. */
  groups: string[];
  actions: BrowseActions;
  onClose: () => void;
}

export function BrowseDialog({ dialog, folder, groups, actions, onClose }: Props) {
  switch (dialog.type) {
    case 'create-folder':
      return (
        <PromptDialog
          title="Create folder"
          label="Folder name"
          submitLabel="Create Folder"
          hint={`Inside ${folder}`}
          onClose={onClose}
          onSubmit={actions.createFolder}
        />
      );
    case 'upload':
      return <UploadDialog folder={folder} onClose={onClose} />;
    case 'log-assets':
      return <BulkLogDialog ids={dialog.ids} onClose={onClose} />;
    case 'log-import':
      return <LogImportDialog folder={folder} onClose={onClose} />;
    case 'rename-asset':
      return (
        <PromptDialog
          title="Rename asset"
          label="New name"
          initialValue={dialog.asset.name}
          submitLabel="Rename"
          selectStem
          onClose={onClose}
          onSubmit={(name) => actions.renameAsset(dialog.asset, name)}
        />
      );
    case 'rename-folder':
      return (
        <PromptDialog
          title="Rename folder"
          label="New name"
          initialValue={dialog.folder.name}
          submitLabel="Rename"
          onClose={onClose}
          onSubmit={(name) => actions.renameFolder(dialog.folder, name)}
        />
      );
    case 'delete-assets':
      return (
        <ConfirmDialog
          title={dialog.ids.length === 1 ? 'Delete asset' : `Delete ${dialog.ids.length} assets`}
          message={
            dialog.ids.length === 1 ? (
              <>
                Move <strong>{dialog.names[0]}</strong> to the trash? You can restore it from the trash until
                it is emptied.
              </>
            ) : (
              <>
                Move {dialog.ids.length} assets to the trash? You can restore them from the trash until it is
                emptied.
              </>
            )
          }
          confirmLabel="Delete"
          danger
          onClose={onClose}
          onConfirm={() => actions.remove(dialog.ids)}
        />
      );
    case 'delete-folder':
      return (
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
          onClose={onClose}
          onConfirm={() => actions.deleteFolder(dialog.folder)}
        />
      );
    case 'move':
      return (
        <FolderPickerDialog
          title={`Move ${plural(dialog.ids.length, 'asset')} to folder`}
          submitLabel="Move"
          initial={dialog.from}
          disabled={(path) => path === dialog.from}
          onClose={onClose}
          onPick={async (to) => {
            // The dialog closes at once; the move goes on in a toast with its progress.
            void actions.move(dialog.ids, to);
          }}
        />
      );
    case 'permissions':
      return (
        <PermissionsDialog
          folder={dialog.folder}
          groups={groups}
          onClose={onClose}
          onSave={(chosen, scope) => actions.savePermissions(dialog.folder, chosen, scope)}
        />
      );
    case 'look':
      return <LookDialog folder={dialog.folder} onClose={onClose} />;
    case 'download':
      return <DownloadDialog links={dialog.links} onClose={onClose} />;
    case 'export-bin':
      return <BinExportDialog source={dialog.source} onClose={onClose} />;
    case 'shortcuts':
      return <ShortcutsDialog onClose={onClose} />;
  }
}
