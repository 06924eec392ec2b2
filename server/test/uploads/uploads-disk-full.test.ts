import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FS_UPLOADS_DIR } from '../../src/adapters/uploads/fs-upload-store.js';
import { createUpload, filesUnder, type RunningServer, startServer, tusUpload } from './support.js';

// Real: a 2 MiB tmpfs mounted as the lake (needs root, as CI runs), so the kernel answers ENOSPC.
let lake: string;
let s: RunningServer;

beforeAll(async () => {
  lake = await mkdtemp(join(tmpdir(), 'dailies-tiny-lake-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', lake], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(`This test mounts a 2 MiB tmpfs as a full disk and must run as root: ${error}`);
  }
  s = await startServer({ lake });
});

afterAll(async () => {
  await s?.stop();
  execFileSync('umount', [lake], { stdio: 'pipe' });
  await rm(lake, { recursive: true, force: true });
});

const patch = (url: string, offset: number, body: Buffer) =>
  fetch(url, {
    method: 'PATCH',
    body: new Uint8Array(body),
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
  });

describe('uploads into a lake that is full', () => {
  it('refuses an upload larger than the free space with 507 before any byte', async () => {
    const response = await createUpload(s.url, { filename: 'huge.mov', folder: '/Full' }, 3 * 1024 * 1024);
    expect(response.status).toBe(507);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('insufficient_storage');
    expect(body.message).toMatch(/The lake is full/);
    expect(await filesUnder(lake)).toEqual([]);
  });

  it('checks the free space of an upload whose length was deferred, once it is declared (507)', async () => {
    const created = await fetch(`${s.url}/api/uploads`, {
      method: 'POST',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Defer-Length': '1',
        'Upload-Metadata': `filename ${Buffer.from('deferred.mov').toString('base64')},folder ${Buffer.from('/Full').toString('base64')}`,
      },
    });
    expect(created.status).toBe(201);
    const url = new URL(created.headers.get('location')!, s.url).href;
    const declared = await fetch(url, {
      method: 'PATCH',
      body: new Uint8Array(1024),
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Upload-Length': String(3 * 1024 * 1024),
        'Content-Type': 'application/offset+octet-stream',
      },
    });
    expect(declared.status).toBe(507);
    expect(((await declared.json()) as { message: string }).message).toMatch(/The lake is full/);
    // Refused before any byte: the upload is still at offset 0.
    const head = await fetch(url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(head.headers.get('upload-offset')).toBe('0');
    await fetch(url, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } });
  });

  it('answers 507 when the disk fills mid-upload: no partial asset, the server stays up', async () => {
    const first = randomBytes(1536 * 1024);
    const second = randomBytes(1536 * 1024);
    // Both fit alone, so both are accepted; together they cannot.
    const created = await createUpload(s.url, { filename: 'second.mov', folder: '/Full' }, second.length);
    expect(created.status).toBe(201);
    const secondUrl = new URL(created.headers.get('location')!, s.url).href;
    const done = await tusUpload(s.url, first, { metadata: { filename: 'first.mov', folder: '/Full' } });
    expect(done.assetId).toBeTruthy();

    const failed = await patch(secondUrl, 0, second);
    expect(failed.status).toBe(507);
    const body = (await failed.json()) as { error: string; message: string };
    expect(body).toMatchObject({ error: 'insufficient_storage' });
    expect(body.message).toMatch(/The lake is full/);

    expect((await fetch(`${s.url}/healthz`)).status).toBe(200);
    const assets = (await (await fetch(`${s.url}/api/assets?folder=/Full`)).json()) as {
      items: Array<{ name: string }>;
    };
    expect(assets.items.map((a) => a.name)).toEqual(['first.mov']);
    expect((await readFile(join(lake, 'Full/first.mov'))).equals(first)).toBe(true);
    // Only the first file is in the lake proper; the second's partial bytes are staged, not published.
    const files = await filesUnder(lake);
    expect(files.filter((f) => !f.startsWith(FS_UPLOADS_DIR))).toEqual(['Full/first.mov']);

    // Cancelling the failed upload gives the space back.
    const cancelled = await fetch(secondUrl, { method: 'DELETE', headers: { 'Tus-Resumable': '1.0.0' } });
    expect(cancelled.status).toBe(204);
    expect((await filesUnder(join(lake, FS_UPLOADS_DIR))).filter((f) => !f.endsWith('.json'))).toEqual([]);
    const small = await tusUpload(s.url, Buffer.from('fits'), {
      metadata: { filename: 'small.txt', folder: '/Full' },
    });
    expect(small.assetId).toBeTruthy();
  });
});
