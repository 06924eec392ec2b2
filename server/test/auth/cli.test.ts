import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDailies } from '../../src/wiring.js';

const ROOT = join(import.meta.dirname, '../../..');

// Real: `dailies user|group|audit` as an operator runs them, on SQLite in a temp data dir.
// Each command starts Node and tsx: several seconds apiece on a busy machine.
describe('dailies user, group and audit', { timeout: 240_000 }, () => {
  let dataDir: string;
  const started = new Date().toISOString();

  function dailies(
    args: string[],
    stdin?: string,
  ): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [join(ROOT, 'bin/dailies.js'), ...args],
        { cwd: ROOT, env: { ...process.env, DAILIES_DATA_DIR: dataDir, DAILIES_LOG_LEVEL: 'warn' } },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      );
      child.stdin?.end(stdin ?? '');
    });
  }

  /** Signs in against the same catalog, in-process. */
  async function canSignIn(username: string, password: string): Promise<{ status: number; me?: any }> {
    const d = await createDailies(loadConfig({ DAILIES_DATA_DIR: dataDir }, { watchLake: false }));
    const app = await buildApp(d);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
      });
      return { status: login.statusCode, me: login.statusCode === 200 ? login.json().user : undefined };
    } finally {
      await app.close();
      await d.close();
    }
  }

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-cli-auth-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('adds a user with a generated password, shown once, that must be changed', async () => {
    const added = await dailies(['user', 'add', 'Alice', '--groups', 'editors', '--name', 'Alice Liddell']);
    expect(added.code).toBe(0);
    // The first run also made `admin` and printed its password, once.
    expect(added.stdout).toMatch(/first admin account[\s\S]*username: admin/);
    expect(added.stdout).toContain('created alice (editors)');
    const password = /^password: (\S+)$/m.exec(added.stdout.split('created alice')[1])![1];
    const signedIn = await canSignIn('alice', password);
    expect(signedIn).toMatchObject({ status: 200, me: { username: 'alice', mustChangePassword: true } });
  });

  it('refuses bad names and unknown groups with a message and exit code 1, creating nothing', async () => {
    const control = await dailies(['user', 'add', 'bad\u0001name']);
    expect(control.code).toBe(1);
    expect(control.stderr).toMatch(/control characters/);
    const unknown = await dailies(['user', 'add', 'bob', '--groups', 'editors,ghosts']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/Unknown group: ghosts/);
    const builtin = await dailies(['group', 'remove', 'admin']);
    expect(builtin.code).toBe(1);
    expect(builtin.stderr).toMatch(/built in/);
    expect((await dailies(['user'])).code).toBe(2);
    const list = await dailies(['user', 'list']);
    expect(
      list.stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split('\t')[0]),
    ).toEqual(['admin', 'alice']);
  });

  it('manages groups and memberships', async () => {
    expect((await dailies(['group', 'add', 'colour', '--description', 'Grading suite'])).code).toBe(0);
    const set = await dailies(['user', 'groups', 'alice', 'editors,colour']);
    expect(set.stdout.trim()).toBe('alice: colour, editors');
    const groups = await dailies(['group', 'list']);
    expect(groups.stdout).toMatch(/^colour\t1 member\tGrading suite$/m);
    expect(groups.stdout).toMatch(/^admin\t1 member/m);
  });

  it('sets a password from stdin, permanent when asked', async () => {
    const changed = await dailies(
      ['user', 'passwd', 'alice', '--password-stdin', '--permanent'],
      'alices-own-pw\n',
    );
    expect(changed.code).toBe(0);
    expect(changed.stdout).not.toContain('alices-own-pw');
    expect(await canSignIn('alice', 'alices-own-pw')).toMatchObject({
      status: 200,
      me: { mustChangePassword: false, groups: ['colour', 'editors'] },
    });
  });

  it('approves a waiting sign-up and resets two-factor sign-in', async () => {
    const d = await createDailies(loadConfig({ DAILIES_DATA_DIR: dataDir }, { watchLake: false }));
    const app = await buildApp(d);
    try {
      const signup = await app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: { username: 'newbie', password: 'newbies-password' },
      });
      expect(signup.statusCode).toBe(202);
      // alice turns two-factor on (the server's real clock).
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'alice', password: 'alices-own-pw' },
      });
      const headers = {
        cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
        'x-dailies-csrf': login.json().user.csrfToken,
      };
      const setup = await app.inject({
        method: 'POST',
        url: '/api/auth/two-factor/setup',
        headers,
        payload: { password: 'alices-own-pw' },
      });
      const code = TOTP.generate({ secret: Secret.fromBase32(setup.json().secret), timestamp: Date.now() });
      const enabled = await app.inject({
        method: 'POST',
        url: '/api/auth/two-factor/enable',
        headers,
        payload: { code },
      });
      expect(enabled.statusCode).toBe(200);
    } finally {
      await app.close();
      await d.close();
    }
    expect((await canSignIn('newbie', 'newbies-password')).status).toBe(403);
    expect((await canSignIn('alice', 'alices-own-pw')).status).toBe(202);
    const listed = await dailies(['user', 'list']);
    expect(listed.stdout).toMatch(/^newbie\teditors\tpassword\tawaiting approval$/m);
    expect(listed.stdout).toMatch(/^alice\t.*two-factor$/m);

    const approved = await dailies(['user', 'approve', 'newbie']);
    expect(approved.code).toBe(0);
    expect((await canSignIn('newbie', 'newbies-password')).status).toBe(200);
    expect((await dailies(['user', 'approve', 'newbie'])).code).toBe(1);
    const reset = await dailies(['user', 'reset-2fa', 'alice']);
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/two-factor sign-in of alice is off/);
    expect((await canSignIn('alice', 'alices-own-pw')).status).toBe(200);
  });

  it('exports the audit log since a time as JSON lines, oldest first', async () => {
    const exported = await dailies(['audit', '--since', started]);
    expect(exported.code).toBe(0);
    const entries = exported.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const actions = entries.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.create', 'group.create', 'user.update', 'auth.sign_in']),
    );
    const times = entries.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    const onlyGroups = await dailies(['audit', '--since', started, '--action', 'group.*']);
    expect(
      onlyGroups.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).action),
    ).toEqual(['group.create']);
    expect((await dailies(['audit', '--since', 'last tuesday'])).stderr).toMatch(/not a date and time/);
  });
});
