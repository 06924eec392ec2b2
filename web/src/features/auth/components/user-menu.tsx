import { useState } from 'react';
import { ContextMenu, type MenuState } from '../../../components/context-menu';
import { Dialog } from '../../../components/dialog';
import { IconChevronDown, IconLock, IconSignOut } from '../../../components/icons';
import { showToast } from '../../../components/toasts';
import type { Me } from '../api/get-me';
import { useSignOut } from '../api/sign-out';
import { ChangePasswordForm } from './change-password-form';
import { SecurityDialog } from './security-dialog';
import './security.css';

/** The signed-in user in the top bar: groups at a glance, password change, security and tokens, sign out. */
export function UserMenu({ me }: { me: Me }) {
  const signOut = useSignOut();
  const [menu, setMenu] = useState<MenuState | null>(null);
  const [changing, setChanging] = useState(false);
  const [security, setSecurity] = useState(false);
  const name = me.displayName ?? me.username;
  return (
    <div className="user-menu">
      <button
        type="button"
        className="user-menu__button"
        aria-haspopup="menu"
        aria-expanded={menu !== null}
        onClick={(event) => {
          const rect = event.currentTarget.getBoundingClientRect();
          setMenu({
            x: rect.right - 220,
            y: rect.bottom + 4,
            label: 'Account',
            items: [
              { label: 'Change password…', icon: <IconLock />, onSelect: () => setChanging(true) },
              { label: 'Security and API tokens…', icon: <IconLock />, onSelect: () => setSecurity(true) },
              {
                label: 'Sign out',
                icon: <IconSignOut />,
                separator: true,
                onSelect: () => signOut.mutate(),
              },
            ],
          });
        }}
      >
        <span className="user-menu__avatar" aria-hidden="true">
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span className="user-menu__name">{name}</span>
        {me.isAdmin && <span className="badge">admin</span>}
        <IconChevronDown size={12} />
      </button>
      {menu && <ContextMenu menu={menu} onClose={() => setMenu(null)} />}
      {security && <SecurityDialog me={me} onClose={() => setSecurity(false)} />}
      {changing && (
        <Dialog title="Change password" onClose={() => setChanging(false)}>
          <ChangePasswordForm
            onDone={() => {
              setChanging(false);
              showToast(
                'success',
                'Password changed; your other sessions were signed out and your API tokens revoked',
              );
            }}
          />
        </Dialog>
      )}
    </div>
  );
}
