/** The admin area: users, groups, logging fields, the audit log and settings. */
import { IconEdit, IconLock, IconSettings, IconUsers } from '../../components/icons';
import { AuditPanel } from '../../features/admin/components/audit-panel';
import { GroupsPanel } from '../../features/admin/components/groups-panel';
import { SettingsPanel } from '../../features/admin/components/settings-panel';
import { UsersPanel } from '../../features/admin/components/users-panel';
import { useMe } from '../../features/auth/api/get-me';
import { LogFieldsPanel } from '../../features/logging/components/log-fields-panel';
import { linkHandler, useLocation } from '../../lib/router';

const SECTIONS = [
  { path: '/admin/users', label: 'Users', icon: <IconUsers /> },
  { path: '/admin/groups', label: 'Groups', icon: <IconUsers /> },
  { path: '/admin/logging', label: 'Logging fields', icon: <IconEdit /> },
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
        {section.path === '/admin/logging' && <LogFieldsPanel />}
        {section.path === '/admin/audit' && <AuditPanel />}
        {section.path === '/admin/settings' && <SettingsPanel />}
      </div>
    </div>
  );
}
