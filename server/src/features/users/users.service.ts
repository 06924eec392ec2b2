import { randomInt } from 'node:crypto';
import { Conflict, Forbidden, Invalid, NotFound } from '../../lib/errors.js';
import type { Catalog } from '../../ports/catalog.js';
import type { Clock } from '../../ports/clock.js';
import type { User } from '../../ports/identity.js';
import type { PasswordHasher } from '../../ports/password-hasher.js';
import { isAdmin } from '../access/access.policy.js';
import { type Actor, ADMIN_GROUP, EDITORS_GROUP, SYSTEM_ACTOR } from '../access/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import {
  validateDisplayName,
  validateGroupName,
  validatePassword,
  validateUsername,
} from './identity-names.js';
import { insertUser } from './new-user.js';

/** Groups that always exist and can never be deleted. */
export const BUILTIN_GROUPS = [ADMIN_GROUP, EDITORS_GROUP];

export interface UserView {
  id: string;
  username: string;
  displayName: string | null;
  groups: string[];
  isAdmin: boolean;
  mustChangePassword: boolean;
  disabled: boolean;
  /** Signed up and waiting for an admin to approve (or reject) the account. */
  awaitingApproval: boolean;
  twoFactorEnabled: boolean;
  /** `password`, `oidc`, or both joined with `+`. */
  signIn: string;
  createdAt: string;
  lastSignInAt: string | null;
}

export interface GroupView {
  name: string;
  description: string | null;
  memberCount: number;
  builtin: boolean;
  createdAt: string;
}

export interface UserCreateInput {
  username: string;
  password?: string;
  displayName?: string | null;
  groups?: string[];
}

export interface UserPatch {
  displayName?: string | null;
  groups?: string[];
  disabled?: boolean;
  /** A new password set by an admin: the user must change it at next sign-in (unless `mustChangePassword: false`). */
  password?: string;
  mustChangePassword?: boolean;
}

interface Deps {
  catalog: Catalog;
  hasher: PasswordHasher;
  audit: AuditService;
  clock: Clock;
}

/** Users, groups and memberships: admins only, every change audited. */
export class UsersService {
  constructor(private readonly deps: Deps) {}

  async list(actor: Actor): Promise<UserView[]> {
    requireAdmin(actor);
    const users = await this.deps.catalog.users.list();
    return this.views(users);
  }

  /** Creates a user who must change the password at first sign-in; a missing password is generated and returned once. */
  async create(actor: Actor, input: UserCreateInput): Promise<{ user: UserView; password?: string }> {
    requireAdmin(actor);
    const { catalog, hasher, audit, clock } = this.deps;
    const username = validateUsername(input.username);
    const generated = input.password === undefined ? generatePassword() : undefined;
    const password = validatePassword(input.password ?? generated, username);
    const displayName = validateDisplayName(input.displayName);
    const groups = await this.requireGroups(input.groups ?? [EDITORS_GROUP]);
    if (await catalog.users.getByUsername(username))
      throw new Conflict(`The username "${username}" is taken.`);
    const user = await insertUser(
      catalog,
      { username, displayName, passwordHash: await hasher.hash(password), mustChangePassword: true },
      groups,
      clock.now(),
    );
    await audit.record(actor, 'user.create', { type: 'user', id: user.id }, { username, groups });
    return { user: (await this.views([user]))[0], ...(generated ? { password: generated } : {}) };
  }

  async update(actor: Actor, id: string, patch: UserPatch): Promise<UserView> {
    requireAdmin(actor);
    const { catalog, hasher, audit, clock } = this.deps;
    const user = await this.requireUser(id);
    const changes: Partial<User> = {};
    const detail: Record<string, unknown> = { username: user.username };
    if (patch.displayName !== undefined) {
      changes.displayName = validateDisplayName(patch.displayName);
      detail.displayName = changes.displayName;
    }
    let groups: string[] | undefined;
    if (patch.groups !== undefined) {
      groups = await this.requireGroups(patch.groups);
      const before = (await catalog.groups.membershipsOf([id])).get(id) ?? [];
      if (before.includes(ADMIN_GROUP) && !groups.includes(ADMIN_GROUP))
        await this.keepAnAdmin(id, 'take the last admin out of the "admin" group');
      detail.groups = { before, after: groups };
    }
    if (patch.disabled !== undefined) {
      if (patch.disabled) await this.keepAnAdmin(id, 'disable the last admin');
      changes.disabled = patch.disabled;
      detail.disabled = patch.disabled;
    }
    if (patch.password !== undefined) {
      changes.passwordHash = await hasher.hash(validatePassword(patch.password, user.username));
      detail.passwordReset = true;
    }
    if (patch.password !== undefined || patch.mustChangePassword !== undefined) {
      changes.mustChangePassword = patch.mustChangePassword ?? true;
      detail.mustChangePassword = changes.mustChangePassword;
    }
    changes.updatedAt = clock.now();
    await catalog.transaction(async (trx) => {
      await trx.users.update(id, changes);
      if (groups) await trx.groups.setMemberships(id, groups);
      // A disabled account or a reset password ends every way in that existed before.
      if (changes.disabled || changes.passwordHash) {
        await trx.sessions.deleteForUser(id);
        detail.tokensRevoked = await trx.apiTokens.revokeForUser(id, clock.now());
      }
    });
    await audit.record(actor, 'user.update', { type: 'user', id }, detail);
    return (await this.views([{ ...user, ...changes }]))[0];
  }

