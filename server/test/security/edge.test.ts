/**
 * The HTTP edge, finding by finding (issue 11): each block fails on the code before the fix.
 * Real: the whole server in-process (SQLite catalog, fs lake), signed-in users made through the API.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { signToken, verifyToken } from '../../src/lib/signing.js';
import { webContentSecurityPolicy } from '../../src/plugins/web.js';
import {
  ADMIN_PASSWORD,
  type Client,
  makeUser,
  signIn,
  startServer,
  type TestServer,
} from '../auth/support.js';

const INLINE_SCRIPT = 'window.__early=fetch("/api/me");';

let s: TestServer;
let admin: Client;
let editor: Client;
let editorId: string;
let pending: Client;
const webDir = mkdtempSync(join(tmpdir(), 'dailies-edge-web-'));
writeFileSync(
  join(webDir, 'index.html'),
  `<!doctype html><title>Dailies</title><script>${INLINE_SCRIPT}</script><script type="module" src="/assets/app.js"></script>`,
);

beforeAll(async () => {
  s = await startServer('sqlite', { webDir, metricsToken: 'scrape-me-please' });
  admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
  const made = await makeUser(admin, 'editor', ['editors']);
  editor = made.client;
  editorId = made.id;
  // A user whose password an admin set, not yet changed.
  expect(
    (await admin.post('/api/users', { username: 'pending', password: 'temporary-password' })).statusCode,
  ).toBe(201);
  pending = await signIn(s.app, 'pending', 'temporary-password');
}, 120_000);

afterAll(async () => {
  await s?.close();
  rmSync(webDir, { recursive: true, force: true });
});

const anonymous = () => s.app;
const lakeFiles = () => readdirSync(s.dailies.config.lake, { recursive: true }).map(String).sort();

describe('finding 1: the route that matched decides, not the spelling of the URL', () => {
  const spellings = [
    '/%61pi/folders?path=/',
    '/api/%66olders?path=/',
    '/%61%70%69/folders?path=/',
    '/ap%69/folders?path=/',
  ];

  it('asks anonymous callers to sign in under every spelling', async () => {
    for (const url of spellings) {
      const response = await anonymous().inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json().error, url).toBe('unauthenticated');
    }
  });

  it('writes nothing to the lake for an anonymous tus creation under another spelling', async () => {
    const before = lakeFiles();
    for (const url of ['/%61pi/uploads', '/api/%75ploads', '/api/uploads']) {
      const response = await anonymous().inject({
        method: 'POST',
        url,
        headers: {
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': `filename ${Buffer.from('pwned.txt').toString('base64')},folder ${Buffer.from('/').toString('base64')}`,
          'content-type': 'application/offset+octet-stream',
        },
        payload: 'pwned',
      });
      expect(response.statusCode, url).toBe(401);
    }
    expect(lakeFiles()).toEqual(before);
  });

  it('keeps the CSRF check under another spelling', async () => {
    const { cookie } = editor.credentials;
    const withoutCsrf = await s.app.inject({
      method: 'POST',
      url: '/%61pi/folders',
      headers: { cookie: `dailies_session=${cookie}` },
      payload: { path: '/CsrfProbe' },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error).toBe('csrf');
    expect(await s.dailies.catalog.folders.getByPath('/CsrfProbe')).toBeFalsy();
  });

  it('keeps the forced password change under another spelling', async () => {
    for (const url of ['/api/folders?path=/', '/%61pi/folders?path=/']) {
      const response = await pending.get(url);
      expect(response.statusCode, url).toBe(403);
      expect(response.json().error, url).toBe('password_change_required');
    }
  });

  it('answers 404, running no handler, for what no route matches, signed in or not', async () => {
    for (const url of [
      '/api/nothing',
      '/API/folders',
      '/api/folders/',
      '//api/folders',
      '/api//folders',
      '/api/folders;x',
    ]) {
      for (const client of [anonymous(), admin.app]) {
        const response =
          client === admin.app ? await admin.get(url) : await anonymous().inject({ method: 'GET', url });
        expect(response.statusCode, url).toBe(404);
        expect(response.headers['content-type'], url).toMatch(/json/);
      }
    }
  });

  it('serves the web app, the health check and the OpenAPI document to anyone (marked public)', async () => {
    expect((await anonymous().inject({ url: '/folders/Anything' })).statusCode).toBe(200);
    expect((await anonymous().inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await anonymous().inject({ url: '/api/openapi.json' })).statusCode).toBe(200);
    const table = s.app.routeTable;
    const publicRoutes = table.filter((r) => r.public).map((r) => `${r.method} ${r.url}`);
    // Every public route is one of these: a new one must be added here on purpose.
    const allowed = new Set([
      'GET /healthz',
      'HEAD /healthz',
      'GET /metrics',
      'HEAD /metrics',
      // S3 event notifications: the credential is DAILIES_LAKE_EVENTS_TOKEN, checked in the route.
      'POST /api/lake/events',
      'GET /*',
      'HEAD /*',
      'GET /api/openapi.json',
      'HEAD /api/openapi.json',
      'GET /api/auth/config',
      'HEAD /api/auth/config',
      'GET /api/auth/oidc/start',
      'HEAD /api/auth/oidc/start',
      'GET /api/auth/oidc/callback',
      'HEAD /api/auth/oidc/callback',
      'POST /api/auth/login',
      // The second sign-in steps carry the one-time challenge the password step gave.
      'POST /api/auth/login/code',
      'POST /api/auth/login/enrol',
      'POST /api/auth/login/enrol/confirm',
      'POST /api/auth/signup',
      'GET /api/downloads/:token',
      'HEAD /api/downloads/:token',
    ]);
    expect(publicRoutes.filter((r) => !allowed.has(r))).toEqual([]);
  });
});

describe('finding 9: no secret in the request log', () => {
  it('redacts download tokens and the OIDC code and state, in any spelling', async () => {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    // Requests are logged at debug (one line each, when they complete).
    const logged = await buildApp(s.dailies, { logger: { level: 'debug', stream } });
    try {
      const asset = await s.dailies.imports.importStream(
        SYSTEM_ACTOR,
        '/',
        'logged.mov',
        Readable.from([Buffer.from('bytes')]),
      );
      const [link] = await s.dailies.downloads.links(SYSTEM_ACTOR, [asset.id]);
      const token = link.url.split('/').pop()!;
      expect((await logged.inject({ url: link.url })).statusCode).toBe(200);
      await logged.inject({ url: `/api/download%73/${token}` });
      await logged.inject({ url: '/api/auth/oidc/callback?code=SECRETCODE123&state=SECRETSTATE456' });
      await logged.inject({ url: '/api/auth/oidc/callback?CODE=SECRETCODE789&%73tate=SECRETSTATE000' });
      const text = lines.join('');
      expect(text).toContain('request completed');
      expect(text).toContain('/api/downloads/[redacted]');
      for (const secret of [token, 'SECRETCODE123', 'SECRETSTATE456', 'SECRETCODE789', 'SECRETSTATE000'])
        expect(text, secret).not.toContain(secret);
    } finally {
      await logged.close();
    }
  });
});

describe('finding 11: metrics, headers, token purposes', () => {
  it('shows /metrics to admins and to the scraper token only', async () => {
    expect((await anonymous().inject({ url: '/metrics' })).statusCode).toBe(401);
    expect((await anonymous().inject({ url: '/%6detrics' })).statusCode).toBe(401);
    expect((await editor.get('/metrics')).statusCode).toBe(403);
    const wrong = await anonymous().inject({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-me' },
    });
    expect(wrong.statusCode).toBe(401);
    const scraper = await anonymous().inject({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-me-please' },
    });
    expect(scraper.statusCode).toBe(200);
    expect(scraper.body).toContain('dailies_http_request_duration_seconds');
    expect((await admin.get('/metrics')).statusCode).toBe(200);
  });

  it('sends nosniff, no-referrer, no framing and a strict policy on every answer', async () => {
    const answers = [
      await anonymous().inject({ url: '/api/folders' }),
      await admin.get('/api/folders?path=/'),
      await anonymous().inject({ url: '/api/nothing' }),
      await anonymous().inject({ url: '/healthz' }),
      await anonymous().inject({ url: '/folders/x' }),
      await admin.request('OPTIONS', '/api/uploads', undefined, { 'tus-resumable': '1.0.0' }),
    ];
    for (const answer of answers) {
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
      expect(String(answer.headers['content-security-policy'])).toContain("frame-ancestors 'none'");
      expect(String(answer.headers['content-security-policy'])).not.toContain("unsafe-inline' 'self");
      expect(answer.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it("allows the page's inline early-request script by its hash, and no other inline script", async () => {
    const page = await anonymous().inject({ url: '/' });
    const policy = String(page.headers['content-security-policy']);
    const hash = createHash('sha256').update(INLINE_SCRIPT).digest('base64');
    const scriptSrc = policy.split(';').find((d) => d.trim().startsWith('script-src'))!;
    expect(scriptSrc).toContain(`'sha256-${hash}'`);
    expect(scriptSrc).not.toContain('unsafe-inline');
    expect(scriptSrc).not.toContain('unsafe-eval');
    expect(policy).toContain("object-src 'none'");
    // The hash follows the file: another script, another hash.
    expect(webContentSecurityPolicy('<script>other()</script>')).not.toContain(hash);
  });

  it('sends HSTS only to a client that came over TLS', async () => {
    const overTls = await anonymous().inject({
      url: '/healthz',
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '127.0.0.1',
    });
    expect(overTls.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    const plain = await anonymous().inject({ url: '/healthz', remoteAddress: '127.0.0.1' });
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });

  it('never lets a token of one purpose pass as another', async () => {
    const asset = await s.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/',
      'purpose.mov',
      Readable.from([Buffer.from('bytes')]),
    );
    const payload = { a: asset.id, u: editorId, e: Math.floor(s.clock.now() / 1000) + 600 };
    const secret = s.dailies.config.secret;
    // The same fields, signed as an OIDC transaction (a cookie a browser holds), open nothing.
    const asOidc = signToken('oidc-transaction', payload, secret);
    expect((await anonymous().inject({ url: `/api/downloads/${asOidc}` })).statusCode).toBe(404);
    expect(verifyToken('download', asOidc, secret)).toBeNull();
    expect(verifyToken('oidc-transaction', signToken('download', payload, secret), secret)).toBeNull();
    // A token signed the old way (the bare secret, no purpose) is refused.
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    const { createHmac } = await import('node:crypto');
    const legacy = `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
    expect((await anonymous().inject({ url: `/api/downloads/${legacy}` })).statusCode).toBe(404);
    // The purpose inside the body cannot be swapped either: the MAC covers it.
    const [signedBody, mac] = signToken('download', payload, secret).split('.');
    const swapped = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(signedBody, 'base64url').toString()),
        purpose: 'oidc-transaction',
      }),
    ).toString('base64url');
    expect(verifyToken('oidc-transaction', `${swapped}.${mac}`, secret)).toBeNull();
    // And the right purpose works (the editor can see the root).
    const good = signToken('download', payload, secret);
    expect((await anonymous().inject({ url: `/api/downloads/${good}` })).statusCode).toBe(200);
  });

  it('refuses link-local and metadata addresses as the S3 endpoint, naming the field', async () => {
    const endpoints = [
      'http://169.254.169.254',
      'http://169.254.169.254:80/latest/meta-data',
      'http://2852039166/',
      'http://0xA9FEA9FE/',
      'http://169.254.43518/',
      'http://[fe80::1]:9000',
      'http://[FE80::abcd%25eth0]/',
      'http://[::ffff:169.254.169.254]/',
      'http://0.0.0.0:9000',
      'http://metadata.google.internal/',
    ];
    for (const endpoint of endpoints) {
      const response = await admin.request('PUT', '/api/settings', {
        lake: { kind: 's3', bucket: 'some-bucket', endpoint },
      });
      expect(response.statusCode, `${endpoint}: ${response.body}`).toBe(400);
      expect(response.json().details, endpoint).toMatchObject({ field: 'lake.endpoint' });
    }
    expect((await admin.get('/api/settings')).json().lake.kind).toBe('fs');
  });
});

describe("finding 11: the settings probe does not echo another service's reply", () => {
  it('says the endpoint is not S3 rather than repeating what it answered', async () => {
    // A service on this machine that is not S3: it lets HEAD through and answers the test write
    // with an S3-shaped error whose message is something only the server could reach.
    const service = createServer((request, response) => {
      if (request.method === 'HEAD') return response.writeHead(200).end();
      request.resume();
      response
        .writeHead(400, { 'content-type': 'application/xml' })
        .end(
          '<?xml version="1.0"?><Error><Code>InternalSecret</Code><Message>aws_secret_access_key=TOPSECRET-CREDENTIAL</Message></Error>',
        );
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = service.address() as AddressInfo;
      const response = await admin.request('PUT', '/api/settings', {
        lake: {
          kind: 's3',
          bucket: 'probe-bucket',
          endpoint: `http://127.0.0.1:${port}`,
          forcePathStyle: true,
          accessKeyId: 'probe',
          secretAccessKey: 'probe-secret',
        },
      });
      expect(response.statusCode, response.body).toBe(422);
      expect(response.json().details).toMatchObject({ field: 'lake' });
      expect(response.body).not.toContain('TOPSECRET-CREDENTIAL');
      expect(response.json().message).toMatch(/did not answer as an S3 service does/);
    } finally {
      service.close();
    }
  });
});

describe('finding 10: uploads are same-origin; event streams per user are capped', () => {
  it('answers no Access-Control-Allow-Origin on the tus endpoint', async () => {
    for (const method of ['OPTIONS', 'POST'] as const) {
      const response = await admin.request(method, '/api/uploads', undefined, {
        'tus-resumable': '1.0.0',
        origin: 'https://evil.example',
        'upload-length': '3',
        'upload-metadata': `filename ${Buffer.from(`cors-${method}.txt`).toString('base64')}`,
      });
      expect(response.statusCode, method).toBeLessThan(300);
      expect(response.headers['access-control-allow-origin'], method).toBeUndefined();
    }
  });
});

describe('finding 12: hostile inputs are a clear 400, never a 500 or a server path', () => {
  it('refuses cursors holding objects or arrays', async () => {
    await refusesHostileCursors(admin);
  });

  it('refuses them on PostgreSQL too', async () => {
    const pg = await startServer('postgres');
    try {
      await refusesHostileCursors(await signIn(pg.app, 'admin', ADMIN_PASSWORD));
    } finally {
      await pg.close();
    }
  });

  it("names, never shows, a server directory quoted in a stored reason (an asset's failure)", async () => {
    const asset = await s.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/',
      'quoted.mov',
      Readable.from([Buffer.from('bytes')]),
    );
    const lake = s.dailies.config.lake;
    await s.dailies.catalog.assets.update(asset.id, {
      state: 'failed',
      stateReason: `Probe: ${lake}/quoted.mov: Invalid data found when processing input`,
    });
    for (const url of [`/api/assets/${asset.id}`, '/api/assets?folder=/', '/api/search?q=quoted']) {
      const response = await admin.get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).not.toContain(lake);
      expect(response.body, url).toContain('<lake>/quoted.mov: Invalid data');
    }
    // The admins' settings page is the one answer that names where the lake is.
    expect((await admin.get('/api/settings')).json().lake.path).toBe(lake);
  });

  it('keeps the types of a JSON body: {"path": 123} is a 400, not a folder "/123"', async () => {
    for (const body of [
      { path: 123 },
      { path: true },
      { path: ['/x'] },
      { path: { a: 1 } },
      { path: null },
    ]) {
      const response = await admin.post('/api/folders', body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toBe('invalid');
    }
    expect(await s.dailies.catalog.folders.getByPath('/123')).toBeFalsy();
    expect(await s.dailies.catalog.folders.getByPath('/true')).toBeFalsy();
    expect(existsSync(join(s.dailies.config.lake, '123'))).toBe(false);
    // Query strings are text, and still read as the numbers their schema asks for.
    expect((await admin.get('/api/assets?folder=/&limit=5')).statusCode).toBe(200);
  });

  it('answers 400 "path too long" for a folder path past the system limit, without the lake path', async () => {
    // Each name is allowed; together they pass the system's 4,096-byte path limit.
    const deep = `/${Array.from({ length: 20 }, (_, i) => `${i}${'d'.repeat(240)}`).join('/')}`;
    const upload = await admin.request('POST', '/api/uploads', undefined, {
      'tus-resumable': '1.0.0',
      'upload-length': '3',
      'upload-metadata': `filename ${Buffer.from('deep.mov').toString('base64')},folder ${Buffer.from(deep).toString('base64')}`,
    });
    expect(upload.statusCode, upload.body).toBe(400);
    expect(upload.json().error).toBe('path_too_long');
    const made = await admin.post('/api/folders', { path: `/Shallow${'s'.repeat(200)}` });
    expect(made.statusCode).toBe(201);
    const renamed = await admin.request('PATCH', '/api/folders', {
      path: `/Shallow${'s'.repeat(200)}`,
      newPath: deep,
    });
    expect(renamed.statusCode, renamed.body).toBeLessThan(500);
    for (const body of [upload.body, renamed.body]) {
      expect(body).not.toContain(s.dailies.config.dataDir);
      expect(body).not.toContain(s.dailies.config.lake);
    }
  });
});

const cursorOf = (value: unknown) =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** Every paged list, with cursors no page ever ends on: each a 400 naming the cursor. */
async function refusesHostileCursors(client: Client): Promise<void> {
  const hostile = [
    [{ x: 1 }, 'id'],
    [[1, 2], 'id'],
    [1, { id: 1 }],
    // Written by hand: JSON.parse makes this Infinity.
    '[1e400,"id"]',
    { value: 1, id: 'x' },
    '"just text"',
    'not json',
    [null, 'x'.repeat(1000)],
  ];
  for (const cursor of hostile) {
    for (const url of [
      `/api/assets?folder=/&cursor=${cursorOf(cursor)}`,
      `/api/search?q=a&cursor=${cursorOf(cursor)}`,
      `/api/audit?cursor=${cursorOf(cursor)}`,
    ]) {
      const response = await client.get(url);
      expect(response.statusCode, `${url} ${JSON.stringify(cursor)}: ${response.body}`).toBe(400);
      expect(response.json()).toMatchObject({ error: 'invalid', message: expect.any(String) });
    }
  }
}
