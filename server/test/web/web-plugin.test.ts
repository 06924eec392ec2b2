/**
 * The server serves the built web app: files, the SPA fallback for the app's own routes, and
 * JSON 404s that stay JSON under /api. Real: SQLite catalog, fs lake, a web dir on disk.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createDailies, type Dailies } from '../../src/wiring.js';

let dir: string;
let dailies: Dailies;
let app: FastifyInstance;
/** The admin's session: everything under /api needs a signed-in caller. */
let admin: Record<string, string>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dailies-web-'));
  const webDir = join(dir, 'web');
  mkdirSync(join(webDir, 'assets'), { recursive: true });
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Dailies</title><div id="root"></div>');
  writeFileSync(join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  // As the web build writes them beside each file (web/compress-plugin.ts).
  writeFileSync(join(webDir, 'assets', 'index-abc123.js.br'), brotliCompressSync('console.log(1)'));
  writeFileSync(join(webDir, 'favicon.svg'), '<svg/>');
  writeFileSync(join(dir, 'secret.txt'), 'not for the web');
  dailies = await createDailies(
    loadConfig(
      {},
      {
        dataDir: join(dir, 'data'),
        webDir,
        watchLake: false,
        inProcessWorkers: false,
        adminPassword: 'web-admin-password',
      },
    ),
  );
  app = await buildApp(dailies);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: 'web-admin-password' },
  });
  admin = {
    cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
    'x-dailies-csrf': login.json().user.csrfToken,
  };
});

afterEach(async () => {
  await app.close();
  await dailies.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('web app serving', () => {
  it('serves index.html at / and for the app routes, never cached', async () => {
    for (const url of ['/', '/browse/Day%2001/Cam%20A?sort=size', '/trash']) {
      const reply = await app.inject({ method: 'GET', url });
      expect(reply.statusCode, url).toBe(200);
      expect(reply.headers['content-type']).toContain('text/html');
      expect(reply.headers['cache-control']).toBe('no-cache');
      expect(reply.body).toContain('<div id="root">');
    }
  });

  it('serves hashed assets as immutable and other files uncached', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.body).toBe('console.log(1)');
    expect(js.headers['cache-control']).toContain('immutable');
    const icon = await app.inject({ method: 'GET', url: '/favicon.svg' });
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).not.toContain('immutable');
  });

  it('sends the brotli copy the build wrote to a browser that accepts it, the file itself otherwise', async () => {
    const br = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toContain('javascript');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe('console.log(1)');

    const plain = await app.inject({
      method: 'GET',
      url: '/assets/index-abc123.js',
      headers: { 'accept-encoding': 'identity' },
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe('console.log(1)');
  });

  it('keeps unknown API routes a JSON 404', async () => {
    // No route, no handler: a 404 whoever asks.
    const anonymous = await app.inject({ method: 'GET', url: '/api/nothing-here' });
    expect(anonymous.statusCode).toBe(404);
    expect(anonymous.json()).toMatchObject({ error: 'not_found' });
    // Nor the app's page for another spelling of an API path.
    for (const url of [
      '/API/folders',
      '//api/folders',
      '/api/folders/',
      '/api/folders;x=1',
      '/%2561pi/folders',
      'http://localhost/API/folders',
    ]) {
      const spelled = await app.inject({ method: 'GET', url });
      expect(spelled.statusCode, url).toBe(404);
      expect(spelled.body, url).not.toContain('<');
    }
    const reply = await app.inject({ method: 'GET', url: '/api/nothing-here', headers: admin });
    expect(reply.statusCode).toBe(404);
    expect(reply.json()).toMatchObject({ error: 'not_found' });
  });

  it('never serves a file outside the web dir', async () => {
    const reply = await app.inject({ method: 'GET', url: '/..%2Fsecret.txt' });
    expect(reply.body).not.toContain('not for the web');
  });

  it('routes signed download links longer than 100 characters', async () => {
    await dailies.lake.write('clip.mov', Buffer.from('bytes of a clip'));
    await dailies.indexing.reconcile();
    const page = (await app.inject({ method: 'GET', url: '/api/assets?folder=/', headers: admin })).json();
    const links = await app.inject({
      method: 'POST',
      url: '/api/assets/download',
      headers: admin,
      payload: { ids: [page.items[0].id] },
    });
    const url: string = links.json().items[0].url;
    expect(url.length).toBeGreaterThan(100);
    const file = await app.inject({ method: 'GET', url });
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('bytes of a clip');
  });
});
