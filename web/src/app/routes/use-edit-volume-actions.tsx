/**
 * Copy to / remove from an edit volume and Retry processing, for the context menu and the
 * toolbar. Jobs are followed in a toast; the rows' status changes through live updates.
 */
import { type ReactNode, useState } from 'react';
import { dismissToast, showToast, toastError, updateToast } from '../../components/toasts';
import { retryProcessing } from '../../features/assets/api/retry-asset';
import { useVolumes } from '../../features/volumes/api/list-volumes';
import { copyToVolume, type JobOutcome, removeFromVolume } from '../../features/volumes/api/volume-jobs';
import { VolumeDialog } from '../../features/volumes/components/volume-dialog';
import type { Asset, Volume } from '../../lib/api-client';
import { plural } from '../../lib/format';

type Pending = { type: 'copy' | 'remove'; targets: Asset[] } | null;

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
  else if (pending?.type === 'remove')
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
    retry,
    dialog,
  };
}
