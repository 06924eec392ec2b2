/** Who is acting: every service method takes one. */
export interface Actor {
  id: string;
  username: string;
  groups: string[];
  isAdmin: boolean;
  /** The client's address when acting for an HTTP request; the audit log records it. */
  address?: string;
}

export const ADMIN_GROUP = 'admin';
export const EDITORS_GROUP = 'editors';

/** Acts for the server itself: the watcher, reconcile, the CLI, and the API until sign-in exists. */
export const SYSTEM_ACTOR: Actor = { id: 'system', username: 'system', groups: [ADMIN_GROUP], isAdmin: true };
