import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/server-process.js';
import { ADMIN_PASSWORD, type Client, signIn, startServer, type TestServer } from './support.js';

/** What the provider knows about each of its users. */
const ACCOUNTS: Record<string, Record<string, unknown>> = {
  'sub-vera': {
    preferred_username: 'Vera',
    name: 'Vera Colourist',
    groups: ['idp-colour', 'editors', 'nope'],
  },
  'sub-alice': { preferred_username: 'alice', name: 'Another Alice', groups: ['editors'] },
  'sub-plain': { preferred_username: 'plain', name: 'No Groups Claim' },
};

/**
 * A browser without a screen: keeps cookies per origin, follows redirects by hand, and fills
 * in the provider's sign-in and consent forms (its development interactions).
 */
class HeadlessBrowser {
  private readonly jars = new Map<string, Map<string, string>>();

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const origin = new URL(url).origin;
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    this.jars.set(origin, jar);
    const headers = new Headers(init.headers);
    if (jar.size > 0) headers.set('cookie', [...jar].map(([k, v]) => `${k}=${v}`).join('; '));
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const expired = attributes.some((a) => /expires=Thu, 01 Jan 1970/i.test(a)) || value.join('=') === '';
      if (expired) jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    return response;
  }

  cookie(origin: string, name: string): string | undefined {
    return this.jars.get(origin)?.get(name);
  }

  setCookie(origin: string, name: string, value: string): void {
    const jar = this.jars.get(origin) ?? new Map<string, string>();
    jar.set(name, value);
    this.jars.set(origin, jar);
  }

  /** Follows redirects (signing in as `login` when the provider asks) until a non-redirect or `stopAt`. */
  async navigate(url: string, login: string, stopAt: string): Promise<Response> {
    let response = await this.fetch(url);
    for (let hops = 0; hops < 20; hops++) {
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        const next = new URL(location, response.url || url).href;
        if (next.startsWith(stopAt)) return this.fetch(next);
        response = await this.fetch(next);
        url = next;
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
      if (!action || !prompt) throw new Error(`stuck at ${url}: ${response.status} ${html.slice(0, 300)}`);
      const body = new URLSearchParams({ prompt, ...(prompt === 'login' ? { login, password: 'any' } : {}) });
      const target = new URL(action.replaceAll('&amp;', '&'), url).href;
      response = await this.fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: body.toString(),
      });
      url = target;
    }
    throw new Error('too many redirects');
  }
}

