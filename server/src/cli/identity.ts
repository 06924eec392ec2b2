import { parseArgs } from 'node:util';
import type { Config } from '../config.js';
import { SYSTEM_ACTOR } from '../features/access/actor.js';
import { generatePassword } from '../features/users/users.service.js';
import { withDailies } from './with-dailies.js';

const USER_USAGE = `Usage:
  dailies user add <username> [--groups a,b] [--admin] [--name "Full Name"]
                              [--password <pw> | --password-stdin]
      (no password: one is generated and printed once; the user changes it at first sign-in)
  dailies user list
  dailies user passwd <username> [--password <pw> | --password-stdin] [--permanent]
      (the user changes it at next sign-in unless --permanent)
  dailies user groups <username> [a,b]     show, or replace, the user's groups
  dailies user approve <username>          let a sign-up waiting for approval in
  dailies user reject <username>           delete a sign-up waiting for approval
  dailies user reset-2fa <username>        turn the user's two-factor sign-in off (a lost phone);
                                           they enrol again at next sign-in if it is required`;

const GROUP_USAGE = `Usage:
  dailies group add <name> [--description "…"]
  dailies group list
  dailies group remove <name>              (admin and editors always stay)`;

const AUDIT_USAGE = `Usage:
  dailies audit [--since <ISO date-time>] [--until <ISO>] [--action <a, or prefix.*>] [--actor <user>]
      prints matching entries as JSON lines, oldest first`;

/** Users, groups and the audit log from the command line, acting as the server itself. */
export async function runUser(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      groups: { type: 'string' },
      admin: { type: 'boolean', default: false },
      name: { type: 'string' },
      password: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      permanent: { type: 'boolean', default: false },
    },
  });
  const [action, username, groupList] = positionals;
  const actions = ['add', 'list', 'passwd', 'groups', 'approve', 'reject', 'reset-2fa'];
  const needsUser = action !== 'list';
  if (!actions.includes(action ?? '') || (needsUser && !username)) {
    console.error(USER_USAGE);
    return 2;
  }
  return withDailies(config, async ({ users, twoFactor }) => {
    switch (action) {
      case 'add': {
        const groups = values.groups !== undefined ? splitList(values.groups) : ['editors'];
        if (values.admin && !groups.includes('admin')) groups.push('admin');
        const { user, password } = await users.create(SYSTEM_ACTOR, {
          username,
          groups,
          displayName: values.name,
          password: await passwordFrom(values),
        });
        console.log(`created ${user.username} (${user.groups.join(', ') || 'no group'})`);
        if (password) console.log(`password: ${password}\n(shown once; it must be changed at first sign-in)`);
        return 0;
      }
      case 'list': {
        for (const user of await users.list(SYSTEM_ACTOR)) {
          const flags = [
            user.awaitingApproval ? 'awaiting approval' : null,
            user.disabled ? 'disabled' : null,
            user.mustChangePassword ? 'must change password' : null,
            user.twoFactorEnabled ? 'two-factor' : null,
          ].filter(Boolean);
          console.log(
            [user.username, user.groups.join(',') || '-', user.signIn, flags.join(', ')].join('\t').trimEnd(),
          );
        }
        return 0;
      }
      case 'passwd': {
        const user = await users.findUser(username);
        const given = await passwordFrom(values);
        const password = given ?? generatePassword();
        await users.update(SYSTEM_ACTOR, user.id, { password, mustChangePassword: !values.permanent });
        console.log(`password of ${user.username} changed; their sessions have ended`);
        if (!given) console.log(`password: ${password}`);
        if (!values.permanent) console.log('(it must be changed at next sign-in)');
        return 0;
      }
      case 'approve': {
        const user = await users.findUser(username);
        await users.approve(SYSTEM_ACTOR, user.id);
        console.log(`approved ${user.username}: they can sign in now`);
        return 0;
      }
      case 'reject': {
        const user = await users.findUser(username);
        await users.reject(SYSTEM_ACTOR, user.id);
        console.log(`rejected ${user.username}: the account is deleted`);
        return 0;
      }
      case 'reset-2fa': {
        const user = await users.findUser(username);
        await twoFactor.reset(SYSTEM_ACTOR, user.id);
        console.log(`two-factor sign-in of ${user.username} is off; they sign in with the password`);
        return 0;
      }
      default: {
        const user = await users.findUser(username);
        if (groupList !== undefined) {
          const updated = await users.update(SYSTEM_ACTOR, user.id, { groups: splitList(groupList) });
          console.log(`${updated.username}: ${updated.groups.join(', ') || 'no group'}`);
        } else {
          const [view] = await users.views([user]);
          console.log(view.groups.join('\n'));
        }
        return 0;
      }
    }
  });
}

export async function runGroup(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { description: { type: 'string' } },
  });
  const [action, name] = positionals;
  if (!['add', 'list', 'remove'].includes(action ?? '') || (action !== 'list' && !name)) {
    console.error(GROUP_USAGE);
    return 2;
  }
  return withDailies(config, async ({ users }) => {
    if (action === 'add') {
      await users.createGroup(SYSTEM_ACTOR, { name, description: values.description });
      console.log(`created group ${name}`);
    } else if (action === 'remove') {
      await users.deleteGroup(SYSTEM_ACTOR, name);
      console.log(`removed group ${name} (from its members and every folder)`);
    } else {
      for (const group of await users.listGroups(SYSTEM_ACTOR)) {
        console.log(
          [
            group.name,
            `${group.memberCount} member${group.memberCount === 1 ? '' : 's'}`,
            group.description ?? '',
          ]
            .join('\t')
            .trimEnd(),
        );
      }
    }
    return 0;
  });
}

export async function runAudit(config: Config, args: string[]): Promise<number> {
  let values: { since?: string; until?: string; action?: string; actor?: string };
  try {
    ({ values } = parseArgs({
      args,
      options: {
        since: { type: 'string' },
        until: { type: 'string' },
        action: { type: 'string' },
        actor: { type: 'string' },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${AUDIT_USAGE}`);
    return 2;
  }
  return withDailies(config, async ({ audit }) => {
    for await (const entry of audit.export(SYSTEM_ACTOR, values))
      process.stdout.write(`${JSON.stringify(entry)}\n`);
    return 0;
  });
}

async function passwordFrom(values: {
  password?: string;
  'password-stdin'?: boolean;
}): Promise<string | undefined> {
  if (values.password !== undefined) return values.password;
  if (!values['password-stdin']) return undefined;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.split(/\r?\n/)[0];
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((g) => g.trim())
    .filter(Boolean);
}