  /** Lets a self sign-up in: the account works from now on. */
  async approve(actor: Actor, id: string): Promise<UserView> {
    requireAdmin(actor);
    const { catalog, audit, clock } = this.deps;
    const user = await this.requirePending(id);
    await catalog.users.update(id, { awaitingApproval: false, updatedAt: clock.now() });
    await audit.record(actor, 'user.approve', { type: 'user', id }, { username: user.username });
    return (await this.views([{ ...user, awaitingApproval: false }]))[0];
  }

  /** Turns a self sign-up away: the account is deleted (only one still waiting). */
  async reject(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    const user = await this.requirePending(id);
    await this.deps.catalog.transaction((trx) => trx.users.delete(id));
    await this.deps.audit.record(actor, 'user.reject', { type: 'user', id }, { username: user.username });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    requireAdmin(actor);
    const user = await this.requireUser(id);
    await this.keepAnAdmin(id, 'delete the last admin');
    await this.deps.catalog.transaction((trx) => trx.users.delete(id));
    await this.deps.audit.record(actor, 'user.delete', { type: 'user', id }, { username: user.username });
  }

  async listGroups(actor: Actor): Promise<GroupView[]> {
    requireAdmin(actor);
    return (await this.deps.catalog.groups.list()).map((g) => ({
      name: g.name,
      description: g.description,
      memberCount: g.memberCount,
      builtin: BUILTIN_GROUPS.includes(g.name),
      createdAt: new Date(g.createdAt).toISOString(),
    }));
  }

  async createGroup(actor: Actor, input: { name: string; description?: string | null }): Promise<GroupView> {
    requireAdmin(actor);
    const { catalog, audit, clock } = this.deps;
    const name = validateGroupName(input.name);
    const description = validateDisplayName(input.description);
    if (await catalog.groups.get(name)) throw new Conflict(`The group "${name}" already exists.`);
    const group = { name, description, createdAt: clock.now() };
    await catalog.groups.insert(group);
    await audit.record(actor, 'group.create', { type: 'group', id: name }, { description });
    return { ...group, memberCount: 0, builtin: false, createdAt: new Date(group.createdAt).toISOString() };
  }

  /** Deletes a group: its memberships go, and it comes off every folder. */
  async deleteGroup(actor: Actor, rawName: string): Promise<void> {
    requireAdmin(actor);
    const { catalog, audit } = this.deps;
    const name = await this.requireGroup(rawName);
    if (BUILTIN_GROUPS.includes(name))
      throw new Invalid(`The "${name}" group is built in and cannot be deleted.`);
    await catalog.transaction((trx) => trx.groups.delete(name));
    await audit.record(actor, 'group.delete', { type: 'group', id: name });
  }

  async addMember(actor: Actor, rawGroup: string, userRef: string): Promise<UserView> {
    requireAdmin(actor);
    const group = await this.requireGroup(rawGroup);
    const user = await this.findUser(userRef);
    await this.deps.catalog.groups.addMember(group, user.id);
    await this.deps.audit.record(
      actor,
      'group.member_add',
      { type: 'group', id: group },
      { userId: user.id, username: user.username },
    );
    return (await this.views([user]))[0];
  }

  async removeMember(actor: Actor, rawGroup: string, userRef: string): Promise<UserView> {
    requireAdmin(actor);
    const group = await this.requireGroup(rawGroup);
    const user = await this.findUser(userRef);
    if (group === ADMIN_GROUP)
      await this.keepAnAdmin(user.id, 'take the last admin out of the "admin" group');
    await this.deps.catalog.groups.removeMember(group, user.id);
    await this.deps.audit.record(
      actor,
      'group.member_remove',
      { type: 'group', id: group },
      { userId: user.id, username: user.username },
    );
    return (await this.views([user]))[0];
  }

  /** A user by id or username; NotFound otherwise. */
  async findUser(ref: string): Promise<User> {
    const { users } = this.deps.catalog;
    const user = (await users.get(ref)) ?? (await users.getByUsername(ref.toLowerCase()));
    if (!user) throw new NotFound(`The user "${ref}" was not found.`);
    return user;
  }

