/**
 * Copy to / remove from an edit volume and Retry processing, for the context menu and the
 * toolbar. Jobs are followed in a toast; the rows' status changes through live updates.
 */
import { type ReactNode, useState } from 'react';
import { dismissToast, showToast, toastError, updateToast } from '../../components/toasts';
import { retryProcessing } from '../../features/assets/api/retry-asset';
import { useVolumes } from '../../features/volumes/api/list-volumes';
import {
  copyFolderToVolume,
  copyToVolume,
  type JobOutcome,
  prepareFolderForEdit,
  prepareSelectionForEdit,
  removeFolderFromVolume,
  removeFromVolume,
} from '../../features/volumes/api/volume-jobs';
import { PrepareSelectionDialog } from '../../features/volumes/components/prepare-selection-dialog';
import { VolumeDialog } from '../../features/volumes/components/volume-dialog';
import type { Asset, Folder, Volume } from '../../lib/api-client';
import { plural } from '../../lib/format';

type Pending =
  | { type: 'copy' | 'remove' | 'prepare-selection'; targets: Asset[] }
  | { type: 'copy-folder' | 'remove-folder' | 'prepare-folder'; folder: Folder }
  | null;

export function useEditVolumeActions(isAdmin: boolean) {
  const volumes = useVolumes().data ?? [];
  const [pending, setPending] = useState<Pending>(null);
  const heldOn = (targets: Asset[]) => volumes.filter((v) => targets.some((a) => a.locations.includes(v.id)));

  const run = async (
    verb: string,
    failedTitle: (count: number) => string,
    _volume: Volume,
    targets: Asset[],
    start: (onProgress: (done: number, total: number) => void) => Promise<JobOutcome[]>,
    retryForced?: (ids: string[]) => void,
  ) => {
    const toast = showToast('info', `${verb} ${plural(targets.length, 'asset')}…`, { progress: 0 });
    try {
      const outcomes = await start((done, total) =>
        updateToast(toast, { progress: total ? done / total : 0 }),
      );
      const failed = outcomes.filter((o) => o.error);
      dismissToast(toast);
      if (failed.length === 0) {
        showToast('success', `${verb} ${plural(targets.length, 'asset')}: done`);
        return;
      }
      showToast('error', failedTitle(failed.length), {
        detail: failed.map((f) => f.error).join('\n'),
        action: retryForced
          ? { label: 'Force removal', onClick: () => retryForced(failed.map((f) => f.assetId)) }
          : undefined,
      });
    } catch (error) {
      dismissToast(toast);
      toastError(error, `${verb} failed`);
    }
  };

  const copy = (volume: Volume, targets: Asset[]) =>
    run(
      `Copying to ${volume.name}:`,
      (n) => `${plural(n, 'asset')} not copied to ${volume.name}`,
      volume,
      targets,
      (progress) =>
        copyToVolume(
          volume.id,
          targets.map((a) => a.id),
          progress,
        ),
    );

  const remove = (volume: Volume, targets: Asset[], force: boolean): Promise<void> => {
    const held = targets.filter((a) => a.locations.includes(volume.id));
    return run(
      `Removing from ${volume.name}:`,
      (n) => `Kept ${plural(n, 'file')} on ${volume.name}`,
      volume,
      held,
      (progress) =>
        removeFromVolume(
          volume.id,
          held.map((a) => a.id),
          force,
          progress,
        ),
      isAdmin && !force
        ? (ids) =>
            void remove(
              volume,
              held.filter((a) => ids.includes(a.id)),
              true,
            )
        : undefined,
    );
  };

  /** A whole folder: how many assets it holds is known only once the server answers. */
  const runFolder = async (
    volume: Volume,
    folder: Folder,
    removing: boolean,
    force: boolean,
  ): Promise<void> => {
    const verb = removing
      ? `Removing ${folder.name} from ${volume.name}`
      : `Copying ${folder.name} to ${volume.name}`;
    const toast = showToast('info', `${verb}…`, { progress: 0 });
    let count = 0;
    const onStart = (n: number) => {
      count = n;
    };
    const onProgress = (done: number, total: number) =>
      updateToast(toast, { progress: total ? done / total : 0 });
    try {
      const outcomes = removing
        ? await removeFolderFromVolume(volume.id, folder.path, force, onStart, onProgress)
        : await copyFolderToVolume(volume.id, folder.path, onStart, onProgress);
      dismissToast(toast);
      if (count === 0) {
        showToast(
          'info',
          removing
            ? `${folder.name} has nothing on ${volume.name} you may remove`
            : `${folder.name} holds no assets to copy`,
        );
        return;
      }
      const failed = outcomes.filter((o) => o.error);
      if (failed.length === 0) {
        showToast('success', `${verb}: ${plural(count, 'asset')} done`);
        return;
      }
      showToast(
        'error',
        removing
          ? `Kept ${plural(failed.length, 'file')} of ${folder.name} on ${volume.name}`
          : `${plural(failed.length, 'asset')} of ${folder.name} not copied to ${volume.name}`,
        {
          detail: failed.map((f) => f.error).join('\n'),
          action:
            removing && isAdmin && !force
              ? { label: 'Force removal', onClick: () => void runFolder(volume, folder, true, true) }
              : undefined,
        },
      );
    } catch (error) {
      dismissToast(toast);
      toastError(error, `${verb} failed`);
    }
  };

  /** Copy, then the server writes the ASC MHL generation and the bins beside the folder. */
  const prepare = async (volume: Volume, folder: Folder): Promise<void> => {
    const verb = `Preparing ${folder.name} on ${volume.name}`;
    const toast = showToast('info', `${verb}…`, { progress: 0 });
    try {
      const { copies } = await prepareFolderForEdit(volume.id, folder.path, (done, total) =>
        updateToast(toast, { progress: total ? done / total : 0 }),
      );
      dismissToast(toast);
      showToast(
        'success',
        `${folder.name} is ready for edit on ${volume.name}: ${plural(copies, 'asset')}, ASC MHL, ${folder.name}.ale and ${folder.name}.fcpxml`,
      );
    } catch (error) {
      dismissToast(toast);
      toastError(error, `${verb} failed`);
    }
  };

  /** Chosen assets: copied keeping their folder paths, the bins named `name` at the volume's root. */
  const prepareSelection = async (volume: Volume, targets: Asset[], name: string): Promise<void> => {
    const verb = `Preparing ${plural(targets.length, 'asset')} on ${volume.name}`;
    const toast = showToast('info', `${verb}…`, { progress: 0 });
    try {
      const { copies, bins } = await prepareSelectionForEdit(
        volume.id,
        targets.map((a) => a.id),
        name,
        (done, total) => updateToast(toast, { progress: total ? done / total : 0 }),
      );
      dismissToast(toast);
      showToast(
        'success',
        `${plural(copies, 'asset')} ready for edit on ${volume.name}: ASC MHL, ${bins.join(' and ')}`,
      );
    } catch (error) {
      dismissToast(toast);
      toastError(error, `${verb} failed`);
    }
  };

  const retry = async (targets: Asset[]) => {
    try {
      await retryProcessing(targets.map((a) => a.id));
      showToast('info', `Processing ${plural(targets.length, 'asset')} again`);
    } catch (error) {
      toastError(error, 'Retry failed');
    }
  };

  let dialog: ReactNode = null;
  if (pending?.type === 'copy')
    dialog = (
      <VolumeDialog
        title={`Copy ${plural(pending.targets.length, 'asset')} to an edit volume`}
        submitLabel="Copy"
        intro="Each file keeps its folder path on the volume and is verified by checksum."
        choices={volumes.map((volume) => {
          const there = pending.targets.filter((a) => a.locations.includes(volume.id)).length;
          return { volume, note: there ? `${there} of ${pending.targets.length} already there` : undefined };
        })}
        onClose={() => setPending(null)}
        onSubmit={async (id) => {
          const volume = volumes.find((v) => v.id === id);
          if (volume) void copy(volume, pending.targets);
        }}
      />
    );
  else if (pending?.type === 'copy-folder' || pending?.type === 'remove-folder') {
    const removing = pending.type === 'remove-folder';
    const { folder } = pending;
    dialog = (
      <VolumeDialog
        title={
          removing ? `Remove ${folder.name} from an edit volume` : `Copy ${folder.name} to an edit volume`
        }
        submitLabel={removing ? 'Remove' : 'Copy'}
        intro={
          removing
            ? 'The copies of its assets and of its subfolders’ assets are removed; a file changed on the volume is kept and reported.'
            : 'Its assets and its subfolders’ assets are copied, each keeping its folder path on the volume and verified by checksum.'
        }
        canForce={removing && isAdmin}
        choices={volumes.map((volume) => ({ volume }))}
        onClose={() => setPending(null)}
        onSubmit={async (id, force) => {
          const volume = volumes.find((v) => v.id === id);
          if (volume) void runFolder(volume, folder, removing, force);
        }}
      />
    );
  } else if (pending?.type === 'prepare-folder') {
    const { folder } = pending;
    dialog = (
      <VolumeDialog
        title={`Prepare ${folder.name} for edit`}
        submitLabel="Prepare"
        intro={`Its assets and its subfolders’ assets are copied to the volume, verified by checksum, then an ASC MHL history and the bins ${folder.name}.ale (Avid) and ${folder.name}.fcpxml (Premiere Pro, Resolve, Final Cut) are written beside the folder.`}
        choices={volumes.map((volume) => ({ volume }))}
        onClose={() => setPending(null)}
        onSubmit={async (id) => {
          const volume = volumes.find((v) => v.id === id);
          if (volume) void prepare(volume, folder);
        }}
      />
    );
  } else if (pending?.type === 'prepare-selection') {
    const { targets } = pending;
    dialog = (
      <PrepareSelectionDialog
        targets={targets}
        volumes={volumes}
        onClose={() => setPending(null)}
        onSubmit={(volume, name) => void prepareSelection(volume, targets, name)}
      />
    );
  } else if (pending?.type === 'remove')
    dialog = (
      <VolumeDialog
        title={`Remove ${plural(pending.targets.length, 'asset')} from an edit volume`}
        submitLabel="Remove"
        intro="Only copies that still hold the bytes Dailies wrote are deleted; a file changed on the volume is kept and reported."
        canForce={isAdmin}
        choices={heldOn(pending.targets).map((volume) => ({
          volume,
          note: `holds ${pending.targets.filter((a) => a.locations.includes(volume.id)).length}`,
        }))}
        onClose={() => setPending(null)}
        onSubmit={async (id, force) => {
          const volume = volumes.find((v) => v.id === id);
          if (volume) void remove(volume, pending.targets, force);
        }}
      />
    );

  return {
    /** Whether any volume may be used at all; without one the actions are not offered. */
    hasVolumes: volumes.length > 0,
    volumes,
    canRemove: (targets: Asset[]) => heldOn(targets).length > 0,
    askCopy: (targets: Asset[]) => targets.length > 0 && setPending({ type: 'copy', targets }),
    askRemove: (targets: Asset[]) => targets.length > 0 && setPending({ type: 'remove', targets }),
    askCopyFolder: (folder: Folder) => setPending({ type: 'copy-folder', folder }),
    askRemoveFolder: (folder: Folder) => setPending({ type: 'remove-folder', folder }),
    askPrepareFolder: (folder: Folder) => setPending({ type: 'prepare-folder', folder }),
    askPrepareSelection: (targets: Asset[]) =>
      targets.length > 0 && setPending({ type: 'prepare-selection', targets }),
    retry,
    dialog,
  };
}
