/**
 * Real: Dailies with its lake in a fresh bucket of OpenStack Swift s3api (scripts/test-services.sh),
 * raw tus over HTTP. On S3 the publish of an upload is a server-side copy of the whole object;
 * from `uploadBackgroundPublishBytes` on it runs after the last PATCH is answered, so that PATCH
 * is as short as the others. Here the threshold is lowered to 1 MiB so the uploads stay small.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { S3_UPLOADS_PREFIX } from '../../src/adapters/uploads/s3-upload-store.js';
import type { Config } from '../../src/config.js';
import type { UploadStore } from '../../src/ports/upload-store.js';
import { diedOfKill } from '../faults/crash-support.js';
import { adminToken, startServerProcess } from '../support/server-process.js';
import { testLakeConfig } from '../support/services.js';
import {
  actAs,
  checksumsOf,
  cleanedUpAfterEach,
  createUpload,
  headUpload,
  patchUpload,
  type RunningServer,
  startServer,
} from './support.js';

const MiB = 1024 * 1024;
const { running, processes, dirs } = cleanedUpAfterEach();

async function s3Server(overrides: Partial<Config> = {}): Promise<RunningServer> {
  const s = await startServer({
    ...(await testLakeConfig('s3')),
    uploadBackgroundPublishBytes: MiB,
    ...overrides,
  });
  running.push(s);
  return s;
}

const patch = patchUpload;
const head = headUpload;

async function assetsIn(base: string, folder: string) {
  const response = await fetch(`${base}/api/assets?folder=${encodeURIComponent(folder)}`);
  if (response.status === 404) return [];
  expect(response.status).toBe(200);
  return ((await response.json()) as { items: Array<{ id: string; name: string; checksums: unknown }> })
    .items;
}

/** Holds the store's publish (the server-side copy and what follows) until released. */
function holdPublish(store: UploadStore) {
  const original = store.publish.bind(store);
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const calls = { started: 0 };
  store.publish = async (id, key) => {
    calls.started++;
    await gate;
    return original(id, key);
  };
  return { calls, release };
}

async function uploadOf(base: string, bytes: Buffer, filename: string, folder = '/Day 01') {
  const created = await createUpload(base, { filename, folder }, bytes.length);
  expect(created.status).toBe(201);
  return created.headers.get('location')!;
}