  /** An actor as they are now: null when the user is gone or disabled. */
  async actorById(id: string): Promise<Actor | null> {
    if (id === SYSTEM_ACTOR.id) return SYSTEM_ACTOR;
    const user = await this.deps.catalog.users.get(id);
    if (!user || user.disabled || user.awaitingApproval) return null;
    const groups = (await this.deps.catalog.groups.membershipsOf([id])).get(id) ?? [];
    return { id, username: user.username, groups, isAdmin: groups.includes(ADMIN_GROUP) };
  }

  /** Names of the groups that exist, for the folder groups check. */
  existingGroups(names: string[]): Promise<string[]> {
    return this.deps.catalog.groups.existing(names);
  }

  /**
   * First run: the built-in groups and, when there is no user at all, `admin` with the given
   * password (the operator chose it) or a generated one (returned, to be printed once; it
   * must be changed at first sign-in).
   */
  async ensureDefaults(adminPassword?: string): Promise<{ generatedPassword?: string } | null> {
    const { catalog, hasher, clock, audit } = this.deps;
    const now = clock.now();
    for (const name of await this.missing(BUILTIN_GROUPS)) {
      await catalog.groups
        .insert({ name, description: null, createdAt: now })
        .catch((error) => (error instanceof Conflict ? undefined : Promise.reject(error)));
    }
    if ((await catalog.users.count()) > 0) return null;
    const generated = adminPassword ? undefined : generatePassword();
    const passwordHash = await hasher.hash(validatePassword(adminPassword ?? generated));
    let user: User;
    try {
      user = await insertUser(
        catalog,
        { username: 'admin', displayName: 'Administrator', passwordHash, mustChangePassword: !adminPassword },
        [ADMIN_GROUP],
        now,
      );
    } catch (error) {
      // Another instance starting at the same moment made it first.
      if (error instanceof Conflict) return null;
      throw error;
    }
    await audit.record(
      SYSTEM_ACTOR,
      'user.create',
      { type: 'user', id: user.id },
      { username: 'admin', firstRun: true },
    );
    return generated ? { generatedPassword: generated } : {};
  }

  async views(users: User[]): Promise<UserView[]> {
    const memberships = await this.deps.catalog.groups.membershipsOf(users.map((u) => u.id));
    return users.map((u) => toUserView(u, memberships.get(u.id) ?? []));
  }

  private async missing(names: string[]): Promise<string[]> {
    const existing = new Set(await this.deps.catalog.groups.existing(names));
    return names.filter((n) => !existing.has(n));
  }

  private async requireUser(id: string): Promise<User> {
    const user = await this.deps.catalog.users.get(id);
    if (!user) throw new NotFound('The user was not found.');
    return user;
  }

  private async requirePending(id: string): Promise<User> {
    const user = await this.requireUser(id);
    if (!user.awaitingApproval)
      throw new Conflict(`The account "${user.username}" is not waiting for approval.`);
    return user;
  }

  private async requireGroup(raw: string): Promise<string> {
    const name = validateGroupName(raw);
    if (!(await this.deps.catalog.groups.get(name))) throw new NotFound(`The group "${name}" was not found.`);
    return name;
  }

  /** Checks every name and that each group exists; Invalid names the unknown ones. */
  private async requireGroups(raw: string[]): Promise<string[]> {
    const names = [...new Set(raw.map(validateGroupName))];
    const unknown = await this.missing(names);
    if (unknown.length > 0)
      throw new Invalid(`Unknown group${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}.`, { unknown });
    return names;
  }

  /** Refuses a change that would leave no enabled admin. */
  private async keepAnAdmin(userId: string, what: string): Promise<void> {
    const admins = await this.deps.catalog.groups.enabledMembers(ADMIN_GROUP);
    if (admins.length === 1 && admins[0] === userId)
      throw new Conflict(`You cannot ${what}: make another admin first.`);
  }
}

export function toUserView(user: User, groups: string[]): UserView {
  const ways = [user.passwordHash ? 'password' : null, user.oidcSubject ? 'oidc' : null].filter(Boolean);
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    groups,
    isAdmin: groups.includes(ADMIN_GROUP),
    mustChangePassword: user.mustChangePassword,
    disabled: user.disabled,
    awaitingApproval: user.awaitingApproval,
    twoFactorEnabled: user.totpEnabledAt !== null,
    signIn: ways.join('+') || 'none',
    createdAt: new Date(user.createdAt).toISOString(),
    lastSignInAt: user.lastSignInAt ? new Date(user.lastSignInAt).toISOString() : null,
  };
}

function requireAdmin(actor: Actor): void {
  if (!isAdmin(actor)) throw new Forbidden('Only admins manage users and groups.');
}

/** 16 characters from an unambiguous alphabet: about 90 bits. */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}
