/** Users, groups, sessions, API tokens and sign-in attempts: the catalog's identity tables. */

export interface User {
  id: string;
  /** Lower case; unique. */
  username: string;
  displayName: string | null;
  /** argon2id PHC string; null for accounts that only sign in through OpenID Connect. */
  passwordHash: string | null;
  mustChangePassword: boolean;
  disabled: boolean;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  createdAt: number;
  updatedAt: number;
  lastSignInAt: number | null;
}

export interface Group {
  name: string;
  description: string | null;
  createdAt: number;
}

export interface Session {
  /** SHA-256 (hex) of the cookie value. */
  id: string;
  userId: string;
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  address: string | null;
  userAgent: string | null;
}

export interface ApiToken {
  id: string;
  userId: string;
  name: string;
  /** SHA-256 (hex) of the token. */
  tokenHash: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
  revokedAt: number | null;
}

export interface SignInAttempt {
  at: number;
  username: string;
  address: string;
  success: boolean;
}

export interface UserRepository {
  get(id: string): Promise<User | null>;
  getByUsername(username: string): Promise<User | null>;
  getByOidc(issuer: string, subject: string): Promise<User | null>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  insert(user: User): Promise<void>;
  update(id: string, patch: Partial<Omit<User, 'id'>>): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface GroupRepository {
  list(): Promise<Array<Group & { memberCount: number }>>;
  get(name: string): Promise<Group | null>;
  /** The subset of `names` that exist. */
  existing(names: string[]): Promise<string[]>;
  insert(group: Group): Promise<void>;
  /** Deletes the group, its memberships, and its place on every folder. */
  delete(name: string): Promise<void>;
  /** User id → group names, for every id given. */
  membershipsOf(userIds: string[]): Promise<Map<string, string[]>>;
  setMemberships(userId: string, groups: string[]): Promise<void>;
  addMember(group: string, userId: string): Promise<void>;
  removeMember(group: string, userId: string): Promise<void>;
  /** Ids of the enabled users in `group`. */
  enabledMembers(group: string): Promise<string[]>;
}

export interface SessionRepository {
  insert(session: Session): Promise<void>;
  get(id: string): Promise<Session | null>;
  touch(id: string, lastSeenAt: number, expiresAt: number): Promise<void>;
  delete(id: string): Promise<void>;
  /** Ends every session of the user except `keepId`; returns how many ended. */
  deleteForUser(userId: string, keepId?: string): Promise<number>;
  deleteExpired(now: number): Promise<number>;
}

export interface ApiTokenRepository {
  insert(token: ApiToken): Promise<void>;
  getByHash(tokenHash: string): Promise<ApiToken | null>;
  get(id: string): Promise<ApiToken | null>;
  listForUser(userId: string): Promise<ApiToken[]>;
  touch(id: string, now: number): Promise<void>;
  revoke(id: string, now: number): Promise<void>;
  revokeForUser(userId: string, now: number): Promise<void>;
}

export interface SignInAttemptRepository {
  record(attempt: SignInAttempt): Promise<void>;
  /** Failed attempts since `since` for that username, or from that address. */
  failuresSince(filter: { username?: string; address?: string }, since: number): Promise<number>;
  /** The oldest failure counted in the window, to say when the limit lifts. */
  oldestFailureSince(filter: { username?: string; address?: string }, since: number): Promise<number | null>;
  prune(before: number): Promise<void>;
}
