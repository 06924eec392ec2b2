import { useState } from 'react';
import { ConfirmDialog, FormDialog } from '../../../components/dialog';
import { Skeleton } from '../../../components/feedback';
import { IconTrash, IconUsers } from '../../../components/icons';
import { TextField } from '../../../components/text-field';
import { showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { useCreateGroup } from '../api/create-group';
import { useDeleteGroup } from '../api/delete-group';
import { type Group, useGroups } from '../api/list-groups';

/** Groups: folders are shared with groups; admin and editors always exist. */
export function GroupsPanel() {
  const groups = useGroups();
  const create = useCreateGroup();
  const remove = useDeleteGroup();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Group | null>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <section className="panel" aria-labelledby="groups-title">
      <div className="panel__head">
        <h2 id="groups-title" className="panel__title">
          Groups
        </h2>
        <button
          type="button"
          className="button button--primary"
          onClick={() => {
            setName('');
            setDescription('');
            setCreating(true);
          }}
        >
          <IconUsers /> New group
        </button>
      </div>
      <table className="plain-table" aria-label="Groups">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Description</th>
            <th scope="col">Members</th>
            <th scope="col">Created</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {groups.isLoading && (
            <tr>
              <td colSpan={5}>
                <Skeleton width="50%" />
              </td>
            </tr>
          )}
          {groups.data?.map((group) => (
            <tr key={group.name}>
              <td className="mono">
                {group.name} {group.builtin && <span className="badge">built in</span>}
              </td>
              <td>{group.description ?? '—'}</td>
              <td>{group.memberCount}</td>
              <td>{formatDate(group.createdAt)}</td>
              <td className="plain-table__actions">
                {!group.builtin && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Delete group ${group.name}`}
                    onClick={() => setDeleting(group)}
                  >
                    <IconTrash />
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {creating && (
        <FormDialog
          title="New group"
          submitLabel="Create group"
          onClose={() => setCreating(false)}
          disabled={name.trim() === ''}
          onSubmit={async () => {
            await create.mutateAsync({ name: name.trim(), description: description.trim() || null });
            showToast('success', `Created group ${name.trim()}`);
          }}
        >
          <TextField
            label="Name"
            value={name}
            onChange={setName}
            autoComplete="off"
            hint="Lower-case letters, digits and . _ - (for example project-x)."
          />
          <TextField label="Description" value={description} onChange={setDescription} autoComplete="off" />
        </FormDialog>
      )}
      {deleting && (
        <ConfirmDialog
          title="Delete group"
          message={
            <>
              Delete <strong>{deleting.name}</strong>? Its {deleting.memberCount} members leave it, and every
              folder shared with it stops being shared with it.
            </>
          }
          confirmLabel="Delete group"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await remove.mutateAsync(deleting.name);
            showToast('success', `Deleted group ${deleting.name}`);
          }}
        />
      )}
    </section>
  );
}
