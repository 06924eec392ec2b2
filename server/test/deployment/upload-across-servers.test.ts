/**
 * Real: two servers as on two machines (each its own data dir) on one PostgreSQL and the Swift
 * S3 lake, a 200 MB upload whose 5 MiB PATCHes alternate between them, and a server process
 * killed with SIGKILL mid-PATCH. The running hashes travel with the upload (saved beside the
 * staged bytes), so the finish never reads the staged object back; the finish runs on one
 * server, and a HEAD on the other meanwhile answers without starting a second.
 */

import { mkdtemp } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { S3_UPLOADS_PREFIX, type S3UploadStore } from '../../src/adapters/uploads/s3-upload-store.js';
import type { Config } from '../../src/config.js';
import type { UploadLocks } from '../../src/ports/upload-locks.js';
import { adminToken, startServerProcess } from '../support/server-process.js';
import { testDatabaseUrl, testLakeConfig } from '../support/services.js';
import {
  actAs,
  adminHeaders,
  cleanedUpAfterEach,
  createUpload,
  headUpload,
  patchUpload,
  type RunningServer,
  startServer,
} from '../uploads/support.js';
import { UploadBytes } from './upload-bytes.js';

const MiB = 1024 * 1024;
const CHUNK = 5 * MiB;
const SECRET = 'upload-across-servers-secret-0123456789abcdef';

const { running, processes, dirs } = cleanedUpAfterEach();

async function deployment() {
  const config: Partial<Config> = {
    databaseUrl: await testDatabaseUrl(),
    secret: SECRET,
    ...(await testLakeConfig('s3')),
  };
  return { config };
}

async function server(config: Partial<Config>): Promise<RunningServer> {
  const s = await startServer(config);
  running.push(s);
  return s;
}

/** GETs of staged keys by a server's S3 clients (the upload store's and the lake's), as they happen. */
function countStagingReads(s: RunningServer) {
  const reads: Array<{ key: string; phase: string; range?: string }> = [];
  const counter = { phase: 'upload', reads };
  const store = s.dailies.uploads.store as S3UploadStore;
  const clients = [
    (store as unknown as { client: S3Like }).client,
    (store as unknown as { lake: { client: S3Like } }).lake.client,
  ];
  for (const client of clients) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const { Key: key = '', Range: range } = args.input as { Key?: string; Range?: string };
        if (context.commandName === 'GetObjectCommand' && key.includes(S3_UPLOADS_PREFIX))
          reads.push({ key, phase: counter.phase, range });
        return next(args);
      },
      { step: 'initialize' },
    );
  }
  return counter;
}
type S3Like = {
  middlewareStack: {
    add(
      middleware: (
        next: (args: { input: unknown }) => Promise<unknown>,
        context: { commandName?: string },
      ) => (args: { input: unknown }) => Promise<unknown>,
      options: { step: 'initialize' },
    ): void;
  };
};

/** What each kind of staged key was read for: the staged object itself, tus's short tail (.part), the saved hashes (.hash). */
function readsOf(reads: Array<{ key: string; phase: string }>, phase?: string) {
  const of = reads.filter((r) => phase === undefined || r.phase === phase);
  const kind = (suffix: string) => of.filter((r) => r.key.endsWith(suffix)).length;
  return {
    object: of.filter((r) => !/\.(info|part|hash)$/.test(r.key)).length,
    part: kind('.part'),
    hash: kind('.hash'),
    info: kind('.info'),
  };
}

/** A PATCH the test expects to be acknowledged. */
async function patch(base: string, path: string, offset: number, body: Buffer) {
  const done = await patchUpload(base, path, offset, body);
  expect(done.status, done.body).toBe(204);
  return done;
}

const head = headUpload;

/** Wraps a server's finish lock to see each attempt (and, when asked, hold the winner's finish open). */
function watchFinishing(locks: UploadLocks) {
  const seen = { ran: 0, refused: 0, started: false, startedAt: 0 };
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const original = locks.finishing.bind(locks);
  let hold = false;
  locks.finishing = async (id, work) => {
    const outcome = await original(id, async () => {
      seen.started = true;
      seen.startedAt = performance.now();
      if (hold) await gate;
      return work();
    });
    if (outcome.ran) seen.ran++;
    else seen.refused++;
    return outcome;
  };
  return {
    seen,
    hold: () => {
      hold = true;
    },
    release: open,
  };
}

