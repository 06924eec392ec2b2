import { useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import type { Folder } from '../../../lib/api-client';

const ADMIN = 'admin';

/**
 * Admins choose which groups may see a folder: one checkbox per group; `admin` is always on.
 * `groups` lists every group that exists (from the groups API, or the folder's own until it exists).
 */
export function PermissionsDialog(props: {
  folder: Folder;
  groups: string[];
  onSave: (groups: string[]) => Promise<unknown>;
  onClose: () => void;
}) {
  const [chosen, setChosen] = useState(() => new Set([...props.folder.groups, ADMIN]));
  const all = [...new Set([ADMIN, ...props.groups, ...props.folder.groups])].sort((a, b) =>
    a === ADMIN ? -1 : b === ADMIN ? 1 : a.localeCompare(b),
  );
  const id = useId();
  return (
    <FormDialog
      title={`Permissions for ${props.folder.name}`}
      submitLabel="Save"
      onClose={props.onClose}
      onSubmit={() => props.onSave([...chosen])}
    >
      <p className="form__hint">
        Members of the checked groups can see and change this folder and everything in it. Admins always can.
      </p>
      <fieldset className="checklist" aria-describedby={`${id}-path`}>
        <legend className="form__label">Groups</legend>
        {all.map((group) => (
          <label key={group} className="checklist__item">
            <input
              type="checkbox"
              checked={group === ADMIN || chosen.has(group)}
              disabled={group === ADMIN}
              onChange={(event) => {
                const next = new Set(chosen);
                if (event.target.checked) next.add(group);
                else next.delete(group);
                setChosen(next);
              }}
            />
            <span>{group}</span>
            {group === ADMIN && <span className="muted"> (always)</span>}
          </label>
        ))}
      </fieldset>
      <p id={`${id}-path`} className="form__hint mono">
        {props.folder.path}
      </p>
    </FormDialog>
  );
}
