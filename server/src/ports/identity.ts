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
  /** Signed up while sign-up needs approval: no way in until an admin approves. */
  awaitingApproval: boolean;
  /** Sealed TOTP secret; set once two-factor sign-in is on. */
  totpSecret: string | null;
  /** Sealed secret being enrolled, until its first code confirms it. */
  totpPendingSecret: string | null;
  totpEnabledAt: number | null;
  /** The last TOTP time step accepted; a code of that step or an earlier one is refused. */
  totpLastStep: number | null;
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
  /** What confirmed the sign-in beyond the password: a TOTP code, a recovery code, single sign-on; null: nothing. */
  secondFactor: SecondFactor | null;
}

export type SecondFactor = 'totp' | 'recovery' | 'sso';

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

/** What an attempt tried: a password, a second-factor code, or a sign-up. */
export type AttemptKind = 'password' | 'code' | 'signup';

export interface SignInAttempt {
  at: number;
  username: string;
  address: string;
  kind: AttemptKind;
}

export interface AttemptFilter {
  kind: AttemptKind;
  username?: string;
  address?: string;
}

/** A sign-in whose password was right and that waits for a code (or for enrolment). */
export interface SignInChallenge {
  /** SHA-256 (hex) of the token the client holds. */
  id: string;
  userId: string;
  kind: 'code' | 'enrol';
  createdAt: number;
  expiresAt: number;
  failures: number;
}

export interface UserRepository {
  get(id: string): Promise<User | null>;
  getByUsername(username: string): Promise<User | null>;
  getByOidc(issuer: string, subject: string): Promise<User | null>;
  list(): Promise<User[]>;
  count(): Promise<number>;
  insert(user: User): Promise<void>;
  update(id: string, patch: Partial<Omit<User, 'id'>>): Promise<void>;
  /**
   * Turns two-factor on with the pending secret `pendingSecret` if it is still the one being
   * enrolled and two-factor is still off: false when another request got there first.
   */
  enableTotp(id: string, pendingSecret: string, at: number, step: number): Promise<boolean>;
  /** Takes the TOTP step if it is later than the last one taken: false when it was used already (a replay). */
  acceptTotpStep(id: string, step: number): Promise<boolean>;
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
  /** Records that the session's user proved a second factor in it (enrolment inside a session). */
  setSecondFactor(id: string, secondFactor: SecondFactor | null): Promise<void>;
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
  /** Revokes every live token of the user; returns how many. */
  revokeForUser(userId: string, now: number): Promise<number>;
}

/**
 * Attempts are recorded before the secret is checked and count as failed until marked
 * succeeded, so parallel attempts always see each other.
 */
export interface SignInAttemptRepository {
  /** Stores the attempt (counted as failed); returns its id. */
  record(attempt: SignInAttempt): Promise<string>;
  succeeded(id: string): Promise<void>;
  /** Attempts not marked succeeded since `since` matching the filter. */
  failuresSince(filter: AttemptFilter, since: number): Promise<number>;
  /** The oldest of them, to say when the limit lifts. */
  oldestFailureSince(filter: AttemptFilter, since: number): Promise<number | null>;
  prune(before: number): Promise<void>;
}

export interface RecoveryCodeRepository {
  /** Replaces the user's codes with these digests. */
  replace(userId: string, codeHashes: string[], now: number): Promise<void>;
  /** Marks the code used if it is the user's and unused: false otherwise (each works once, even in parallel). */
  consume(userId: string, codeHash: string, now: number): Promise<boolean>;
  countUnused(userId: string): Promise<number>;
  deleteForUser(userId: string): Promise<void>;
}

export interface SignInChallengeRepository {
  insert(challenge: SignInChallenge): Promise<void>;
  get(id: string): Promise<SignInChallenge | null>;
  /** Counts a wrong code; false once the challenge has had `max` of them (it is then deleted). */
  countFailure(id: string, max: number): Promise<boolean>;
  /** Deletes it; true only for the one caller that deleted it (a challenge is spent once). */
  take(id: string): Promise<boolean>;
  deleteForUser(userId: string): Promise<void>;
  deleteExpired(now: number): Promise<void>;
}
