import { useId, useState } from 'react';
import type { Asset, Volume } from '../../../lib/api-client';
import { plural } from '../../../lib/format';
import { VolumeDialog } from './volume-dialog';

/**
 * "Prepare for edit" of a selection: the volume, and the name of the bins written at its root.
 * The name starts as the date and time here, so two preparations of a day do not meet.
 */
export function PrepareSelectionDialog(props: {
  targets: Asset[];
  volumes: Volume[];
  onSubmit: (volume: Volume, name: string) => void;
  onClose: () => void;
}) {
  const [name, setName] = useState(() => selectionName(new Date()));
  const inputId = useId();
  const count = plural(props.targets.length, 'asset');
  const trimmed = name.trim();
  return (
    <VolumeDialog
      title={`Prepare ${count} for edit`}
      submitLabel="Prepare"
      intro={`Each asset is copied to the volume keeping its folder path, verified by checksum; each folder gets its ASC MHL history, and the bins ${trimmed || '…'}.ale (Avid) and ${trimmed || '…'}.fcpxml (Premiere Pro, Resolve, Final Cut) are written at the volume’s root.`}
      choices={props.volumes.map((volume) => {
        const there = props.targets.filter((a) => a.locations.includes(volume.id)).length;
        return { volume, note: there ? `${there} of ${props.targets.length} already there` : undefined };
      })}
      onClose={props.onClose}
      onSubmit={async (id) => {
        if (!trimmed) throw new Error('Give the bins a name.');
        const volume = props.volumes.find((v) => v.id === id);
        if (volume) props.onSubmit(volume, trimmed);
      }}
    >
      <div className="form__row">
        <label htmlFor={inputId} className="form__label">
          Bin name
        </label>
        <input
          id={inputId}
          className="input"
          value={name}
          maxLength={120}
          spellCheck={false}
          onChange={(event) => setName(event.target.value)}
        />
      </div>
    </VolumeDialog>
  );
}

/** "Selection 2026-12-03 14-05": local time, no character a file system refuses. */
function selectionName(now: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `Selection ${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())} ${two(now.getHours())}-${two(now.getMinutes())}`;
}
