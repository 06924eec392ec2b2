import { type ReactNode, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import type { Volume } from '../../../lib/api-client';

export interface VolumeChoice {
  volume: Volume;
  /** e.g. "2 of 3 already there"; shown beside the name. */
  note?: string;
}

/**
 * Copy to / remove from an edit volume: pick one of the volumes the user may use. For a
 * removal, admins may also force the deletion of files an editor changed on the volume.
 */
export function VolumeDialog(props: {
  title: string;
  submitLabel: string;
  choices: VolumeChoice[];
  intro: string;
  /** Offer "force" (admins removing). */
  canForce?: boolean;
  /** More fields below the volumes (the bins' name when preparing a selection). */
  children?: ReactNode;
  onSubmit: (volumeId: string, force: boolean) => Promise<unknown>;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState(props.choices[0]?.volume.id ?? '');
  const [force, setForce] = useState(false);
  return (
    <FormDialog
      title={props.title}
      submitLabel={props.submitLabel}
      onClose={props.onClose}
      onSubmit={() => props.onSubmit(chosen, force)}
      disabled={!chosen}
      danger={force}
    >
      <p className="form__hint">{props.intro}</p>
      <fieldset className="checklist">
        <legend className="form__label">Edit volume</legend>
        {props.choices.map(({ volume, note }) => (
          <label key={volume.id} className="checklist__item">
            <input
              type="radio"
              name="volume"
              checked={chosen === volume.id}
              onChange={() => setChosen(volume.id)}
            />
            <span>{volume.name}</span>
            <span className="muted mono"> {volume.displayPath}</span>
            {note && <span className="muted"> · {note}</span>}
          </label>
        ))}
      </fieldset>
      {props.children}
      {props.canForce && (
        <label className="checklist__item">
          <input type="checkbox" checked={force} onChange={(event) => setForce(event.target.checked)} />
          <span>Also delete files that were changed on the volume (recorded in the audit log)</span>
        </label>
      )}
    </FormDialog>
  );
}
