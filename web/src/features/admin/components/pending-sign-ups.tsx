import { useState } from 'react';
import { ConfirmDialog } from '../../../components/dialog';
import { showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { useApproveUser } from '../api/approve-user';
import type { User } from '../api/list-users';
import { useRejectUser } from '../api/reject-user';

/** Sign-ups waiting for an admin: approve lets them in (as editors), reject deletes the account. */
export function PendingSignUps({ users }: { users: User[] }) {
  const approve = useApproveUser();
  const reject = useRejectUser();
  const [rejecting, setRejecting] = useState<User | null>(null);
  if (users.length === 0) return null;
  return (
    <section className="pending" aria-labelledby="pending-title">
      <h3 id="pending-title" className="pending__title">
        Waiting for approval <span className="badge badge--warn">{users.length}</span>
      </h3>
      <ul className="pending__list">
        {users.map((user) => (
          <li key={user.id} className="pending__item">
            <span className="mono pending__name">{user.username}</span>
            <span className="muted">
              signed up {formatDate(user.createdAt)} · joins {user.groups.join(', ') || 'no group'}
            </span>
            <span className="pending__actions">
              <button
                type="button"
                className="button button--primary"
                aria-label={`Approve ${user.username}`}
                disabled={approve.isPending}
                onClick={async () => {
                  try {
                    await approve.mutateAsync(user.id);
                    showToast('success', `${user.username} can sign in now`);
                  } catch (e) {
                    showToast('error', (e as Error).message);
                  }
                }}
              >
                Approve
              </button>
              <button
                type="button"
                className="button"
                aria-label={`Reject ${user.username}`}
                onClick={() => setRejecting(user)}
              >
                Reject
              </button>
            </span>
          </li>
        ))}
      </ul>
      {rejecting && (
        <ConfirmDialog
          title="Reject sign-up"
          message={
            <>
              Reject <strong>{rejecting.username}</strong>? The account is deleted; they may sign up again.
            </>
          }
          confirmLabel="Reject"
          danger
          onClose={() => setRejecting(null)}
          onConfirm={async () => {
            await reject.mutateAsync(rejecting.id);
            showToast('success', `Rejected ${rejecting.username}`);
          }}
        />
      )}
    </section>
  );
}
