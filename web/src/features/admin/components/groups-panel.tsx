import { useState } from 'react';
import { AdminPanel, AdminTable, RowButton } from '../../../components/admin-list';
import { ConfirmDialog, FormDialog } from '../../../components/dialog';
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
    <AdminPanel
      title="Groups"
      newLabel={
        <>
          <IconUsers /> New group
        </>
      }
      onNew={() => {
        setName('');
        setDescription('');
        setCreating(true);
      }}
    >
      <AdminTable
        label="Groups"
        loading={groups.isLoading}
        rows={groups.data}
        rowKey={(group) => group.name}
        columns={[
          {
            header: 'Name',
            className: 'mono',
            cell: (group) => (
              <>
                {group.name} {group.builtin && <span className="badge">built in</span>}
              </>
            ),
          },
          { header: 'Description', cell: (group) => group.description ?? '—' },
          { header: 'Members', cell: (group) => group.memberCount },
          { header: 'Created', cell: (group) => formatDate(group.createdAt) },
        ]}
        actions={(group) =>
          !group.builtin && (
            <RowButton
              label={`Delete group ${group.name}`}
              icon={<IconTrash />}
              onClick={() => setDeleting(group)}
            />
          )
        }
      />
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
    </AdminPanel>
  );
}
