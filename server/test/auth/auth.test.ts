import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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
// PostgreSQL database, argon2id (at a low cost), an fs lake in a temp dir.
describe.each<Dialect>(['sqlite', 'postgres'])('sign-in and sessions on %s', (dialect) => {
  let s: TestServer;
  let admin: Client;
  beforeEach(async () => {
    s = await startServer(dialect);
    admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
  });
  afterEach(() => s.close());

  it('answers 401 to anonymous calls except the public routes', async () => {
    const anonymous = new Client(s.app);
    for (const url of ['/api/folders', '/api/me', '/api/users', '/api/audit', '/api/assets?folder=/']) {
      const response = await anonymous.get(url);
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ error: 'unauthenticated' });
    }
    expect((await anonymous.post('/api/folders', { path: '/X' })).statusCode).toBe(401);
    // No route, no handler: a 404 whoever asks (what exists is in the public OpenAPI document).
    expect((await anonymous.get('/api/no-such-route')).statusCode).toBe(404);
    expect((await anonymous.get('/healthz')).statusCode).toBe(200);
    expect((await anonymous.get('/api/openapi.json')).statusCode).toBe(200);
    expect((await anonymous.get('/api/auth/config')).json()).toMatchObject({ signUp: 'approve', oidc: null });
    // A made-up cookie or token is no better than none.
    expect((await new Client(s.app, { cookie: 'made-up' }).get('/api/folders')).statusCode).toBe(401);
    const badToken = await new Client(s.app, { bearer: 'dly_made-up' }).get('/api/folders');
    expect(badToken.statusCode).toBe(401);
    expect(badToken.json().message).toMatch(/token/);
  });

  it('sets an HttpOnly, SameSite=Lax session cookie, Secure behind TLS', async () => {
    const plain = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    const cookie = plain.cookies.find((c) => c.name === 'dailies_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie.secure).toBeUndefined();
    const proxied = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'x-forwarded-proto': 'https' },
      payload: { username: 'admin', password: ADMIN_PASSWORD },
    });
    expect(proxied.cookies.find((c) => c.name === 'dailies_session')).toMatchObject({ secure: true });
    // The cookie value is not what the catalog stores.
    const rows = await s.dailies.connection.db.selectFrom('sessions').select('id').execute();
    expect(rows.map((r) => r.id)).not.toContain(cookie.value);
  });

  it('rotates the session at sign-in: a cookie planted before sign-in never becomes a session', async () => {
    // The attacker's own valid session, planted in the victim's browser.
    await makeUser(admin, 'mallory', ['editors']);
    const attacker = await signIn(s.app, 'mallory', 'mallory-password');
    const planted = attacker.credentials.cookie!;
    await makeUser(admin, 'victim', ['editors']);
    const login = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: `dailies_session=${planted}` },
      payload: { username: 'victim', password: 'victim-password' },
    });
    expect(login.statusCode).toBe(200);
    const issued = sessionCookieOf(login)!;
    expect(issued).not.toBe(planted);
    // The planted value is dead, not the victim's.
    expect((await new Client(s.app, { cookie: planted }).get('/api/me')).statusCode).toBe(401);
    const victim = new Client(s.app, { cookie: issued, csrf: login.json().user.csrfToken });
    expect((await victim.get('/api/me')).json().username).toBe('victim');
    // A made-up cookie value presented at sign-in is ignored the same way.
    const madeUp = await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { cookie: 'dailies_session=chosen-by-attacker' },
      payload: { username: 'victim', password: 'victim-password' },
    });
    expect(sessionCookieOf(madeUp)).not.toBe('chosen-by-attacker');
    expect((await new Client(s.app, { cookie: 'chosen-by-attacker' }).get('/api/me')).statusCode).toBe(401);
  });

  it('refuses a cookie-authenticated change without the CSRF header, and changes nothing', async () => {
    const noHeader = new Client(s.app, { cookie: admin.credentials.cookie });
    const refused = await noHeader.post('/api/folders', { path: '/Forged' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'csrf' });
    const wrong = new Client(s.app, { cookie: admin.credentials.cookie, csrf: 'guess' });
    expect((await wrong.post('/api/folders', { path: '/Forged' })).statusCode).toBe(403);
    expect((await wrong.request('DELETE', '/api/trash')).statusCode).toBe(403);
    // A browser's own marking decides too: a cross-site request is refused, a same-origin one passes.
    const crossSite = await noHeader.request(
      'POST',
      '/api/folders',
      { path: '/Forged' },
      { 'sec-fetch-site': 'cross-site' },
    );
    expect(crossSite.statusCode).toBe(403);
    expect((await admin.get('/api/folders?path=/Forged')).statusCode).toBe(404);
    const sameSite = await noHeader.request(
      'POST',
      '/api/folders',
      { path: '/Forged/Same' },
      { 'sec-fetch-site': 'same-site' },
    );
    expect(sameSite.statusCode).toBe(403);
    const sameOrigin = await noHeader.request(
      'POST',
      '/api/folders',
      { path: '/Same Origin' },
      { 'sec-fetch-site': 'same-origin' },
    );
    expect(sameOrigin.statusCode).toBe(201);
    // Reads need no header; the right header lets the change through.
    expect((await noHeader.get('/api/folders')).statusCode).toBe(200);
    expect((await admin.post('/api/folders', { path: '/Forged' })).statusCode).toBe(201);
  });

  it('accepts personal API tokens without CSRF, and refuses a revoked one', async () => {
    const created = await admin.post('/api/tokens', { name: 'ingest script', password: ADMIN_PASSWORD });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json();
    expect(token).toMatch(/^dly_/);
    const script = new Client(s.app, { bearer: token });
    expect((await script.get('/api/me')).json()).toMatchObject({ username: 'admin', authMethod: 'token' });
    expect((await script.post('/api/folders', { path: '/By Script' })).statusCode).toBe(201);
    expect((await admin.get('/api/tokens')).json().items.map((t: any) => t.id)).toEqual([item.id]);

    expect((await admin.request('DELETE', `/api/tokens/${item.id}`)).statusCode).toBe(204);
    const revoked = await script.post('/api/folders', { path: '/After Revoke' });
    expect(revoked.statusCode).toBe(401);
    expect(revoked.json().message).toMatch(/revoked/);
    expect((await admin.get('/api/folders?path=/After Revoke')).statusCode).toBe(404);
    // Someone else's token looks missing.
    const other = await makeUser(admin, 'erin', ['editors']);
    const mine = (await other.client.post('/api/tokens', { name: 'mine', password: other.password })).json();
    expect((await admin.request('DELETE', `/api/tokens/${mine.item.id}`)).statusCode).toBe(204);
    const theirs = (await admin.post('/api/tokens', { name: 'admin one', password: ADMIN_PASSWORD })).json();
    expect((await other.client.request('DELETE', `/api/tokens/${theirs.item.id}`)).statusCode).toBe(404);
  });

  it('a password change ends the other sessions, keeps this one', async () => {
    const { client: laptop } = await makeUser(admin, 'dana', ['editors']);
    const phone = await signIn(s.app, 'dana', 'dana-password');
    expect((await phone.get('/api/me')).statusCode).toBe(200);
    const changed = await laptop.post('/api/auth/password', {
      currentPassword: 'dana-password',
      newPassword: 'a-brand-new-one',
    });
    expect(changed.statusCode).toBe(200);
    expect((await phone.get('/api/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/me')).statusCode).toBe(200);
    await expect(signIn(s.app, 'dana', 'dana-password')).rejects.toThrow(/401/);
    await signIn(s.app, 'dana', 'a-brand-new-one');
    // The current password is checked.
    const wrong = await laptop.post('/api/auth/password', {
      currentPassword: 'nope',
      newPassword: 'whatever-else',
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('limits failed sign-ins per account from one address and per address, with a readable 429', async () => {
    await makeUser(admin, 'frank', ['editors']);
    const attempt = (username: string, password: string, address = '203.0.113.7') =>
      s.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: address,
        payload: { username, password },
      });
    for (let i = 0; i < 5; i++) expect((await attempt('frank', `guess-${i}`)).statusCode).toBe(401);
    // That address waits, even with the right password...
    const blocked = await attempt('frank', 'frank-password');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().message).toMatch(
      /Too many failed sign-ins for this account from your address\. Try again in 15 minutes/,
    );
    // ...while frank signs in from anywhere else.
    expect((await attempt('frank', 'frank-password', '198.51.100.1')).statusCode).toBe(200);
    s.clock.advance(15 * 60_000 + 1);
    expect((await attempt('frank', 'frank-password')).statusCode).toBe(200);

    // One address trying many names.
    for (let i = 0; i < 30; i++) await attempt(`nobody${i}`, 'x', '192.0.2.50');
    const fromAddress = await attempt('frank', 'frank-password', '192.0.2.50');
    expect(fromAddress.statusCode).toBe(429);
    expect(fromAddress.json().message).toMatch(/from your address/);
    expect((await attempt('frank', 'frank-password', '192.0.2.51')).statusCode).toBe(200);

    const failures = (await admin.get('/api/audit?action=auth.sign_in_failed&limit=1000')).json().items;
    expect(failures.length).toBeGreaterThanOrEqual(37);
    expect(failures.some((e: any) => e.address === '192.0.2.50' && e.detail.reason === 'rate_limited')).toBe(
      true,
    );
  });

  it('makes an admin-created user change the password before anything else', async () => {
    const created = await admin.post('/api/users', { username: 'Grace', groups: ['editors'] });
    expect(created.statusCode).toBe(201);
    const { user, password } = created.json();
    expect(user).toMatchObject({ username: 'grace', mustChangePassword: true, groups: ['editors'] });
    expect(password).toHaveLength(16);
    const grace = await signIn(s.app, 'grace', password);
    const refused = await grace.get('/api/folders');
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toMatchObject({ error: 'password_change_required' });
    expect((await grace.post('/api/tokens', { name: 'sneaky' })).statusCode).toBe(403);
    expect((await grace.get('/api/me')).json()).toMatchObject({ mustChangePassword: true });
    expect(
      (await grace.post('/api/auth/password', { currentPassword: password, newPassword: 'graces-own-pw' }))
        .statusCode,
    ).toBe(200);
    expect((await grace.get('/api/folders')).statusCode).toBe(200);
  });

  it('self sign-up with DAILIES_SIGNUP=open joins editors and signs in', async () => {
    const open = await startServer(dialect, { signUp: 'open' });
    try {
      const anonymous = new Client(open.app);
      const signed = await anonymous.post('/api/auth/signup', {
        username: 'Hank',
        password: 'hanks-password',
      });
      expect(signed.statusCode).toBe(201);
      expect(signed.json().user).toMatchObject({
        username: 'hank',
        groups: ['editors'],
        mustChangePassword: false,
      });
      const hank = new Client(open.app, {
        cookie: sessionCookieOf(signed),
        csrf: signed.json().user.csrfToken,
      });
      expect((await hank.get('/api/folders')).statusCode).toBe(200);
      expect(
        (await anonymous.post('/api/auth/signup', { username: 'hank', password: 'other-pass' })).statusCode,
      ).toBe(409);
      expect(
        (await anonymous.post('/api/auth/signup', { username: 'ivy', password: 'short' })).statusCode,
      ).toBe(400);
      // Editors are not admins.
      expect((await hank.get('/api/users')).statusCode).toBe(403);
      const openAdmin = await signIn(open.app, 'admin', ADMIN_PASSWORD);
      expect((await openAdmin.get('/api/audit?action=auth.sign_up')).json().items).toHaveLength(1);
    } finally {
      await open.close();
    }
  });

  it('sign-up can be turned off: 403 and no account', async () => {
    const closed = await startServer(dialect, { signUp: 'off' });
    try {
      expect((await new Client(closed.app).get('/api/auth/config')).json().signUp).toBe('off');
      const response = await new Client(closed.app).post('/api/auth/signup', {
        username: 'ivy',
        password: 'ivys-password',
      });
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: 'signup_disabled' });
      expect(response.json().message).toMatch(/turned off/);
      expect(await closed.dailies.catalog.users.getByUsername('ivy')).toBeNull();
    } finally {
      await closed.close();
    }
  });

  it('logs out: the session ends', async () => {
    const out = await admin.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'dailies_session')?.value).toBe('');
    expect((await admin.get('/api/me')).statusCode).toBe(401);
  });

  it('a disabled user is signed out everywhere and cannot sign in', async () => {
    const { client: jo, id } = await makeUser(admin, 'jo', ['editors']);
    const token = (await jo.post('/api/tokens', { name: 't', password: 'jo-password' })).json().token;
    expect((await admin.request('PATCH', `/api/users/${id}`, { disabled: true })).statusCode).toBe(200);
    expect((await jo.get('/api/me')).statusCode).toBe(401);
    expect((await new Client(s.app, { bearer: token }).get('/api/me')).statusCode).toBe(401);
    await expect(signIn(s.app, 'jo', 'jo-password')).rejects.toThrow(/401/);
  });

  it('audits sign-ins, user and group changes with who, what and the address; filters for admins', async () => {
    await s.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '203.0.113.9',
      payload: { username: 'admin', password: 'wrong' },
    });
    await admin.post('/api/groups', { name: 'colour', description: 'Grading' });
    const { id } = await makeUser(admin, 'kim', ['editors']);
    await admin.post('/api/groups/colour/members', { user: 'kim' });
    const all = (await admin.get('/api/audit?limit=1000')).json().items;
    const actions = all.map((e: any) => e.action);
    for (const action of [
      'auth.sign_in',
      'auth.sign_in_failed',
      'group.create',
      'user.create',
      'group.member_add',
      'user.password',
    ]) {
      expect(actions).toContain(action);
    }
    const failed = all.find((e: any) => e.action === 'auth.sign_in_failed');
    expect(failed).toMatchObject({
      address: '203.0.113.9',
      detail: { username: 'admin', reason: 'wrong_password' },
    });
    const byKim = (await admin.get('/api/audit?actor=kim')).json().items;
    expect(byKim.length).toBeGreaterThan(0);
    expect(byKim.every((e: any) => e.actorId === id)).toBe(true);
    const groups = (await admin.get('/api/audit?action=group.*')).json().items.map((e: any) => e.action);
    expect(new Set(groups)).toEqual(new Set(['group.create', 'group.member_add']));
    const later = new Date(s.clock.now() + 1000).toISOString();
    expect((await admin.get(`/api/audit?since=${later}`)).json().items).toEqual([]);
    expect((await admin.get('/api/audit?since=yesterday')).statusCode).toBe(400);
    // Paging is complete and never repeats.
    const seen: string[] = [];
    let cursor = '';
    do {
      const page = (await admin.get(`/api/audit?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((e: any) => e.id));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    expect(seen).toEqual(all.map((e: any) => e.id));
    const kim = await signIn(s.app, 'kim', 'kim-password');
    expect((await kim.get('/api/audit')).statusCode).toBe(403);
  });

  it("gives a new folder its creator's groups plus admin; one with no group cannot make one", async () => {
    await admin.post('/api/groups', { name: 'project-x' });
    const lee = (await makeUser(admin, 'lee', ['editors', 'project-x'])).client;
    const made = await lee.post('/api/folders', { path: '/Lee' });
    expect(made.statusCode).toBe(201);
    expect([...made.json().groups].sort()).toEqual(['admin', 'editors', 'project-x']);

    const loner = (await makeUser(admin, 'loner', [])).client;
    const refused = await loner.post('/api/folders', { path: '/Loner' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().message).toMatch(/no group/);
    expect((await admin.get('/api/folders?path=/')).body).not.toContain('Loner');
  });

  it('refuses bad input with a clear 4xx and changes nothing', async () => {
    await makeUser(admin, 'lee', ['editors']);
    const lee = await signIn(s.app, 'lee', 'lee-password');
    await admin.post('/api/folders', { path: '/Project' });
    const before = await snapshot(s.dailies);
    const cases: Array<[Client, string, string, unknown, number, RegExp]> = [
      [
        admin,
        'POST',
        '/api/users',
        { username: 'ok', groups: ['editors', 'nope'] },
        400,
        /Unknown group: nope/,
      ],
      [admin, 'POST', '/api/users', { username: 'bad\u0000name' }, 400, /control characters/],
      [admin, 'POST', '/api/users', { username: 'tab\tname' }, 400, /control characters/],
      [admin, 'POST', '/api/users', { username: 'new\nline' }, 400, /control characters/],
      [admin, 'POST', '/api/users', { username: 'has space' }, 400, /may hold only/],
      [admin, 'POST', '/api/users', { username: 'lee' }, 409, /taken/],
      [admin, 'POST', '/api/users', { username: 'weak', password: 'short' }, 400, /at least 8/],
      [
        admin,
        'PUT',
        '/api/folders/groups',
        { path: '/Project', groups: ['admin', 'ghosts'] },
        400,
        /Unknown group: ghosts/,
      ],
      [
        admin,
        'PUT',
        '/api/folders/groups',
        { path: '/Project', groups: ['editors'] },
        400,
        /"admin" group cannot be removed/,
      ],
      [admin, 'PUT', '/api/folders/groups', { path: '/', groups: ['admin'] }, 400, /root/],
      [
        lee,
        'PUT',
        '/api/folders/groups',
        { path: '/Project', groups: ['admin', 'editors'] },
        403,
        /Only admins/,
      ],
      [lee, 'POST', '/api/groups', { name: 'mine' }, 403, /Only admins/],
      [lee, 'POST', '/api/groups/editors/members', { user: 'lee' }, 403, /Only admins/],
      [admin, 'POST', '/api/groups', { name: 'Bad Name' }, 400, /may hold only/],
      [admin, 'POST', '/api/groups', { name: 'ctl\u0007' }, 400, /control characters/],
      [admin, 'POST', '/api/groups', { name: 'editors' }, 409, /already exists/],
      [admin, 'DELETE', '/api/groups/admin', undefined, 400, /built in/],
      [admin, 'DELETE', '/api/groups/editors', undefined, 400, /built in/],
      [admin, 'DELETE', '/api/groups/ghosts', undefined, 404, /not found/],
      [admin, 'POST', '/api/groups/ghosts/members', { user: 'lee' }, 404, /not found/],
      [admin, 'POST', '/api/groups/editors/members', { user: 'nobody' }, 404, /not found/],
      [admin, 'DELETE', '/api/groups/admin/members/admin', undefined, 409, /last admin/],
    ];
    for (const [client, method, url, body, status, message] of cases) {
      const response = await client.request(method as never, url, body);
      expect(response.statusCode, `${method} ${url} ${JSON.stringify(body)}`).toBe(status);
      expect(response.json().message, `${method} ${url}`).toMatch(message);
    }
    const adminId = (await admin.get('/api/me')).json().id;
    for (const [method, body, message] of [
      ['PATCH', { groups: ['editors'] }, /last admin/],
      ['PATCH', { disabled: true }, /last admin/],
      ['PATCH', { groups: ['admin', 'nope'] }, /Unknown group/],
      ['DELETE', undefined, /last admin/],
    ] as const) {
      const response = await admin.request(method, `/api/users/${adminId}`, body);
      expect(response.statusCode).toBeGreaterThanOrEqual(400);
      expect(response.statusCode).toBeLessThan(500);
      expect(response.json().message).toMatch(message);
    }
    expect(await snapshot(s.dailies)).toEqual(before);
  });
});

describe('the OpenAPI document', () => {
  it('describes sign-in, the security schemes, and which routes are public', async () => {
    const s = await startServer('sqlite');
    try {
      const doc = (await new Client(s.app).get('/api/openapi.json')).json();
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['session', 'token']);
      expect(doc.security).toEqual([{ session: [] }, { token: [] }]);
      expect(doc.paths['/api/auth/login'].post.security).toEqual([]);
      expect(
        doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.required,
      ).toEqual(['username', 'password']);
      expect(doc.paths['/api/me'].get.security).toBeUndefined();
      expect(
        doc.paths['/api/me'].get.responses['200'].content['application/json'].schema.properties,
      ).toHaveProperty('csrfToken');
      for (const path of ['/api/users', '/api/groups', '/api/audit', '/api/tokens'])
        expect(doc.paths).toHaveProperty([path]);
    } finally {
      await s.close();
    }
  });
});

describe('first run', () => {
  it('creates admin with a generated password, given once, that must be changed', async () => {
    const printed: string[] = [];
    const s = await startServer(
      'sqlite',
      { adminPassword: undefined },
      { onFirstAdminPassword: (p) => printed.push(p) },
    );
    try {
      expect(printed).toHaveLength(1);
      const admin = await signIn(s.app, 'admin', printed[0]);
      expect((await admin.get('/api/me')).json()).toMatchObject({ isAdmin: true, mustChangePassword: true });
      expect((await admin.get('/api/users')).json().error).toBe('password_change_required');
      const groups = (await s.dailies.catalog.groups.list()).map((g) => g.name);
      expect(groups).toEqual(['admin', 'editors']);
      // A second start over the same catalog creates nothing and prints nothing.
      await s.dailies.users.ensureDefaults(undefined);
      expect(await s.dailies.catalog.users.count()).toBe(1);
      expect(printed).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
