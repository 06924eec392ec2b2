/**
 * Real: the whole topology of docs/deploy.md on loopback (scripts/topology.sh): two `serve`
 * without in-process workers and two `worker` processes, each with its own data dir, one
 * PostgreSQL database, the Swift S3 lake, and Debian's nginx round-robin in front. Every request
 * here goes through the proxy, as a browser's would, unless it asks one server by name.
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { xxh64 } from '@node-rs/xxhash';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropTestDatabase } from '../support/drop-database.js';
import { testDatabaseUrl } from '../support/services.js';
import { openSse } from '../support/sse-client.js';
import { encodeMetadata } from '../uploads/support.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '../../../scripts/topology.sh');

describe('the topology behind nginx', () => {
  let dir: string;
  let databaseUrl: string;
  let env: Record<string, string>;
  let session: { cookie: string; csrf: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dailies-topology-'));
    // Away from other runs' ports: the proxy and the two servers take three in a row.
    const port = String(20_000 + Math.floor(Math.random() * 20_000));
    databaseUrl = await testDatabaseUrl();
    await run('bash', [SCRIPT, 'start', dir], {
      env: { ...process.env, DAILIES_TOPOLOGY_PORT: port, DATABASE_URL: databaseUrl, DAILIES_LAKE: '' },
      timeout: 180_000,
    });
    env = Object.fromEntries(
      (await readFile(join(dir, 'env'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
  }, 200_000);

  afterAll(async () => {
    await run('bash', [SCRIPT, 'stop', dir]).catch(() => {});
    await dropTestDatabase(databaseUrl);
    await rm(dir, { recursive: true, force: true });
  });

  const proxy = (path: string, init: RequestInit = {}) => fetch(`${env.PROXY_URL}${path}`, init);
  const withSession = (headers: Record<string, string> = {}) => ({
    cookie: session.cookie,
    'x-dailies-csrf': session.csrf,
    ...headers,
  });

  it('all four processes, started at once on an empty database, are up', async () => {
    const pids = (await readFile(join(dir, 'pids'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => line.split(' ') as [string, string]);
    expect(pids.map(([name]) => name)).toEqual(['serve-1', 'serve-2', 'worker-1', 'worker-2', 'nginx']);
    // Signal 0 only asks whether the process is there.
    for (const [name, pid] of pids) expect(() => process.kill(Number(pid), 0), name).not.toThrow();
  });

  it('signs in through the proxy, and the session is valid on both servers', async () => {
    const login = await proxy('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: env.ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    expect(cookie).toMatch(/^dailies_session=/);
    session = { cookie, csrf: (await login.json()).user.csrfToken };
    for (const server of (env.SERVE_URLS as string).split(',')) {
      const me = await fetch(`${server}/api/me`, { headers: { cookie } });
      expect(me.status, server).toBe(200);
      expect((await me.json()).username).toBe('admin');
    }
  });

  it('takes a 50 MB tus upload in 5 MB chunks spread over both servers, with the right checksums', async () => {
    const size = 50 * 1024 * 1024;
    const chunk = 5 * 1024 * 1024;
    const bytes = randomBytes(size);
    const metadata = encodeMetadata({ filename: 'A001C001 proxy test.mov', folder: '/Topology' });
    const created = await proxy('/api/uploads', {
      method: 'POST',
      headers: withSession({
        'tus-resumable': '1.0.0',
        'upload-length': String(size),
        'upload-metadata': metadata,
      }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const location = new URL(created.headers.get('location') as string, env.PROXY_URL).pathname;
    const upstreams = new Set<string>();
    let assetId: string | null = null;
    for (let offset = 0; offset < size; offset += chunk) {
      const patch = await proxy(location, {
        method: 'PATCH',
        headers: withSession({
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        }),
        body: bytes.subarray(offset, offset + chunk),
      });
      expect(patch.status, `${offset}: ${await patch.clone().text()}`).toBe(204);
      expect(patch.headers.get('upload-offset')).toBe(String(Math.min(offset + chunk, size)));
      upstreams.add(patch.headers.get('x-dailies-upstream') ?? '');
      assetId = patch.headers.get('dailies-asset-id') ?? assetId;
    }
    // Round robin: the chunks were written by both servers.
    expect(upstreams.size).toBe(2);
    expect(assetId).not.toBeNull();
    const asset = await (await proxy(`/api/assets/${assetId}`, { headers: withSession() })).json();
    expect(asset).toMatchObject({ name: 'A001C001 proxy test.mov', size });
    expect(asset.checksums).toEqual({
      xxh64: xxh64(bytes).toString(16).padStart(16, '0'),
      md5: createHash('md5').update(bytes).digest('hex'),
    });
    // And the bytes in the lake are those bytes, read back through the proxy by either server.
    const download = await proxy('/api/assets/download', {
      method: 'POST',
      headers: withSession({ 'content-type': 'application/json' }),
      body: JSON.stringify({ ids: [assetId] }),
    });
    const url: string = (await download.json()).items[0].url;
    const body = Buffer.from(await (await fetch(new URL(url, env.PROXY_URL))).arrayBuffer());
    expect(createHash('md5').update(body).digest('hex')).toBe(asset.checksums.md5);
  }, 180_000);

  it('an event raised by a worker reaches the event streams of both servers', async () => {
    const streams = await Promise.all(
      (env.SERVE_URLS as string)
        .split(',')
        .map((server) => openSse(`${server}/api/events`, { cookie: session.cookie })),
    );
    try {
      const bytes = Buffer.from('not really a movie');
      const metadata = encodeMetadata({ filename: 'W001.mov', folder: '/Topology' });
      const created = await proxy('/api/uploads', {
        method: 'POST',
        headers: withSession({
          'tus-resumable': '1.0.0',
          'upload-length': String(bytes.length),
          'upload-metadata': metadata,
          'content-type': 'application/offset+octet-stream',
        }),
        body: bytes,
      });
      expect(created.status).toBe(201);
      const assetId = created.headers.get('dailies-asset-id');
      expect(assetId).not.toBeNull();
      // Only the workers probe (the servers run none): the probe's outcome comes from a worker.
      for (const stream of streams)
        await stream.next((m) => m.type === 'asset.changed' && m.assetId === assetId, 60_000);
    } finally {
      for (const stream of streams) stream.close();
    }
  }, 90_000);
});