/** How long the finishing server spends on the checksums and on publishing. */
function timeFinishSteps(s: RunningServer) {
  const store = s.dailies.uploads.store;
  const spent = { checksums: 0, publish: 0, copy: 0, delete: 0, completeMultipart: 0 };
  const time = (target: object, method: string, into: keyof typeof spent) => {
    const on = target as Record<string, (...args: never[]) => Promise<unknown>>;
    const original = on[method].bind(target);
    on[method] = async (...args: never[]) => {
      const started = performance.now();
      try {
        return await original(...args);
      } finally {
        spent[into] += performance.now() - started;
      }
    };
  };
  time(store, 'checksums', 'checksums');
  time(store, 'publish', 'publish');
  // Within the publish: the lake's copy to the final key, and the delete of the staged object.
  const lake = (store as unknown as { lake: object }).lake;
  time(lake, 'copy', 'copy');
  time(lake, 'delete', 'delete');
  // Within the publish too: completing the multipart upload the last write left open.
  time(store.datastore, 'completeDeferred', 'completeMultipart');
  return spent;
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.floor(sorted.length / 2)];
}

describe('an upload across two servers on one PostgreSQL and the S3 lake', () => {
  it('200 MB in 5 MiB PATCHes alternating between servers: right checksums, no read-back at the finish, one finish', async () => {
    const { config } = await deployment();
    const a = await server(config);
    const b = await server(config);
    const servers = [a, b];
    const counters = servers.map(countStagingReads);
    const bytes = new UploadBytes(200_000_000, 'two servers');
    const expected = bytes.checksums();

    const created = await createUpload(a.url, { filename: 'A001C001.mov', folder: '/Day 01' }, bytes.size);
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;
    const chunks = Math.ceil(bytes.size / CHUNK);
    // The last PATCH goes to whichever server the alternation gives it; the other one HEADs.
    const finisher = servers[(chunks - 1) % 2];
    const other = servers[chunks % 2];
    const finisherWatch = watchFinishing(finisher.dailies.uploads.locks);
    const steps = timeFinishSteps(finisher);
    const otherWatch = watchFinishing(other.dailies.uploads.locks);
    finisherWatch.hold();

    const times: number[] = [];
    let offset = 0;
    let lastState: string | null = null;
    let heldMs = 0;
    for (let i = 0; offset < bytes.size; i++) {
      const to = servers[i % 2];
      const body = bytes.slice(offset, CHUNK);
      const last = offset + body.length === bytes.size;
      if (last) for (const c of counters) c.phase = 'final';
      const sending = patch(to.url, path, offset, body);
      if (last) {
        // While the finish runs on one server, a client asks the other where the upload stands.
        await expect.poll(() => finisherWatch.seen.started, { timeout: 30_000 }).toBe(true);
        const answers = [];
        for (let n = 0; n < 3; n++) answers.push(await head(other.url, path));
        expect(answers).toEqual(Array(3).fill({ status: 200, offset: bytes.size }));
        expect(otherWatch.seen).toMatchObject({ ran: 0, refused: 3 });
        // A retried last PATCH (no bytes left to send) on the other server: acknowledged, no second finish.
        const retried = await patch(other.url, path, bytes.size, Buffer.alloc(0));
        expect(retried).toMatchObject({ offset: bytes.size, assetId: null });
        expect(otherWatch.seen).toMatchObject({ ran: 0, refused: 4 });
        // Only the time the finish was held at its start is left out of the last PATCH's.
        heldMs = performance.now() - finisherWatch.seen.startedAt;
        finisherWatch.release();
      }
      const done = await sending;
      times.push(last ? done.ms - heldMs : done.ms);
      expect(done.offset).toBe(offset + body.length);
      offset = done.offset;
      expect(done.assetId).toBeNull();
      lastState = done.state;
    }
    expect(times).toHaveLength(chunks);
    // Answered before the server-side copy to the final key: the asset comes after.
    expect(lastState).toBe('publishing');
    await expect.poll(() => finisherWatch.seen.ran, { timeout: 60_000 }).toBe(1);
    expect(finisherWatch.seen.refused).toBe(0);
    expect(otherWatch.seen.ran).toBe(0);
    const [published] = (
      await (await fetch(`${a.url}/api/assets?folder=${encodeURIComponent('/Day 01')}`)).json()
    ).items;
    const assetId = published.id;

    // Right checksums, on the asset as either server reports it.
    for (const s of servers) {
      const asset = await (await fetch(`${s.url}/api/assets/${assetId}`)).json();
      expect(asset).toMatchObject({ size: bytes.size, checksums: expected });
    }
    const listed = await (await fetch(`${a.url}/api/assets?folder=${encodeURIComponent('/Day 01')}`)).json();
    expect(listed.items.map((x: { name: string }) => x.name)).toEqual(['A001C001.mov']);

    // The staged object was never read back, at the finish or before; the saved hashes were read
    // by each server taking over, and are gone with the staging.
    const all = counters.flatMap((c) => c.reads);
    const final = readsOf(all, 'final');
    const whole = readsOf(all);
    expect(final.object).toBe(0);
    expect(whole.object).toBe(0);
    expect(whole.hash).toBeGreaterThanOrEqual(chunks - 2);
    const left: string[] = [];
    for await (const object of a.dailies.lake.listAll(S3_UPLOADS_PREFIX)) left.push(object.key);
    expect(left.filter((k) => !k.endsWith('.info'))).toEqual([]);

    const middle = median(times.slice(5, -5));
    const lastMs = times[times.length - 1];
    console.log(
      `[upload across servers] ${chunks} PATCHes of ${CHUNK / MiB} MiB, 200 MB: middle PATCH median ${middle.toFixed(0)} ms, ` +
        `last PATCH ${lastMs.toFixed(0)} ms (answered before the publish; held ${heldMs.toFixed(0)} ms for the HEADs excluded), ` +
        `last/middle ${(lastMs / middle).toFixed(2)}; of the finish (after the answer): checksums ${steps.checksums.toFixed(0)} ms, ` +
        `publish ${steps.publish.toFixed(0)} ms (completing the multipart upload ${steps.completeMultipart.toFixed(0)} ms, server-side copy to the final key ${steps.copy.toFixed(0)} ms, delete of the staged object ${steps.delete.toFixed(0)} ms); staging GETs in the last PATCH: object ${final.object}, ` +
        `.part ${final.part}, .hash ${final.hash}; whole upload: object ${whole.object}, .part ${whole.part}, .hash ${whole.hash}`,
    );
  }, 180_000);

  it("saved hashes that are not this upload's (copied from another, or junk) are not trusted: the finish hashes the staged bytes", async () => {
    const { config } = await deployment();
    const a = await server(config);
    const b = await server(config);
    // The last PATCHes go to the server that did not write the one before: it has no running
    // hash of its own and must go by the saved one.
    const counter = countStagingReads(a);
    const uploads = [new UploadBytes(12 * MiB + 5, 'first'), new UploadBytes(12 * MiB + 5, 'second')];
    const paths: string[] = [];
    for (const [n, bytes] of uploads.entries()) {
      const created = await createUpload(a.url, { filename: `C00${n}.mov`, folder: '/Day 03' }, bytes.size);
      paths.push(created.headers.get('location')!);
      await patch(a.url, paths[n], 0, bytes.slice(0, CHUNK));
      await patch(b.url, paths[n], CHUNK, bytes.slice(CHUNK, CHUNK));
    }
    // Both stand at the same offset: the second's state is put beside the first's bytes, and
    // the first's replaced by junk that parses.
    const hashKey = (path: string) => `${S3_UPLOADS_PREFIX}${path.split('/').pop()}.hash`;
    const secondState = await buffer(await a.dailies.lake.read(hashKey(paths[1])));
    await a.dailies.lake.delete(hashKey(paths[0]));
    await a.dailies.lake.write(hashKey(paths[0]), secondState);
    await a.dailies.lake.delete(hashKey(paths[1]));
    await a.dailies.lake.write(
      hashKey(paths[1]),
      Buffer.from(JSON.stringify({ v: 1, upload: 'x', bytes: 2 * CHUNK, md5: 'AAAA', xxh64: 'AAAA' })),
    );
    for (const [n, bytes] of uploads.entries()) {
      const done = await patch(a.url, paths[n], 2 * CHUNK, bytes.slice(2 * CHUNK, CHUNK));
      expect(done.assetId).toBeTruthy();
      const asset = await (await fetch(`${a.url}/api/assets/${done.assetId}`)).json();
      expect(asset).toMatchObject({ size: bytes.size, checksums: bytes.checksums() });
    }
    // Hashed from staging, once each: the cost of a state that could not be used.
    expect(readsOf(counter.reads).object).toBe(2);
  }, 120_000);

  it('saved hashes behind the staged bytes (a PATCH died after storing parts): the finish reads only the rest', async () => {
    const { config } = await deployment();
    const a = await server(config);
    const b = await server(config);
    const counter = countStagingReads(b);
    const bytes = new UploadBytes(3 * CHUNK - 9, 'behind');
    const created = await createUpload(a.url, { filename: 'E005C001.mov', folder: '/Day 05' }, bytes.size);
    const path = created.headers.get('location')!;
    const hashKey = `${S3_UPLOADS_PREFIX}${path.split('/').pop()}.hash`;
    await patch(a.url, path, 0, bytes.slice(0, CHUNK));
    const afterFirst = await buffer(await a.dailies.lake.read(hashKey));
    await patch(a.url, path, CHUNK, bytes.slice(CHUNK, CHUNK));
    // As if the second PATCH's parts were stored but its state never saved.
    await a.dailies.lake.delete(hashKey);
    await a.dailies.lake.write(hashKey, afterFirst);
    const done = await patch(b.url, path, 2 * CHUNK, bytes.slice(2 * CHUNK, CHUNK));
    const asset = await (await fetch(`${b.url}/api/assets/${done.assetId}`)).json();
    expect(asset).toMatchObject({ size: bytes.size, checksums: bytes.checksums() });
    const objectReads = counter.reads.filter((r) => !/\.(info|part|hash)$/.test(r.key));
    expect(objectReads.map((r) => r.range)).toEqual([`bytes=${CHUNK}-${bytes.size - 1}`]);
  }, 120_000);

  it('a PATCH stalled on one server: a HEAD on the other asks it to let go and answers in seconds, not after the lock timeout', async () => {
    const { config } = await deployment();
    const a = await server(config);
    const b = await server(config);
    const bytes = new UploadBytes(12 * MiB + 7, 'stalled');
    const created = await createUpload(a.url, { filename: 'D004C001.mov', folder: '/Day 04' }, bytes.size);
    const path = created.headers.get('location')!;
    // A client whose connection went half-open: 1 MiB sent of a 12 MiB body, then nothing.
    const stalled = request(`${a.url}${path}`, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': '0',
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(bytes.size),
        ...adminHeaders(`${a.url}${path}`),
      },
    });
    const outcome = new Promise<string>((resolve) => {
      stalled.on('error', (error) => resolve(error.message));
      stalled.on('response', (response) => resolve(`status ${response.statusCode}`));
    });
    stalled.write(bytes.slice(0, MiB));
    const heldOnA = () => (a.dailies.uploads.locks as unknown as { held: Map<string, unknown> }).held.size;
    await expect.poll(heldOnA, { timeout: 10_000 }).toBe(1);

    const started = performance.now();
    const where = await head(b.url, path);
    const waited = performance.now() - started;
    expect(where.status).toBe(200);
    // tus gives the holder 3 s to wind down; the lock timeout (30 s) is never reached.
    expect(waited).toBeLessThan(15_000);
    // tus ends the stalled request, keeping what had arrived: the HEAD reports it.
    const ended = await outcome;
    expect(where.offset).toBeLessThanOrEqual(MiB);
    if (ended === 'status 204') expect(where.offset).toBe(MiB);
    stalled.destroy();
    expect(heldOnA()).toBe(0);

    // The client goes on from there on the other server.
    let offset = where.offset;
    let assetId: string | null = null;
    while (offset < bytes.size) {
      const done = await patch(b.url, path, offset, bytes.slice(offset, CHUNK));
      offset = done.offset;
      assetId = done.assetId;
    }
    const asset = await (await fetch(`${b.url}/api/assets/${assetId}`)).json();
    expect(asset).toMatchObject({ size: bytes.size, checksums: bytes.checksums() });
    console.log(
      `[upload across servers] HEAD on the other server while a PATCH stalled: answered in ${waited.toFixed(0)} ms, at offset ${where.offset}; the stalled PATCH: ${ended}`,
    );
  }, 120_000);

  it('a server killed with SIGKILL mid-PATCH: the client resumes on the other, with right checksums and no read-back', async () => {
    const { config } = await deployment();
    const b = await server(config);
    const counter = countStagingReads(b);
    const dataDir = await mkdtemp(join(tmpdir(), 'dailies-killed-server-'));
    dirs.push(dataDir);
    const s3 = config.s3!;
    const a = await startServerProcess({
      DATABASE_URL: config.databaseUrl!,
      DAILIES_SECRET: SECRET,
      DAILIES_DATA_DIR: dataDir,
      DAILIES_LAKE: config.lake!,
      S3_ENDPOINT: s3.endpoint!,
      S3_REGION: s3.region!,
      S3_FORCE_PATH_STYLE: 'true',
      AWS_ACCESS_KEY_ID: s3.accessKeyId!,
      AWS_SECRET_ACCESS_KEY: s3.secretAccessKey!,
      DAILIES_WATCH_LAKE: 'false',
      DAILIES_IN_PROCESS_WORKERS: 'false',
    });
    processes.push(a);
    actAs(a.url, await adminToken(a.url));

    const bytes = new UploadBytes(40 * MiB + 123, 'killed server');
    const created = await createUpload(a.url, { filename: 'B002C003.mov', folder: '/Day 02' }, bytes.size);
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;
    let offset = 0;
    for (const s of [a.url, b.url, a.url])
      offset = (await patch(s, path, offset, bytes.slice(offset, CHUNK))).offset;
    expect(offset).toBe(3 * CHUNK);

    // The next PATCH to the process: part of its body arrives, then the process dies.
    const body = bytes.slice(offset, CHUNK);
    const pending = request(`${a.url}${path}`, {
      method: 'PATCH',
      headers: {
        'Tus-Resumable': '1.0.0',
        'Upload-Offset': String(offset),
        'Content-Type': 'application/offset+octet-stream',
        'Content-Length': String(body.length),
        ...adminHeaders(`${a.url}${path}`),
      },
    });
    const outcome = new Promise<string>((resolve) => {
      pending.on('error', (error) => resolve(error.message));
      pending.on('response', (response) => resolve(`status ${response.statusCode}`));
    });
    pending.write(body.subarray(0, 2 * MiB));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await a.kill('SIGKILL');
    expect(await outcome).not.toMatch(/^status 2/);

    // The client asks the other server where to resume, and sends the rest there.
    const where = await head(b.url, path);
    expect(where.status).toBe(200);
    expect(where.offset).toBe(offset);
    let assetId: string | null = null;
    while (offset < bytes.size) {
      const done = await patch(b.url, path, offset, bytes.slice(offset, CHUNK));
      offset = done.offset;
      assetId = done.assetId;
    }
    expect(assetId).toBeTruthy();
    const asset = await (await fetch(`${b.url}/api/assets/${assetId}`)).json();
    expect(asset).toMatchObject({ size: bytes.size, checksums: bytes.checksums() });
    expect(readsOf(counter.reads).object).toBe(0);
  }, 180_000);
});
