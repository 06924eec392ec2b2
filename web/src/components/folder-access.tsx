/**
 * Who can see a folder, at a glance (DESIGN.md "Permissions": the screen always says it): a lock
 * for a folder only admins see, otherwise the groups besides `admin`. The tree shows the icon
 * alone; the full list is its tooltip and accessible name.
 */
import type { Folder } from '../lib/api-client';
import { IconLock, IconUsers, IconWarning } from './icons';
import './folder-access.css';

const ADMIN = 'admin';

export function accessSummary(access: Folder['access']): { label: string; title: string; locked: boolean } {
  if (access.everyone)
    return { label: 'Everyone', title: 'Every signed-in user can see this folder', locked: false };
  const others = access.visibleTo.filter((g) => g !== ADMIN);
  if (others.length === 0)
    return { label: 'Admins only', title: 'Only admins can see this folder', locked: true };
  return {
    label: others.join(', '),
    title: `Visible to ${others.join(', ')} and admins`,
    locked: false,
  };
}

export function FolderAccessBadge(props: { access: Folder['access']; compact?: boolean }) {
  const { label, title, locked } = accessSummary(props.access);
  if (props.access.everyone) return null;
  return (
    <span
      className={`access-badge ${locked ? 'access-badge--locked' : ''} ${props.compact ? 'access-badge--compact' : ''}`}
      title={title}
      role="img"
      aria-label={title}
    >
      {locked ? <IconLock size={11} /> : <IconUsers size={11} />}
      {!props.compact && <span className="access-badge__text">{label}</span>}
    </span>
  );
}

/** A sibling differs from this name only in case or Unicode form (written by another tool). */
export function NameWarning(props: { warning?: string }) {
  if (!props.warning) return null;
  return (
    <span className="name-warning" title={props.warning} role="img" aria-label={props.warning}>
      <IconWarning size={12} />
    </span>
  );
}