// Real: an OpenID Connect provider (oidc-provider) and Dailies, each on its own loopback port,
// talking HTTP to each other; Dailies on SQLite with an fs lake.
describe('sign-in with OpenID Connect', () => {
  let s: TestServer;
  let idp: Server;
  let base: string;
  let admin: Client;

  beforeAll(async () => {
    const idpPort = await freePort();
    const issuer = `http://127.0.0.1:${idpPort}`;
    s = await startServer('sqlite', {
      oidc: {
        issuer,
        clientId: 'dailies',
        clientSecret: 'dailies-client-secret',
        name: 'Studio SSO',
        scopes: 'openid profile groups',
        groupsClaim: 'groups',
        usernameClaim: 'preferred_username',
        groupMap: { 'idp-colour': 'colour' },
        allowInsecure: true,
      },
    });
    base = await s.app.listen({ host: '127.0.0.1', port: 0 });
    admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
    await admin.post('/api/groups', { name: 'colour' });
    await admin.post('/api/users', { username: 'alice', password: 'alices-password' });

    const provider = new Provider(issuer, {
      clients: [
        {
          client_id: 'dailies',
          client_secret: 'dailies-client-secret',
          redirect_uris: [`${base}/api/auth/oidc/callback`],
          grant_types: ['authorization_code'],
          response_types: ['code'],
        },
      ],
      claims: { openid: ['sub'], profile: ['preferred_username', 'name'], groups: ['groups'] },
      findAccount: async (_ctx: unknown, id: string) => ({
        accountId: id,
        claims: async () => ({ sub: id, ...ACCOUNTS[id] }),
      }),
      cookies: { keys: ['a-cookie-signing-key-for-tests'] },
      features: { devInteractions: { enabled: true } },
    });
    idp = createServer(provider.callback());
    await new Promise<void>((resolve) => idp.listen(idpPort, '127.0.0.1', resolve));
    expect((idp.address() as AddressInfo).port).toBe(idpPort);
  });

  afterAll(async () => {
    idp?.close();
    await s?.close();
  });

  async function signInWithProvider(login: string, returnTo = '/browse/Day%2001') {
    const browser = new HeadlessBrowser();
    const landed = await browser.navigate(
      `${base}/api/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`,
      login,
      `${base}/api/auth/oidc/callback`,
    );
    return { browser, landed, session: browser.cookie(base, 'dailies_session') };
  }

  async function me(session: string | undefined) {
    const response = await fetch(`${base}/api/me`, { headers: { cookie: `dailies_session=${session}` } });
    return { status: response.status, body: (await response.json()) as any };
  }

  it('offers the provider on the sign-in page', async () => {
    const config = await (await fetch(`${base}/api/auth/config`)).json();
    expect(config.oidc).toEqual({ name: 'Studio SSO', startUrl: '/api/auth/oidc/start' });
  });

  it('signs a new user in, named by the claim, in the groups the claim maps to that exist here', async () => {
    const { landed, session } = await signInWithProvider('sub-vera');
    expect(landed.status).toBe(302);
    expect(landed.headers.get('location')).toBe('/browse/Day%2001');
    const cookie = landed.headers.getSetCookie().find((c) => c.startsWith('dailies_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const who = await me(session);
    expect(who.status).toBe(200);
    expect(who.body).toMatchObject({ username: 'vera', groups: ['colour', 'editors'], isAdmin: false });
    const users = (await admin.get('/api/users')).json().items;
    expect(users.find((u: any) => u.username === 'vera')).toMatchObject({
      signIn: 'oidc',
      displayName: 'Vera Colourist',
    });
    const audit = (await admin.get('/api/audit?actor=vera'))
      .json()
      .items.map((e: any) => [e.action, e.detail]);
    expect(audit).toContainEqual(['auth.sign_in', { method: 'oidc', groups: ['colour', 'editors'] }]);
    expect(audit.some(([action, detail]: any) => action === 'user.create' && detail.via === 'oidc')).toBe(
      true,
    );
  });

  it('follows the provider: the same user next time, with the groups the claim now names', async () => {
    const first = await me((await signInWithProvider('sub-vera')).session);
    ACCOUNTS['sub-vera'].groups = ['editors'];
    try {
      const again = await me((await signInWithProvider('sub-vera')).session);
      expect(again.body.id).toBe(first.body.id);
      expect(again.body.groups).toEqual(['editors']);
    } finally {
      ACCOUNTS['sub-vera'].groups = ['idp-colour', 'editors', 'nope'];
    }
    // No groups claim at all: a new user joins editors, as with self sign-up.
    expect((await me((await signInWithProvider('sub-plain')).session)).body.groups).toEqual(['editors']);
  });

  it('never takes over a local account of the same name', async () => {
    const who = await me((await signInWithProvider('sub-alice')).session);
    expect(who.body.username).toBe('alice-2');
    const local = await signIn(s.app, 'alice', 'alices-password');
    expect((await local.get('/api/me')).json().username).toBe('alice');
  });

  it('refuses a callback without its transaction, and never redirects off the site', async () => {
    const browser = new HeadlessBrowser();
    const start = await browser.fetch(`${base}/api/auth/oidc/start?returnTo=https://evil.example/`);
    expect(start.status).toBe(302);
    const transaction = browser.cookie(base, 'dailies_oidc')!;
    // Another browser (no transaction cookie, or a forged one) cannot finish it.
    const stranger = await fetch(`${base}/api/auth/oidc/callback?code=x&state=y`);
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error).toBe('oidc_expired');
    const forged = await fetch(`${base}/api/auth/oidc/callback?code=x&state=y`, {
      headers: { cookie: `dailies_oidc=${transaction.slice(0, -2)}xx` },
    });
    expect(forged.status).toBe(400);
    // A wrong state with the right transaction fails the code flow.
    const wrongState = await fetch(`${base}/api/auth/oidc/callback?code=x&state=y`, {
      headers: { cookie: `dailies_oidc=${transaction}` },
    });
    expect(wrongState.status).toBe(401);
    // The off-site returnTo was replaced by the root.
    const finished = await browser.navigate(
      start.headers.get('location')!,
      'sub-vera',
      `${base}/api/auth/oidc/callback`,
    );
    expect(finished.headers.get('location')).toBe('/');
    const failures = (await admin.get('/api/audit?action=auth.sign_in_failed')).json().items;
    expect(failures.some((e: any) => e.detail.method === 'oidc')).toBe(true);
  });

  it('lands on this site for spellings a browser would read as another host (issue 11, finding 6)', async () => {
    // The query string decodes `%09` into a tab, which a browser drops: `/\t/evil` is `//evil`.
    for (const returnTo of [
      '/%09/evil.example',
      '/%0a/evil.example',
      '/%5Cevil.example',
      '/%2F/evil.example',
    ]) {
      const browser = new HeadlessBrowser();
      const landed = await browser.navigate(
        `${base}/api/auth/oidc/start?returnTo=${returnTo}`,
        'sub-vera',
        `${base}/api/auth/oidc/callback`,
      );
      const location = landed.headers.get('location')!;
      expect(new URL(location, `${base}/api/auth/oidc/callback`).origin, returnTo).toBe(base);
      expect(location.startsWith('//'), returnTo).toBe(false);
      expect(/[\t\n\r\\]/.test(location), returnTo).toBe(false);
    }
  });

  it('a single sign-on account, with no password to give again, makes a token only just after signing in', async () => {
    const { session } = await signInWithProvider('sub-plain');
    const make = () =>
      fetch(`${base}/api/tokens`, {
        method: 'POST',
        headers: {
          cookie: `dailies_session=${session}`,
          'sec-fetch-site': 'same-origin',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ name: 'sso script' }),
      });
    expect((await make()).status).toBe(201);
    s.clock.advance(11 * 60_000);
    const late = await make();
    expect(late.status).toBe(403);
    expect((await late.json()).error).toBe('sign_in_again');
  });
});
