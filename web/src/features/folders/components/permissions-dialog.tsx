import { useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import { accessSummary } from '../../../components/folder-access';
import { IconLock, IconUsers } from '../../../components/icons';
import type { Folder } from '../../../lib/api-client';

const ADMIN = 'admin';

export type GroupScope = 'subtree' | 'folder';

/**
 * Admins choose which groups may see a folder: one checkbox per group; `admin` is always on.
 * The dialog first says who can see the folder now and where that comes from (DESIGN.md
 * "Permissions"), and the change applies to everything in the folder unless "only this folder"
 * is chosen. `groups` lists every group that exists.
 */
export function PermissionsDialog(props: {
  folder: Folder;
  groups: string[];
  onSave: (groups: string[], scope: GroupScope) => Promise<unknown>;
  onClose: () => void;
}) {
  const { folder } = props;
  const [chosen, setChosen] = useState(() => new Set([...folder.groups, ADMIN]));
  const [scope, setScope] = useState<GroupScope>('subtree');
  const all = [...new Set([ADMIN, ...props.groups, ...folder.groups])].sort((a, b) =>
    a === ADMIN ? -1 : b === ADMIN ? 1 : a.localeCompare(b),
  );
  const id = useId();
  const now = accessSummary(folder.access);
  const parent = folder.path.slice(0, folder.path.lastIndexOf('/')) || '/';
  return (
    <FormDialog
      title={`Permissions for ${folder.name}`}
      submitLabel="Save"
      onClose={props.onClose}
      onSubmit={() => props.onSave([...chosen], scope)}
    >
      <section className="access-explained" aria-labelledby={`${id}-who`}>
        <div id={`${id}-who`} className="access-explained__who">
          {now.locked ? <IconLock size={14} /> : <IconUsers size={14} />}
          <span>
            Who can see it now: <strong>{now.locked ? 'admins only' : `${now.label} and admins`}</strong>
          </span>
        </div>
        <div className="access-explained__why">
          {folder.access.source === 'parent' ? (
            <>
              Same groups as the folder above, <span className="mono">{parent}</span>.
            </>
          ) : (
            <>Set on this folder.</>
          )}
          {folder.access.limitedBy.map(({ group, folder: above }) => (
            <div key={group}>
              {group} is checked here, but <span className="mono">{above}</span> above does not include it, so
              its members cannot see this folder.
            </div>
          ))}
        </div>
      </section>
      <p className="form__hint">
        Members of the checked groups can see and change this folder. Admins always can. Folders made inside
        it later get the same groups.
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
      <fieldset className="checklist scope-choice">
        <legend className="form__label">Apply to</legend>
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={scope === 'subtree'}
            onChange={() => setScope('subtree')}
          />
          <span>This folder and everything in it</span>
        </label>
        <label className="checklist__item">
          <input
            type="radio"
            name={`${id}-scope`}
            checked={scope === 'folder'}
            onChange={() => setScope('folder')}
          />
          <span>
            Only this folder <span className="muted">(folders inside keep their own groups)</span>
          </span>
        </label>
      </fieldset>
      <p id={`${id}-path`} className="form__hint mono">
        {folder.path}
      </p>
    </FormDialog>
  );
}
