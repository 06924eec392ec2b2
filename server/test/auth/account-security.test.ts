import fc from 'fast-check';
import { Secret, TOTP } from 'otpauth';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { throttledAddress } from '../../src/features/auth/sign-in-throttle.js';
import {
  ADMIN_PASSWORD,
  Client,
  type Dialect,
  makeUser,
  sessionCookieOf,
  signIn,
  snapshot,
  startServer,
  type TestServer,
} from './support.js';

// Real: the whole server in-process (Fastify inject), its catalog on SQLite and on a fresh
// PostgreSQL database, argon2id (at a low cost), TOTP codes computed here with otpauth from the
// secret the server hands out, at the server's (manual) clock.
const DAY = 86_400_000;

function codeAt(secret: string, at: number): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at });
}

describe.each<Dialect>(['sqlite', 'postgres'])('account security on %s', (dialect) => {
  let s: TestServer;
  let admin: Client;
  beforeEach(async () => {
    s = await startServer(dialect);
    admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
  });
  afterEach(() => s.close());

  const login = (username: string, password: string, address = '127.0.0.1') =>
    s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: address,
      payload: { username, password },
    });
  const sendCode = (challenge: string, code: string, address = '127.0.0.1') =>
    s.app.inject({
      method: 'POST',
      url: '/api/auth/login/code',
      remoteAddress: address,
      payload: { challenge, code },
    });
  const sessionOf = (response: Awaited<ReturnType<typeof login>>) =>
    new Client(s.app, { cookie: sessionCookieOf(response), csrf: response.json().user.csrfToken });

  /** Turns two-factor on for the signed-in client; returns the secret and the recovery codes. */
  async function enrol(client: Client, password: string) {
    const setup = await client.post('/api/auth/two-factor/setup', { password });
    expect(setup.statusCode, setup.body).toBe(200);
    const { secret, uri, qrCodeSvg } = setup.json();
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(qrCodeSvg).toMatch(/^<svg/);
    const enabled = await client.post('/api/auth/two-factor/enable', { code: codeAt(secret, s.clock.now()) });
    expect(enabled.statusCode, enabled.body).toBe(200);
    return { secret: secret as string, recoveryCodes: enabled.json().recoveryCodes as string[] };
  }

  describe('API tokens', () => {
    it('are made only with the password given again; a wrong one writes nothing', async () => {
      const before = await snapshot(s.dailies);
      for (const body of [{ name: 'x' }, { name: 'x', password: 'not-the-password' }]) {
        const refused = await admin.post('/api/tokens', body);
        expect(refused.statusCode).toBe(403);
        expect(refused.json()).toMatchObject({ error: 'wrong_password' });
      }
      expect(await snapshot(s.dailies)).toBe(before);
      expect((await admin.post('/api/tokens', { name: 'x', password: ADMIN_PASSWORD })).statusCode).toBe(201);
    });

    it('expire: 90 days by default, at most 365, chosen at creation', async () => {
      const made = (await admin.post('/api/tokens', { name: 'default', password: ADMIN_PASSWORD })).json();
      expect(Date.parse(made.item.expiresAt)).toBe(s.clock.now() + 90 * DAY);
      const week = (
        await admin.post('/api/tokens', { name: 'week', password: ADMIN_PASSWORD, expiresInDays: 7 })
      ).json();
      expect(Date.parse(week.item.expiresAt)).toBe(s.clock.now() + 7 * DAY);
      for (const expiresInDays of [0, 366, 3650, 1.5])
        expect(
          (await admin.post('/api/tokens', { name: 'long', password: ADMIN_PASSWORD, expiresInDays }))
            .statusCode,
        ).toBe(400);
      const script = new Client(s.app, { bearer: week.token });
      expect((await script.get('/api/me')).statusCode).toBe(200);
      s.clock.advance(7 * DAY);
      const expired = await script.get('/api/me');
      expect(expired.statusCode).toBe(401);
      expect(expired.json().message).toMatch(/expired/);
      expect((await new Client(s.app, { bearer: made.token }).get('/api/me')).statusCode).toBe(200);
    });

    it('stop working when the password changes, and when an admin resets it; other sessions end', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      // Her first (forced) password change is audited too; the one below comes later.
      s.clock.advance(1000);
      const phone = await signIn(s.app, 'dana', dana.password);
      const token = (await dana.client.post('/api/tokens', { name: 'sync', password: dana.password })).json()
        .token;
      const script = new Client(s.app, { bearer: token });
      expect((await script.get('/api/folders')).statusCode).toBe(200);
      const changed = await dana.client.post('/api/auth/password', {
        currentPassword: dana.password,
        newPassword: 'danas-next-password',
      });
      expect(changed.statusCode).toBe(200);
      expect((await script.get('/api/folders')).statusCode).toBe(401);
      expect((await phone.get('/api/me')).statusCode).toBe(401);
      expect((await dana.client.get('/api/me')).statusCode).toBe(200);
      const listed = (await dana.client.get('/api/tokens')).json().items;
      expect(listed).toHaveLength(1);
      expect(listed[0].revokedAt).not.toBeNull();

      const second = (
        await dana.client.post('/api/tokens', { name: 'again', password: 'danas-next-password' })
      ).json();
      const again = new Client(s.app, { bearer: second.token });
      expect((await again.get('/api/folders')).statusCode).toBe(200);
      expect(
        (await admin.request('PATCH', `/api/users/${dana.id}`, { password: 'admin-set-password' }))
          .statusCode,
      ).toBe(200);
      expect((await again.get('/api/folders')).statusCode).toBe(401);
      expect((await dana.client.get('/api/me')).statusCode).toBe(401);
      const audit = (await admin.get('/api/audit?action=user.*&limit=100')).json().items;
      expect(audit.find((e: any) => e.action === 'user.password').detail.tokensRevoked).toBe(1);
      expect(
        audit.find((e: any) => e.action === 'user.update' && e.detail.passwordReset).detail.tokensRevoked,
      ).toBe(1);
    });

    it('need a code as well once two-factor sign-in is on', async () => {
      const { secret } = await enrol(admin, ADMIN_PASSWORD);
      const noCode = await admin.post('/api/tokens', { name: 't', password: ADMIN_PASSWORD });
      expect(noCode.statusCode).toBe(403);
      expect(noCode.json()).toMatchObject({ error: 'code_required' });
      const wrong = await admin.post('/api/tokens', { name: 't', password: ADMIN_PASSWORD, code: '000000' });
      expect(wrong.json()).toMatchObject({ error: 'wrong_code' });
      s.clock.advance(30_000);
      const made = await admin.post('/api/tokens', {
        name: 't',
        password: ADMIN_PASSWORD,
        code: codeAt(secret, s.clock.now()),
      });
      expect(made.statusCode, made.body).toBe(201);
      // Using it needs no code: scripts have none.
      expect((await new Client(s.app, { bearer: made.json().token }).get('/api/me')).statusCode).toBe(200);
    });
  });

  describe('sign-in limits', () => {
    it('50 parallel wrong passwords: at most the limit are checked; the right password from elsewhere works', async () => {
      const attacker = '203.0.113.66';
      const answers = await Promise.all(
        Array.from({ length: 50 }, (_, i) => login('admin', `guess-${i}`, attacker)),
      );
      const statuses = answers.map((a) => a.statusCode);
      const checked = statuses.filter((c) => c === 401).length;
      expect(checked).toBeLessThanOrEqual(s.dailies.config.signInLimit.perAccountAddress);
      expect(checked + statuses.filter((c) => c === 429).length).toBe(50);
      expect(answers.find((a) => a.statusCode === 429)!.json().details.retryAfterSeconds).toBeGreaterThan(0);
      // The attacker's address waits even with the right password; the admin elsewhere does not.
      expect((await login('admin', ADMIN_PASSWORD, attacker)).statusCode).toBe(429);
      expect((await login('admin', ADMIN_PASSWORD, '198.51.100.20')).statusCode).toBe(200);
    });

    it('an anonymous attacker cannot lock admin out, from any number of addresses', async () => {
      for (let a = 0; a < 8; a++) {
        const address = `192.0.2.${a + 10}`;
        await Promise.all(Array.from({ length: 10 }, (_, i) => login('admin', `nope-${a}-${i}`, address)));
      }
      const response = await login('admin', ADMIN_PASSWORD, '198.51.100.7');
      expect(response.statusCode).toBe(200);
      expect((await sessionOf(response).get('/api/me')).json().username).toBe('admin');
    });

    it('counts an IPv6 client by its /64, and ignores X-Forwarded-For from anyone but a trusted proxy', async () => {
      // Rotating through one's own /64 is one address.
      for (let i = 0; i < 5; i++)
        expect(
          (await login('admin', `guess-${i}`, `2001:db8:aa:bb::${(i + 1).toString(16)}`)).statusCode,
        ).toBe(401);
      expect((await login('admin', ADMIN_PASSWORD, '2001:db8:aa:bb:ffff:1:2:3')).statusCode).toBe(429);
      expect((await login('admin', ADMIN_PASSWORD, '2001:db8:aa:bc::1')).statusCode).toBe(200);
      // A client that is not a trusted proxy cannot pick the address it is counted under.
      const spoofed = (i: number) =>
        s.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          remoteAddress: '203.0.113.80',
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
          payload: { username: 'admin', password: `spoof-${i}` },
        });
      const answers = [];
      for (let i = 0; i < 8; i++) answers.push((await spoofed(i)).statusCode);
      expect(answers).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    });

    it('counts a password given again by the client address, like a sign-in', async () => {
      const ed = await makeUser(admin, 'ed', ['editors']);
      const from = (address: string) => new Client(s.app, { ...ed.client.credentials, address });
      for (let i = 0; i < 5; i++)
        expect(
          (await from('203.0.113.5').post('/api/tokens', { name: 'x', password: 'guess' })).statusCode,
        ).toBe(403);
      expect(
        (await from('203.0.113.5').post('/api/tokens', { name: 'x', password: ed.password })).statusCode,
      ).toBe(429);
      // Ed himself, elsewhere, is not held back; nor is anyone else.
      expect(
        (await from('198.51.100.5').post('/api/tokens', { name: 'x', password: ed.password })).statusCode,
      ).toBe(201);
      expect(
        (
          await from('198.51.100.5').post('/api/auth/password', {
            currentPassword: ed.password,
            newPassword: 'eds-next-password',
          })
        ).statusCode,
      ).toBe(200);
    });

    it('throttles the password given again (tokens, two-factor set-up) like a sign-in', async () => {
      const ed = await makeUser(admin, 'ed', ['editors']);
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => ed.client.post('/api/tokens', { name: 'x', password: 'guess' })),
      );
      expect(answers.filter((a) => a.statusCode === 403).length).toBeLessThanOrEqual(5);
      expect(answers.filter((a) => a.statusCode === 429).length).toBeGreaterThanOrEqual(15);
    });
  });

  describe('two-factor sign-in', () => {
    it('asks for the code after the password; no session until it is right', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = await enrol(dana.client, dana.password);
      expect((await dana.client.get('/api/me')).json().twoFactorEnabled).toBe(true);

      const first = await login('dana', dana.password);
      expect(first.statusCode).toBe(202);
      expect(first.json()).toMatchObject({ next: 'code' });
      expect(sessionCookieOf(first)).toBeUndefined();
      const { challenge } = first.json();
      const wrong = await sendCode(challenge, '000000');
      expect(wrong.statusCode).toBe(401);
      expect(wrong.json()).toMatchObject({ error: 'wrong_code' });
      expect(sessionCookieOf(wrong)).toBeUndefined();
      s.clock.advance(30_000);
      const ok = await sendCode(challenge, codeAt(secret, s.clock.now()));
      expect(ok.statusCode, ok.body).toBe(200);
      expect((await sessionOf(ok).get('/api/me')).json().username).toBe('dana');
      // A challenge is spent once.
      expect((await sendCode(challenge, codeAt(secret, s.clock.now()))).statusCode).toBe(401);
    });

    it('never accepts a code twice, not even within its window, nor an older one', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = await enrol(dana.client, dana.password);
      s.clock.advance(60_000);
      const code = codeAt(secret, s.clock.now());
      const earlier = codeAt(secret, s.clock.now() - 30_000);
      const one = (await login('dana', dana.password)).json().challenge;
      expect((await sendCode(one, code)).statusCode).toBe(200);
      const two = (await login('dana', dana.password)).json().challenge;
      const replay = await sendCode(two, code);
      expect(replay.statusCode).toBe(401);
      expect(replay.json()).toMatchObject({ error: 'wrong_code' });
      expect((await sendCode(two, earlier)).statusCode).toBe(401);
      // The same code twice in parallel: one wins.
      s.clock.advance(30_000);
      const next = codeAt(secret, s.clock.now());
      const a = (await login('dana', dana.password)).json().challenge;
      const b = (await login('dana', dana.password)).json().challenge;
      const both = await Promise.all([sendCode(a, next), sendCode(b, next)]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('two confirmations of one enrolment at once: one turns it on, with the only valid recovery codes', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = (
        await dana.client.post('/api/auth/two-factor/setup', { password: dana.password })
      ).json();
      const [one, two] = await Promise.all([
        dana.client.post('/api/auth/two-factor/enable', { code: codeAt(secret, s.clock.now()) }),
        dana.client.post('/api/auth/two-factor/enable', { code: codeAt(secret, s.clock.now() + 30_000) }),
      ]);
      const statuses = [one.statusCode, two.statusCode].sort();
      expect(statuses).toEqual([200, 409]);
      const codes = (one.statusCode === 200 ? one : two).json().recoveryCodes;
      const challenge = (await login('dana', dana.password)).json().challenge;
      expect((await sendCode(challenge, codes[0])).statusCode).toBe(200);
    });

    it('takes each recovery code once, typed any way', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { recoveryCodes } = await enrol(dana.client, dana.password);
      expect(recoveryCodes).toHaveLength(10);
      expect(new Set(recoveryCodes).size).toBe(10);
      // Stored as digests only.
      const stored = JSON.stringify(
        await s.dailies.connection.db.selectFrom('recoveryCodes').selectAll().execute(),
      );
      for (const code of recoveryCodes) expect(stored).not.toContain(code.replace(/-/g, ''));
      const typed = ` ${recoveryCodes[0].toUpperCase().replace(/-/g, ' ')} `;
      const ok = await sendCode((await login('dana', dana.password)).json().challenge, typed);
      expect(ok.statusCode, ok.body).toBe(200);
      const reused = await sendCode((await login('dana', dana.password)).json().challenge, recoveryCodes[0]);
      expect(reused.statusCode).toBe(401);
      const status = (await sessionOf(ok).get('/api/auth/two-factor')).json();
      expect(status).toMatchObject({ enabled: true, recoveryCodesLeft: 9 });
      // The same code in parallel: one sign-in.
      const pair = await Promise.all(
        [0, 1].map(async () =>
          sendCode((await login('dana', dana.password)).json().challenge, recoveryCodes[1]),
        ),
      );
      expect(pair.map((r) => r.statusCode).sort()).toEqual([200, 401]);
    });

    it('throttles code guessing per account across addresses, and counts before checking', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = await enrol(dana.client, dana.password);
      const limit = s.dailies.config.signInLimit.codesPerAccount;
      // Guesses from 12 addresses, 5 parallel per challenge.
      const answers = (
        await Promise.all(
          Array.from({ length: 12 }, async (_, a) => {
            const address = `198.18.0.${a + 1}`;
            const { challenge } = (await login('dana', dana.password, address)).json();
            return Promise.all(
              Array.from({ length: 5 }, (_, i) => sendCode(challenge, String(100000 + a * 10 + i), address)),
            );
          }),
        )
      ).flat();
      const wrongCodes = (await admin.get('/api/audit?action=auth.sign_in_failed&limit=1000'))
        .json()
        .items.filter((e: any) => e.detail.reason === 'wrong_code').length;
      expect(wrongCodes).toBeLessThanOrEqual(limit);
      expect(answers.filter((a) => a.statusCode === 429).length).toBeGreaterThanOrEqual(60 - limit);
      // Even the right code waits now...
      s.clock.advance(30_000);
      const { challenge } = (await login('dana', dana.password, '198.18.1.1')).json();
      const blocked = await sendCode(challenge, codeAt(secret, s.clock.now()), '198.18.1.1');
      expect(blocked.statusCode).toBe(429);
      // ...until the window has passed.
      s.clock.advance(15 * 60_000);
      const later = (await login('dana', dana.password, '198.18.1.1')).json().challenge;
      expect((await sendCode(later, codeAt(secret, s.clock.now()), '198.18.1.1')).statusCode).toBe(200);
    });

    it('a challenge ends after five wrong codes', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = await enrol(dana.client, dana.password);
      const { challenge } = (await login('dana', dana.password)).json();
      for (let i = 0; i < 4; i++)
        expect((await sendCode(challenge, `00000${i}`)).json().error).toBe('wrong_code');
      expect((await sendCode(challenge, '000009')).json().error).toBe('sign_in_expired');
      s.clock.advance(30_000);
      expect((await sendCode(challenge, codeAt(secret, s.clock.now()))).json().error).toBe('sign_in_expired');
    });

    it('turning it off needs the password and a code', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      const { secret } = await enrol(dana.client, dana.password);
      expect(
        (
          await dana.client.post('/api/auth/two-factor/disable', { password: dana.password, code: '000000' })
        ).json(),
      ).toMatchObject({ error: 'wrong_code' });
      s.clock.advance(30_000);
      const code = codeAt(secret, s.clock.now());
      expect(
        (await dana.client.post('/api/auth/two-factor/disable', { password: 'wrong', code })).json(),
      ).toMatchObject({
        error: 'wrong_password',
      });
      const off = await dana.client.post('/api/auth/two-factor/disable', { password: dana.password, code });
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json()).toMatchObject({ enabled: false, recoveryCodesLeft: 0 });
      expect((await login('dana', dana.password)).statusCode).toBe(200);
    });

    it('an admin can require it of admins: their sessions without it end, and the next sign-in enrols', async () => {
      const bob = await makeUser(admin, 'bob', ['admin']);
      const ed = await makeUser(admin, 'ed', ['editors']);
      const refused = await admin.request('PUT', '/api/auth/two-factor/policy', { policy: 'admins' });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().message).toMatch(/your own account first/);
      await enrol(admin, ADMIN_PASSWORD);
      expect(
        (await ed.client.request('PUT', '/api/auth/two-factor/policy', { policy: 'off' })).statusCode,
      ).toBe(403);
      expect(
        (await admin.request('PUT', '/api/auth/two-factor/policy', { policy: 'admins' })).statusCode,
      ).toBe(200);
      // The enrolling admin's own session goes on; bob's (password only) ends; editors are not concerned.
      expect((await admin.get('/api/me')).statusCode).toBe(200);
      expect((await bob.client.get('/api/me')).statusCode).toBe(401);
      expect((await ed.client.get('/api/folders')).statusCode).toBe(200);
      expect((await login('ed', ed.password)).statusCode).toBe(200);

      const first = await login('bob', bob.password);
      expect(first.statusCode).toBe(202);
      expect(first.json().next).toBe('enrol');
      const { challenge } = first.json();
      // The enrol challenge is not a code challenge.
      expect((await sendCode(challenge, '123456')).statusCode).toBe(401);
      const enrolment = await s.app.inject({
        method: 'POST',
        url: '/api/auth/login/enrol',
        payload: { challenge },
      });
      expect(enrolment.statusCode).toBe(200);
      const { secret, qrCodeSvg } = enrolment.json();
      expect(qrCodeSvg).toContain('<svg');
      const confirm = (code: string) =>
        s.app.inject({ method: 'POST', url: '/api/auth/login/enrol/confirm', payload: { challenge, code } });
      expect((await confirm('000000')).statusCode).toBe(401);
      const done = await confirm(codeAt(secret, s.clock.now()));
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().recoveryCodes).toHaveLength(10);
      const bobNow = sessionOf(done);
      expect((await bobNow.get('/api/users')).statusCode).toBe(200);
      // Required: it cannot be turned off.
      s.clock.advance(30_000);
      const off = await bobNow.post('/api/auth/two-factor/disable', {
        password: bob.password,
        code: codeAt(secret, s.clock.now()),
      });
      expect(off.statusCode).toBe(409);

      // Everyone: the editor's session ends too.
      expect(
        (await admin.request('PUT', '/api/auth/two-factor/policy', { policy: 'everyone' })).statusCode,
      ).toBe(200);
      expect((await ed.client.get('/api/folders')).statusCode).toBe(401);
      expect((await login('ed', ed.password)).json().next).toBe('enrol');
    });

    it('an admin resets a lost phone: the user signs in with the password again', async () => {
      const dana = await makeUser(admin, 'dana', ['editors']);
      await enrol(dana.client, dana.password);
      expect((await login('dana', dana.password)).statusCode).toBe(202);
      expect((await dana.client.request('DELETE', `/api/users/${dana.id}/two-factor`)).statusCode).toBe(403);
      expect((await admin.request('DELETE', `/api/users/${dana.id}/two-factor`)).statusCode).toBe(204);
      // Not one's own: that needs the password and a code.
      const me = (await s.dailies.catalog.users.getByUsername('admin'))!;
      expect((await admin.request('DELETE', `/api/users/${me.id}/two-factor`)).statusCode).toBe(409);
      expect((await login('dana', dana.password)).statusCode).toBe(200);
      const users = (await admin.get('/api/users')).json().items;
      expect(users.find((u: any) => u.username === 'dana').twoFactorEnabled).toBe(false);
      expect((await admin.get('/api/audit?action=user.two_factor_reset')).json().items).toHaveLength(1);
    });
  });

  describe('sign-up waiting for approval (the default)', () => {
    const signUp = (username: string, address = '127.0.0.1') =>
      s.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        remoteAddress: address,
        payload: { username, password: `${username}-password` },
      });

    it('cannot sign in or call the API until an admin approves; then it joins editors', async () => {
      const signed = await signUp('hank');
      expect(signed.statusCode).toBe(202);
      expect(signed.json()).toMatchObject({ awaitingApproval: true });
      expect(signed.json().message).toMatch(/admin must approve/);
      expect(sessionCookieOf(signed)).toBeUndefined();

      const pending = await login('hank', 'hank-password');
      expect(pending.statusCode).toBe(403);
      expect(pending.json()).toMatchObject({ error: 'approval_pending' });
      expect(pending.json().message).toMatch(/admin must approve/);
      // A wrong password does not learn that the account waits.
      expect((await login('hank', 'not-hanks')).statusCode).toBe(401);
      // Even a credential planted in the catalog is refused while it waits.
      const hank = (await s.dailies.catalog.users.getByUsername('hank'))!;
      const { digest } = await import('../../src/features/auth/credentials.js');
      await s.dailies.catalog.apiTokens.insert({
        id: 'planted',
        userId: hank.id,
        name: 'planted',
        tokenHash: digest('dly_planted-token'),
        createdAt: s.clock.now(),
        lastUsedAt: null,
        expiresAt: s.clock.now() + DAY,
        revokedAt: null,
      });
      expect((await new Client(s.app, { bearer: 'dly_planted-token' }).get('/api/folders')).statusCode).toBe(
        401,
      );

      const listed = (await admin.get('/api/users')).json().items.find((u: any) => u.username === 'hank');
      expect(listed).toMatchObject({ awaitingApproval: true, groups: ['editors'] });
      const editor = await makeUser(admin, 'ed', ['editors']);
      expect((await editor.client.post(`/api/users/${hank.id}/approve`)).statusCode).toBe(403);
      const approved = await admin.post(`/api/users/${hank.id}/approve`);
      expect(approved.statusCode).toBe(200);
      expect(approved.json()).toMatchObject({ awaitingApproval: false });
      expect((await admin.post(`/api/users/${hank.id}/approve`)).statusCode).toBe(409);
      const now = await login('hank', 'hank-password');
      expect(now.statusCode).toBe(200);
      expect((await sessionOf(now).get('/api/folders')).statusCode).toBe(200);
      expect((await new Client(s.app, { bearer: 'dly_planted-token' }).get('/api/me')).statusCode).toBe(200);
    });

    it('a rejected sign-up is gone; only waiting accounts can be rejected', async () => {
      await signUp('ivy');
      const ivy = (await s.dailies.catalog.users.getByUsername('ivy'))!;
      expect((await admin.post(`/api/users/${ivy.id}/reject`)).statusCode).toBe(204);
      expect(await s.dailies.catalog.users.getByUsername('ivy')).toBeNull();
      expect((await login('ivy', 'ivy-password')).statusCode).toBe(401);
      const adminUser = (await s.dailies.catalog.users.getByUsername('admin'))!;
      expect((await admin.post(`/api/users/${adminUser.id}/reject`)).statusCode).toBe(409);
      const actions = (await admin.get('/api/audit?action=user.reject')).json().items;
      expect(actions).toHaveLength(1);
    });

    it('a waiting account put in admin does not count as an admin', async () => {
      await signUp('mallory');
      const mallory = (await s.dailies.catalog.users.getByUsername('mallory'))!;
      expect(
        (await admin.request('PATCH', `/api/users/${mallory.id}`, { groups: ['admin'] })).statusCode,
      ).toBe(200);
      const me = (await s.dailies.catalog.users.getByUsername('admin'))!;
      // admin is still the only admin who can sign in, so cannot be disabled.
      expect((await admin.request('PATCH', `/api/users/${me.id}`, { disabled: true })).statusCode).toBe(409);
    });

    it('limits sign-ups from one address', async () => {
      const answers = [];
      for (let i = 0; i < 7; i++) answers.push((await signUp(`flood${i}`, '203.0.113.99')).statusCode);
      expect(answers.filter((c) => c === 202)).toHaveLength(5);
      expect(answers.slice(5)).toEqual([429, 429]);
      expect((await signUp('elsewhere', '203.0.113.100')).statusCode).toBe(202);
    });
  });
});

