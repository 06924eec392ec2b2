import { randomUUID } from 'node:crypto';
import type { Catalog } from '../../ports/catalog.js';
import type { User } from '../../ports/identity.js';

/** What differs between the ways an account is made (first admin, sign-up, an admin, OpenID Connect). */
export type NewUserFields = Pick<User, 'username'> &
  Partial<
    Pick<
      User,
      | 'displayName'
      | 'passwordHash'
      | 'mustChangePassword'
      | 'oidcIssuer'
      | 'oidcSubject'
      | 'awaitingApproval'
    >
  >;

/**
 * Stores a new, enabled (or awaiting approval) account together with its groups, in one transaction: no account
 * exists without the groups that decide what it may see. Returns the user as stored.
 */
export async function insertUser(
  catalog: Catalog,
  fields: NewUserFields,
  groups: string[],
  now: number,
): Promise<User> {
  const user: User = {
    id: randomUUID(),
    displayName: null,
    passwordHash: null,
    mustChangePassword: false,
    oidcIssuer: null,
    oidcSubject: null,
    awaitingApproval: false,
    totpSecret: null,
    totpPendingSecret: null,
    totpEnabledAt: null,
    totpLastStep: null,
    ...fields,
    disabled: false,
    createdAt: now,
    updatedAt: now,
    lastSignInAt: null,
  };
  await catalog.transaction(async (trx) => {
    await trx.users.insert(user);
    await trx.groups.setMemberships(user.id, groups);
  });
  return user;
}