describe('a large upload to an S3 lake is published after its last PATCH is answered', () => {
  it('the last PATCH says "publishing" while the copy runs; a HEAD meanwhile answers complete at once; the asset comes with its checksums', async () => {
    const s = await s3Server();
    const held = holdPublish(s.dailies.uploads.store);
    const bytes = Buffer.alloc(2 * MiB + 17, 7);
    const path = await uploadOf(s.url, bytes, 'A001C001.mov');
    expect((await patch(s.url, path, 0, bytes.subarray(0, MiB))).status).toBe(204);
    const last = await patch(s.url, path, MiB, bytes.subarray(MiB));
    expect(last).toMatchObject({ status: 204, offset: bytes.length, assetId: null, state: 'publishing' });
    try {
      // The publish comes to the copy and is held there: the answer did not wait for it.
      await expect.poll(() => held.calls.started).toBe(1);
      expect(await head(s.url, path)).toEqual({ status: 200, offset: bytes.length });
      expect(await assetsIn(s.url, '/Day 01')).toEqual([]);
      // A retried last PATCH (its answer lost) is acknowledged again and starts no second publish.
      expect(await patch(s.url, path, bytes.length, Buffer.alloc(0))).toMatchObject({
        status: 204,
        state: 'publishing',
      });
    } finally {
      held.release();
    }
    await expect
      .poll(async () => (await assetsIn(s.url, '/Day 01')).map((a) => a.name))
      .toEqual(['A001C001.mov']);
    const [asset] = await assetsIn(s.url, '/Day 01');
    expect((await (await fetch(`${s.url}/api/assets/${asset.id}`)).json()).checksums).toEqual(
      checksumsOf(bytes),
    );
    expect(held.calls.started).toBe(1);
    // Staging keeps only the published marker; the HEAD still says complete.
    const left: string[] = [];
    for await (const object of s.dailies.lake.listAll(S3_UPLOADS_PREFIX)) left.push(object.key);
    expect(left.filter((k) => !k.endsWith('.info'))).toEqual([]);
    expect(await head(s.url, path)).toEqual({ status: 200, offset: bytes.length });
    // The last PATCH retried once it is published: acknowledged, not refused as a name taken.
    const retried = await patch(s.url, path, bytes.length, Buffer.alloc(0));
    expect(retried, retried.body).toMatchObject({ status: 204 });
    expect((await assetsIn(s.url, '/Day 01')).map((a) => a.id)).toEqual([asset.id]);
  }, 60_000);

  it('an upload below the threshold is published before the answer, which names the asset; sent again, it is acknowledged', async () => {
    const s = await s3Server();
    const bytes = Buffer.alloc(MiB - 1, 3);
    const path = await uploadOf(s.url, bytes, 'small.wav');
    const done = await patch(s.url, path, 0, bytes);
    expect(done).toMatchObject({ status: 204, state: null });
    expect(done.assetId).toBeTruthy();
    // Sent again with nothing left (its answer lost): acknowledged, the one asset kept.
    const retried = await patch(s.url, path, bytes.length, Buffer.alloc(0));
    expect(retried, retried.body).toMatchObject({ status: 204, offset: bytes.length });
    expect((await assetsIn(s.url, '/Day 01')).map((a) => a.id)).toEqual([done.assetId]);
  }, 60_000);

  it('a name taken while the bytes came is refused by the last PATCH (409), as for any upload, and the bytes are dropped', async () => {
    const s = await s3Server();
    const bytes = Buffer.alloc(2 * MiB, 1);
    const path = await uploadOf(s.url, bytes, 'B001.mov');
    expect((await patch(s.url, path, 0, bytes.subarray(0, MiB))).status).toBe(204);
    // Another upload of the name completes first (small: published before its answer).
    const other = await uploadOf(s.url, Buffer.from('other'), 'B001.mov');
    expect((await patch(s.url, other, 0, Buffer.from('other'))).assetId).toBeTruthy();
    const last = await patch(s.url, path, MiB, bytes.subarray(MiB));
    expect(last.status).toBe(409);
    expect(JSON.parse(last.body).message).toMatch(/already exists/);
    const names = (await assetsIn(s.url, '/Day 01')).map((a) => a.name);
    expect(names).toEqual(['B001.mov']);
    const left: string[] = [];
    for await (const object of s.dailies.lake.listAll(S3_UPLOADS_PREFIX)) left.push(object.key);
    expect(left.filter((k) => k.includes(path.split('/').pop()!) && !k.endsWith('.info'))).toEqual([]);
  }, 60_000);

  it('a publish that fails after the answer keeps the bytes; the client’s next HEAD publishes them', async () => {
    const s = await s3Server();
    const store = s.dailies.uploads.store;
    const original = store.publish.bind(store);
    let failures = 0;
    store.publish = async (id, key) => {
      if (failures++ === 0) throw Object.assign(new Error('S3 is unreachable'), { name: 'TimeoutError' });
      return original(id, key);
    };
    const bytes = Buffer.alloc(MiB + 5, 9);
    const path = await uploadOf(s.url, bytes, 'C001.mov');
    expect(await patch(s.url, path, 0, bytes)).toMatchObject({ status: 204, state: 'publishing' });
    await expect.poll(() => failures).toBe(1);
    // Nothing half made: no asset, the staged bytes still there.
    expect(await assetsIn(s.url, '/Day 01')).toEqual([]);
    // The failed publish has let go of the upload: the HEAD finishes it.
    await expect
      .poll(async () => {
        expect((await head(s.url, path)).status).toBe(200);
        return (await assetsIn(s.url, '/Day 01')).map((a) => a.name);
      })
      .toEqual(['C001.mov']);
    const [asset] = await assetsIn(s.url, '/Day 01');
    expect((await (await fetch(`${s.url}/api/assets/${asset.id}`)).json()).checksums).toEqual(
      checksumsOf(bytes),
    );
  }, 60_000);

  it('a server stopping while a publish runs lets it end first', async () => {
    const s = await s3Server();
    const held = holdPublish(s.dailies.uploads.store);
    const bytes = Buffer.alloc(MiB + 1, 4);
    const path = await uploadOf(s.url, bytes, 'D001.mov');
    expect(await patch(s.url, path, 0, bytes)).toMatchObject({ status: 204, state: 'publishing' });
    running.splice(running.indexOf(s), 1); // stopped here; the restarted server takes its data dir
    let stopped = false;
    const stopping = s.stop({ keepData: true }).then(() => {
      stopped = true;
    });
    try {
      await expect.poll(() => held.calls.started).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(stopped).toBe(false);
    } finally {
      held.release();
    }
    await stopping;
    // Its asset was made before the catalog closed.
    const restarted = await s3Server({ dataDir: s.config.dataDir, lake: s.config.lake, s3: s.config.s3 });
    expect((await assetsIn(restarted.url, '/Day 01')).map((a) => a.name)).toEqual(['D001.mov']);
  }, 60_000);

  it.each([
    ['before the multipart upload is completed and copied', 'upload.beforePublish'],
    ['right after the copy', 'upload.afterPublish'],
  ])(
    'the server killed (SIGKILL) %s, after the answer: started again, the upload is its uploader’s asset',
    async (_when, point) => {
      const lake = await testLakeConfig('s3');
      const dataDir = await mkdtemp(join(tmpdir(), 'dailies-background-publish-'));
      dirs.push(dataDir);
      const env = {
        DAILIES_DATA_DIR: dataDir,
        DAILIES_LAKE: lake.lake!,
        S3_ENDPOINT: lake.s3!.endpoint!,
        S3_REGION: lake.s3!.region!,
        S3_FORCE_PATH_STYLE: 'true',
        AWS_ACCESS_KEY_ID: lake.s3!.accessKeyId!,
        AWS_SECRET_ACCESS_KEY: lake.s3!.secretAccessKey!,
        DAILIES_WATCH_LAKE: 'false',
        DAILIES_IN_PROCESS_WORKERS: 'false',
        DAILIES_UPLOAD_BACKGROUND_PUBLISH_BYTES: String(MiB),
      };
      const armed = await startServerProcess({ ...env, DAILIES_TEST_CRASH_AT: point });
      processes.push(armed);
      actAs(armed.url, await adminToken(armed.url));
      const bytes = Buffer.alloc(MiB + 3, 5);
      const path = await uploadOf(armed.url, bytes, 'E001.mov');
      // The answer comes before the publish, and the kill during it.
      expect(await patch(armed.url, path, 0, bytes)).toMatchObject({ status: 204, state: 'publishing' });
      expect(await diedOfKill(armed)).toBe(true);
      const restarted = await startServerProcess(env);
      processes.push(restarted);
      actAs(restarted.url, await adminToken(restarted.url));
      const [asset] = await assetsIn(restarted.url, '/Day 01');
      expect(asset?.name).toBe('E001.mov');
      const detail = await (await fetch(`${restarted.url}/api/assets/${asset.id}`)).json();
      expect(detail).toMatchObject({ checksums: checksumsOf(bytes), uploadedBy: 'admin' });
      expect(await head(restarted.url, path)).toEqual({ status: 200, offset: bytes.length });
    },
    120_000,
  );
});
