import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FS_UPLOADS_DIR } from '../../src/adapters/uploads/fs-upload-store.js';
import { adminToken, call, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { actAs, adminHeaders, checksumsOf, createUpload, filesUnder, tusUpload, waitFor } from './support.js';

// Real: `dailies serve` as its own process (SQLite, fs lake), killed with SIGKILL mid-upload.
describe('a server killed during an upload', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  afterAll(async () => {
    await server?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('resumes after restart to the exact bytes; catalog and lake agree, no row without object or object without row', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-kill-upload-'));
    const lake = join(dataDir, 'lake');
    const staging = join(lake, FS_UPLOADS_DIR);
    const env = { DAILIES_DATA_DIR: dataDir, DAILIES_SECRET: 'kill-test', DAILIES_WATCH_LAKE: 'false' };
    const MiB = 1024 * 1024;
    const data = randomBytes(24 * MiB + 11);

    server = await startServerProcess(env);
    actAs(server.url, await adminToken(server.url));
    await tusUpload(server.url, Buffer.from('already here'), {
      metadata: { filename: 'kept.txt', folder: '/Day 01' },
    });
    const created = await createUpload(
      server.url,
      { filename: 'A001C001.mov', folder: '/Day 01' },
      data.length,
    );
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;

    // Feed the body slowly so the kill lands half-way, with bytes on disk and the request open.
    const patch = request(`${server.url}${path}`, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(data.length),
        ...adminHeaders(`${server.url}${path}`),
      },
    });
    let broken = false;
    patch.on('error', () => {
      broken = true;
    });
    patch.on('close', () => {
      broken = true;
    });
    const id = path.split('/').pop()!;
    let sent = 0;
    const feeding = (async () => {
      while (sent < data.length / 2 && !broken) {
        if (!patch.write(data.subarray(sent, sent + MiB)))
          await new Promise<void>((resolve) => {
            const go = () => {
              patch.off('drain', go);
              patch.off('close', go);
              resolve();
            };
            patch.on('drain', go);
            patch.on('close', go);
          });
        sent += MiB;
        // Deliberate pacing, so the kill lands while bytes are still arriving.
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    await waitFor(async () => ((await stat(join(staging, id)).catch(() => null))?.size ?? 0) >= 6 * MiB);
    await server.kill('SIGKILL');
    await feeding;
    patch.destroy();
    const stagedAtKill = (await stat(join(staging, id))).size;
    expect(stagedAtKill).toBeGreaterThan(0);
    expect(stagedAtKill).toBeLessThan(data.length);

    server = await startServerProcess(env);
    actAs(server.url, await adminToken(server.url));
    // Nothing half-written became an asset.
    const before = await call(server.url, 'GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`);
    expect(before.items.map((a: { name: string }) => a.name)).toEqual(['kept.txt']);

    // tus-js-client asks the new server where to resume (HEAD) and sends the rest.
    const done = await tusUpload(server.url, data, {
      metadata: { filename: 'A001C001.mov', folder: '/Day 01' },
      uploadUrl: `${server.url}${path}`,
    });
    expect(done.assetId).toBeTruthy();
    const bytes = await readFile(join(lake, 'Day 01/A001C001.mov'));
    expect(checksumsOf(bytes)).toEqual(checksumsOf(data));
    const asset = await call(server.url, 'GET', `/api/assets/${done.assetId}`);
    expect(asset).toMatchObject({ size: data.length, checksums: checksumsOf(data) });

    // After reconcile the catalog equals the lake: no row without object, no object without row.
    const report = await call(server.url, 'POST', '/api/reconcile');
    expect(report).toMatchObject({ added: 0, removed: 0, changed: 0 });
    const inLake = (await filesUnder(lake)).filter((f) => !f.startsWith('.dailies-'));
    const inCatalog = (
      await call(server.url, 'GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`)
    ).items
      .map((a: { name: string }) => `Day 01/${a.name}`)
      .sort();
    expect(inLake).toEqual(['Day 01/A001C001.mov', 'Day 01/kept.txt']);
    expect(inCatalog).toEqual(inLake);
    expect((await readdir(staging)).filter((f) => !f.endsWith('.json'))).toEqual([]);
    // Two server starts through tsx: slow on a busy machine.
  }, 180_000);
});