describe('the address sign-ins are counted under', () => {
  const group = fc.integer({ min: 0, max: 0xffff });
  const groups = fc.array(group, { minLength: 8, maxLength: 8 });
  /** Written in full, with or without leading zeros, in either case. */
  const spell = (g: number[], pad: boolean, upper: boolean) =>
    g
      .map((n) => n.toString(16).padStart(pad ? 4 : 1, '0'))
      .map((t) => (upper ? t.toUpperCase() : t))
      .join(':');

  it('is the /64 of an IPv6 address however it is written', () => {
    fc.assert(
      fc.property(groups, groups, fc.boolean(), fc.boolean(), (a, b, pad, upper) => {
        const sameNetwork = [...a.slice(0, 4), ...b.slice(4)];
        expect(throttledAddress(spell(a, pad, upper))).toBe(
          throttledAddress(spell(sameNetwork, !pad, !upper)),
        );
        // Compressed (the host part zero) is the same network too.
        expect(
          throttledAddress(
            `${a
              .slice(0, 4)
              .map((n) => n.toString(16))
              .join(':')}::`,
          ),
        ).toBe(throttledAddress(spell(a, pad, upper)));
        if (a.slice(0, 4).join() !== b.slice(0, 4).join())
          expect(throttledAddress(spell(a, pad, upper))).not.toBe(throttledAddress(spell(b, pad, upper)));
      }),
    );
  });

  it('is the IPv4 address itself, also when written as IPv6', () => {
    fc.assert(
      fc.property(fc.ipV4(), (ip) => {
        expect(throttledAddress(ip)).toBe(ip);
        expect(throttledAddress(`::ffff:${ip}`)).toBe(ip);
        expect(throttledAddress(`::FFFF:${ip}`)).toBe(ip);
      }),
    );
  });
});
