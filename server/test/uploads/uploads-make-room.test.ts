import { describe, expect, it } from 'vitest';
import {
  checksumsOf,
  cleanedUpAfterEach,
  createUpload,
  headUpload,
  patchUpload,
  startServer,
  waitFor,
} from './support.js';

// Real: Fastify listening on loopback, SQLite, an fs lake in a temp dir. While upload bytes
// arrive, big asset pages rest between turns (RowTurns, unit-tested); these tests check that the
// server counts exactly the PATCHes still receiving, whatever way they end, so no page rests for
// an upload that is gone.
const { running } = cleanedUpAfterEach();

const KiB = 1024;

async function receiving(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith('dailies_upload_patches_receiving '));
  return Number(line?.split(' ')[1]);
}

/** A PATCH whose body sends `first` bytes, then waits for `release()` (or aborts with `abort()`). */
function heldPatch(base: string, path: string, offset: number, first: Buffer, rest: Buffer) {
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const controller = new AbortController();
  const body = new ReadableStream<Uint8Array>({
    async start(stream) {
      stream.enqueue(first);
      await released;
      stream.enqueue(rest);
      stream.close();
    },
  });
  const answer = fetch(`${base}${path}`, {
    method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
    body,
    signal: controller.signal,
    duplex: 'half',
  } as RequestInit);
  return { answer, release, abort: () => controller.abort() };
}

describe('PATCHes receiving bytes, as the big pages see them', () => {
  it('counts a PATCH while its bytes arrive, and not before or after it is answered', async () => {
    const s = await startServer();
    running.push(s);
    expect(await receiving(s.url)).toBe(0);
    const created = await createUpload(s.url, { filename: 'held.mov', folder: '/' }, 128 * KiB);
    expect(created.status).toBe(201);
    const path = new URL(created.headers.get('location')!, s.url).pathname;
    const held = heldPatch(s.url, path, 0, Buffer.alloc(64 * KiB, 1), Buffer.alloc(64 * KiB, 2));
    await waitFor(async () => ((await receiving(s.url)) === 1 ? true : null));
    held.release();
    const answer = await held.answer;
    expect(answer.status).toBe(204);
    expect(answer.headers.get('dailies-asset-id')).toBeTruthy();
    expect(await receiving(s.url)).toBe(0);
  });

  it('stops counting a PATCH the client abandons half-way, and one refused at once', async () => {
    const s = await startServer();
    running.push(s);
    const created = await createUpload(s.url, { filename: 'dropped.mov', folder: '/' }, 128 * KiB);
    const path = new URL(created.headers.get('location')!, s.url).pathname;
    const held = heldPatch(s.url, path, 0, Buffer.alloc(64 * KiB, 1), Buffer.alloc(64 * KiB, 2));
    await waitFor(async () => ((await receiving(s.url)) === 1 ? true : null));
    held.abort();
    await expect(held.answer).rejects.toThrow();
    await waitFor(async () => ((await receiving(s.url)) === 0 ? true : null));
    // Nothing is lost: the client resumes from where the server says it stands.
    const at = await headUpload(s.url, path);
    expect(at.status).toBe(200);
    expect(at.offset).toBeLessThanOrEqual(64 * KiB);
    const bytes = Buffer.concat([Buffer.alloc(64 * KiB, 1), Buffer.alloc(64 * KiB, 2)]);
    const resumed = await patchUpload(s.url, path, at.offset, bytes.subarray(at.offset));
    expect(resumed.status).toBe(204);
    const asset = await (await fetch(`${s.url}/api/assets/${resumed.assetId}`)).json();
    expect(asset.checksums).toEqual(checksumsOf(bytes));

    // At a wrong offset, and for an upload that does not exist: refused, and not counted after.
    const wrong = await fetch(`${s.url}${path}`, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(100 * KiB),
        'Content-Type': 'application/offset+octet-stream',
      },
      body: Buffer.alloc(KiB) as unknown as BodyInit,
    });
    expect(wrong.status).toBe(409);
    const missing = await fetch(`${s.url}/api/uploads/${'0'.repeat(32)}`, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
      },
      body: Buffer.alloc(KiB) as unknown as BodyInit,
    });
    expect(missing.status).toBe(404);
    expect(await receiving(s.url)).toBe(0);
  });
});
