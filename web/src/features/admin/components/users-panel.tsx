import { useState } from 'react';
import { AdminTable, RowButton } from '../../../components/admin-list';
import { ConfirmDialog, Dialog, FormDialog } from '../../../components/dialog';
import { IconEdit, IconLock, IconTrash, IconUsers } from '../../../components/icons';
import { TextField } from '../../../components/text-field';
import { showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { useCreateUser } from '../api/create-user';
import { useDeleteUser } from '../api/delete-user';
import { useGroups } from '../api/list-groups';
import { type User, useUsers } from '../api/list-users';
import { useResetTwoFactor } from '../api/reset-two-factor';
import { useUpdateUser } from '../api/update-user';
import { GroupChecklist } from './group-checklist';
import { PendingSignUps } from './pending-sign-ups';
import { TwoFactorPolicyField } from './two-factor-policy';

/** Users: who may sign in, their groups, and their state. */
export function UsersPanel({ currentUserId }: { currentUserId: string }) {
  const users = useUsers();
  const groups = useGroups();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | null>(null);
  const [deleting, setDeleting] = useState<User | null>(null);
  const [created, setCreated] = useState<{ username: string; password: string } | null>(null);
  const remove = useDeleteUser();
  const [resetting, setResetting] = useState<User | null>(null);
  const resetTwoFactor = useResetTwoFactor();
  const waiting = users.data?.filter((u) => u.awaitingApproval) ?? [];
  const groupNames = groups.data?.map((g) => g.name) ?? ['admin', 'editors'];

  return (
    <section className="panel" aria-labelledby="users-title">
      <div className="panel__head">
        <h2 id="users-title" className="panel__title">
          Users
        </h2>
        <button type="button" className="button button--primary" onClick={() => setCreating(true)}>
          <IconUsers /> New user
        </button>
      </div>
      <TwoFactorPolicyField />
      <PendingSignUps users={waiting} />
      <AdminTable
        label="Users"
        loading={users.isLoading}
        loadingRows={3}
        rows={users.data}
        rowKey={(user) => user.id}
        columns={[
          { header: 'Username', className: 'mono', cell: (user) => user.username },
          { header: 'Name', cell: (user) => user.displayName ?? '—' },
          {
            header: 'Groups',
            cell: (user) => (
              <span className="chips">
                {user.groups.map((g) => (
                  <span key={g} className={`chip ${g === 'admin' ? 'chip--admin' : ''}`}>
                    {g}
                  </span>
                ))}
              </span>
            ),
          },
          {
            header: 'State',
            cell: (user) =>
              user.awaitingApproval ? (
                <span className="badge badge--warn">awaiting approval</span>
              ) : user.disabled ? (
                <span className="badge badge--bad">disabled</span>
              ) : user.mustChangePassword ? (
                <span className="badge">must change password</span>
              ) : (
                <span className="muted">active</span>
              ),
          },
          {
            header: 'Two-factor',
            cell: (user) =>
              user.twoFactorEnabled ? (
                <span className="badge badge--ok">on</span>
              ) : (
                <span className="muted">off</span>
              ),
          },
          { header: 'Last sign-in', cell: (user) => formatDate(user.lastSignInAt) },
        ]}
        actions={(user) => (
          <>
            {user.twoFactorEnabled && user.id !== currentUserId && (
              <RowButton
                label={`Reset two-factor sign-in of ${user.username}`}
                title="Reset two-factor sign-in"
                icon={<IconLock />}
                onClick={() => setResetting(user)}
              />
            )}
            <RowButton label={`Edit ${user.username}`} icon={<IconEdit />} onClick={() => setEditing(user)} />
            <RowButton
              label={`Delete ${user.username}`}
              icon={<IconTrash />}
              disabled={user.id === currentUserId}
              onClick={() => setDeleting(user)}
            />
          </>
        )}
      />
      {creating && (
        <UserDialog
          groups={groupNames}
          onClose={() => setCreating(false)}
          onCreated={(username, password) => password && setCreated({ username, password })}
        />
      )}
      {editing && <UserDialog user={editing} groups={groupNames} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title="Delete user"
          message={
            <>
              Delete <strong>{deleting.username}</strong>, with their sessions and API tokens? What they
              uploaded stays.
            </>
          }
          confirmLabel="Delete user"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await remove.mutateAsync(deleting.id);
            showToast('success', `Deleted ${deleting.username}`);
          }}
        />
      )}
      {resetting && (
        <ConfirmDialog
          title="Reset two-factor sign-in"
          message={
            <>
              Turn off two-factor sign-in of <strong>{resetting.username}</strong> (a lost phone)? Their app
              and recovery codes stop working; they sign in with the password, and set up an app again if it
              is required.
            </>
          }
          confirmLabel="Reset"
          danger
          onClose={() => setResetting(null)}
          onConfirm={async () => {
            await resetTwoFactor.mutateAsync(resetting.id);
            showToast('success', `Two-factor sign-in of ${resetting.username} is off`);
          }}
        />
      )}
      {created && (
        <Dialog title="User created" onClose={() => setCreated(null)}>
          <p className="dialog__message">
            Give <strong>{created.username}</strong> this password; it is shown only now, and must be changed
            at the first sign-in:
          </p>
          <p className="secret mono" data-testid="generated-password">
            {created.password}
          </p>
        </Dialog>
      )}
    </section>
  );
}

function UserDialog({
  user,
  groups,
  onClose,
  onCreated,
}: {
  user?: User;
  groups: string[];
  onClose: () => void;
  onCreated?: (username: string, password: string | undefined) => void;
}) {
  const create = useCreateUser();
  const update = useUpdateUser();
  const [username, setUsername] = useState(user?.username ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [chosen, setChosen] = useState<Set<string>>(new Set(user?.groups ?? ['editors']));
  const [disabled, setDisabled] = useState(user?.disabled ?? false);
  return (
    <FormDialog
      title={user ? `Edit ${user.username}` : 'New user'}
      submitLabel={user ? 'Save' : 'Create user'}
      onClose={onClose}
      onSubmit={async () => {
        if (user) {
          await update.mutateAsync({
            id: user.id,
            body: {
              displayName: displayName.trim() || null,
              groups: [...chosen],
              disabled,
              ...(password ? { password } : {}),
            },
          });
          showToast('success', `Saved ${user.username}`);
        } else {
          const reply = await create.mutateAsync({
            username: username.trim(),
            displayName: displayName.trim() || null,
            groups: [...chosen],
            ...(password ? { password } : {}),
          });
          showToast('success', `Created ${reply.user.username}`);
          onCreated?.(reply.user.username, reply.password);
        }
      }}
    >
      {!user && (
        <TextField label="Username" value={username} onChange={setUsername} autoComplete="off" required />
      )}
      <TextField label="Display name" value={displayName} onChange={setDisplayName} autoComplete="off" />
      <GroupChecklist groups={groups} chosen={chosen} onChange={setChosen} />
      <TextField
        label={user ? 'Reset password (optional)' : 'Password (optional: generated when empty)'}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={setPassword}
        hint="The user must change it at the next sign-in."
      />
      {user && (
        <label className="checklist__item">
          <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
          <span>Disabled (cannot sign in)</span>
        </label>
      )}
    </FormDialog>
  );
}
