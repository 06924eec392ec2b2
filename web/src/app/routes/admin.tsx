/** The admin area: users, groups, the audit log and settings. */
import { IconLock, IconSettings, IconUsers } from '../../components/icons';
import { AuditPanel } from '../../features/admin/components/audit-panel';
import { GroupsPanel } from '../../features/admin/components/groups-panel';
import { UsersPanel } from '../../features/admin/components/users-panel';
import { useMe } from '../../features/auth/api/get-me';
import { linkHandler, useLocation } from '../../lib/router';

const SECTIONS = [
  { path: '/admin/users', label: 'Users', icon: <IconUsers /> },
  { path: '/admin/groups', label: 'Groups', icon: <IconUsers /> },
  { path: '/admin/audit', label: 'Audit log', icon: <IconLock /> },
  { path: '/admin/settings', label: 'Settings', icon: <IconSettings /> },
];

export function AdminPage() {
  const { pathname } = useLocation();
  const me = useMe();
  const section = SECTIONS.find((s) => pathname.startsWith(s.path)) ?? SECTIONS[0];
  return (
    <div className="admin">
      <nav className="admin__nav" aria-label="Admin">
        {SECTIONS.map((s) => (
          <a
            key={s.path}
            href={s.path}
            className={s === section ? 'is-active' : ''}
            aria-current={s === section ? 'page' : undefined}
            onClick={linkHandler(s.path)}
          >
            {s.icon} {s.label}
          </a>
        ))}
      </nav>
      <div className="page__body">
        {section.path === '/admin/users' && <UsersPanel currentUserId={me.data?.id ?? ''} />}
        {section.path === '/admin/groups' && <GroupsPanel />}
        {section.path === '/admin/audit' && <AuditPanel />}
        {section.path === '/admin/settings' && <SettingsPanel />}
      </div>
    </div>
  );
}

function SettingsPanel() {
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h2 id="settings-title" className="panel__title">
        Settings
      </h2>
      <dl className="metadata">
        <dt>Content lake</dt>
        <dd>
          Set by <code>DAILIES_LAKE</code> (a directory, or <code>s3://bucket/prefix</code>);{' '}
          <code>dailies doctor</code> checks it.
        </dd>
        <dt>Sign-up</dt>
        <dd>
          Open unless <code>DAILIES_SIGNUP=false</code>; new accounts join <code>editors</code>.
        </dd>
        <dt>Edit volumes</dt>
        <dd>
          Set by <code>DAILIES_VOLUMES</code>.
        </dd>
      </dl>
    </section>
  );
}
