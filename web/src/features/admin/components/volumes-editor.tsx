import { useState } from 'react';
import { AdminTable, RowButton } from '../../../components/admin-list';
import { FormDialog } from '../../../components/dialog';
import { IconEdit, IconTrash } from '../../../components/icons';
import { TextField } from '../../../components/text-field';
import type { VolumeSettings } from '../api/get-settings';
import { useGroups } from '../api/list-groups';
import { GroupChecklist } from './group-checklist';

/** Edit volumes as edited: a table with add, edit and remove; saved with the rest of the settings. */
export function VolumesEditor({
  volumes,
  onChange,
  errors,
}: {
  volumes: VolumeSettings[];
  onChange: (next: VolumeSettings[]) => void;
  /** By field, e.g. `volumes.0.path`. */
  errors: Record<string, string>;
}) {
  const [editing, setEditing] = useState<{ index: number | null; volume: VolumeSettings } | null>(null);
  const rowErrors = (i: number) =>
    Object.entries(errors)
      .filter(([field]) => field.startsWith(`volumes.${i}.`))
      .map(([, message]) => message);
  return (
    <fieldset className="settings__group">
      <legend className="settings__legend">Edit volumes</legend>
      <div className="settings__group-head">
        <button
          type="button"
          className="button button--small"
          onClick={() =>
            setEditing({
              index: null,
              volume: { id: '', name: '', path: '', displayPath: '', groups: ['editors'] },
            })
          }
        >
          Add volume
        </button>
      </div>
      <AdminTable
        label="Edit volumes"
        rows={volumes.map((volume, index) => ({ volume, index }))}
        rowKey={({ volume }) => volume.id}
        empty="No edit volumes yet."
        columns={[
          { header: 'Id', className: 'mono', cell: ({ volume }) => volume.id },
          { header: 'Name', cell: ({ volume }) => volume.name },
          { header: 'Mounted at (server)', className: 'mono', cell: ({ volume }) => volume.path },
          { header: 'Editors see', className: 'mono', cell: ({ volume }) => volume.displayPath },
          { header: 'Groups', cell: ({ volume }) => volume.groups.join(', ') || '—' },
        ]}
        actions={({ volume, index }) => (
          <>
            <RowButton
              label={`Edit volume ${volume.id}`}
              icon={<IconEdit />}
              onClick={() => setEditing({ index, volume })}
            />
            <RowButton
              label={`Remove volume ${volume.id}`}
              icon={<IconTrash />}
              onClick={() => onChange(volumes.filter((_, j) => j !== index))}
            />
            {rowErrors(index).map((message) => (
              <p key={message} className="form__error settings__row-error" role="alert">
                {message}
              </p>
            ))}
          </>
        )}
      />
      {editing && (
        <VolumeDialog
          initial={editing.volume}
          isNew={editing.index === null}
          takenIds={volumes.filter((_, j) => j !== editing.index).map((v) => v.id)}
          onClose={() => setEditing(null)}
          onDone={(volume) => {
            const { index } = editing;
            onChange(
              index === null ? [...volumes, volume] : volumes.map((v, j) => (j === index ? volume : v)),
            );
          }}
        />
      )}
    </fieldset>
  );
}

function VolumeDialog({
  initial,
  isNew,
  takenIds,
  onClose,
  onDone,
}: {
  initial: VolumeSettings;
  isNew: boolean;
  /** Ids of the other volumes: each needs its own. */
  takenIds: string[];
  onClose: () => void;
  onDone: (volume: VolumeSettings) => void;
}) {
  const groups = useGroups();
  const [volume, setVolume] = useState(initial);
  const [chosen, setChosen] = useState<Set<string>>(new Set(initial.groups));
  const field = (key: 'id' | 'name' | 'path' | 'displayPath', label: string, hint?: string) => (
    <TextField
      label={label}
      value={volume[key]}
      onChange={(value) => setVolume({ ...volume, [key]: value })}
      autoComplete="off"
      spellCheck={false}
      hint={hint}
    />
  );
  return (
    <FormDialog
      title={isNew ? 'Add volume' : `Edit volume ${initial.id}`}
      submitLabel={isNew ? 'Add' : 'Done'}
      onClose={onClose}
      onSubmit={async () => {
        // The server checks everything on Save; only what cannot be left empty is asked for here.
        if (!volume.id.trim() || !volume.path.trim())
          throw new Error('Give the volume an id and the path it is mounted at on the server.');
        if (takenIds.includes(volume.id.trim()))
          throw new Error(`Another volume has the id "${volume.id.trim()}"; each needs its own.`);
        onDone({ ...volume, groups: [...chosen].sort() });
      }}
    >
      {field('id', 'Id', 'Short and stable, e.g. edit: lower-case letters, digits, - or _.')}
      {field('name', 'Name', 'Shown to people, e.g. Edit bay.')}
      {field('path', 'Mounted at on the server', 'e.g. /mnt/edit: it must be mounted and writable.')}
      {field('displayPath', 'Path editors see', 'e.g. \\\\fsx\\share or /Volumes/edit.')}
      <GroupChecklist
        legend="Groups that may use it"
        groups={(groups.data ?? []).map((g) => g.name).filter((g) => g !== 'admin')}
        chosen={chosen}
        onChange={setChosen}
      />
    </FormDialog>
  );
}
