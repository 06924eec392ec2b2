import { randomBytes } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adminToken,
  call,
  jobSettled,
  type ServerProcess,
  startServerProcess,
} from '../support/server-process.js';
import { actAs, checksumsOf, createUpload, tusUpload } from '../uploads/support.js';
import {
  type Deployment,
  diedOfKill,
  expectInvariants,
  mayDie,
  newDeployment,
  readCatalog,
  startArmed,
} from './crash-support.js';

// Real: `dailies serve` as its own process (SQLite, fs lake, an edit volume) that SIGKILLs itself
// exactly between a step's lake change and its catalog write (DAILIES_TEST_CRASH_AT), then a
// plain restart. After it settles the step is finished, every id is kept, folder groups are kept
// and the invariants hold — with the fs watcher on and off.
describe.each([false, true])('a crash between the lake and the catalog (watcher %s)', (watch) => {
  let deployment: Deployment | null = null;
  let server: ServerProcess | null = null;
  afterEach(async () => {
    await server?.kill();
    server = null;
    await deployment?.remove();
    deployment = null;
  });

  /** A lake with two folders, indexed; `/Secret` is for admins only. Returns the asset ids by key. */
  async function seeded(crashAt: string): Promise<Map<string, string>> {
    deployment = await newDeployment({ watch });
    await mkdir(join(deployment.lake, 'Day 01'), { recursive: true });
    await mkdir(join(deployment.lake, 'Secret'), { recursive: true });
    await writeFile(join(deployment.lake, 'Day 01', 'A001.mov'), 'clip one');
    await writeFile(join(deployment.lake, 'Day 01', 'A002.mov'), 'clip two');
    await writeFile(join(deployment.lake, 'Secret', 'S001.mov'), 'secret clip');
    server = await startArmed(deployment, crashAt);
    await call(server.url, 'POST', '/api/reconcile');
    await call(server.url, 'PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin'] });
    const view = await readCatalog(deployment);
    return new Map([...view.live].map(([key, asset]) => [key, asset.id]));
  }

  /** Waits for the armed server to kill itself, then starts a plain one and lets it settle. */
  async function crashedAndRestarted(options: { reconcile?: boolean } = {}): Promise<ServerProcess> {
    expect(await diedOfKill(server!)).toBe(true);
    server = await startServerProcess(deployment!.env);
    if (options.reconcile !== false) await call(server.url, 'POST', '/api/reconcile');
    return server;
  }

  it('delete to trash: the asset ends in the trash with its file, never lost between', async () => {
    const ids = await seeded('trash.afterLakeMove');
    const id = ids.get('Day 01/A001.mov')!;
    expect(await mayDie(call(server!.url, 'POST', '/api/assets/delete', { ids: [id] }))).toBeNull();
    const restarted = await crashedAndRestarted();
    const trash = await call(restarted.url, 'GET', '/api/trash');
    expect(trash.items.map((a: any) => a.id)).toEqual([id]);
    const view = await expectInvariants(deployment!, expect);
    expect(view.live.has('Day 01/A001.mov')).toBe(false);
    expect(view.trashed).toEqual([{ id, trashKey: `.dailies-trash/${id}/A001.mov` }]);
  }, 120_000);

  it('restore: the asset comes back under its own id and leaves no ghost in the trash', async () => {
    const ids = await seeded('restore.afterLakeMove');
    const id = ids.get('Day 01/A001.mov')!;
    await call(server!.url, 'POST', '/api/assets/delete', { ids: [id] });
    expect(await mayDie(call(server!.url, 'POST', '/api/assets/restore', { ids: [id] }))).toBeNull();
    const restarted = await crashedAndRestarted();
    expect((await call(restarted.url, 'GET', '/api/trash')).items).toEqual([]);
    const view = await expectInvariants(deployment!, expect);
    expect(view.live.get('Day 01/A001.mov')?.id).toBe(id);
    expect(view.trashed).toEqual([]);
  }, 120_000);

  it('asset rename: the file keeps its id under the new name', async () => {
    const ids = await seeded('rename.afterLakeMove');
    const id = ids.get('Day 01/A001.mov')!;
    expect(await mayDie(call(server!.url, 'PATCH', `/api/assets/${id}`, { name: 'B001.mov' }))).toBeNull();
    await crashedAndRestarted();
    const view = await expectInvariants(deployment!, expect);
    expect(view.live.get('Day 01/B001.mov')?.id).toBe(id);
    expect(view.live.size).toBe(3);
  }, 120_000);

  it('move job: the asset is in the target folder under its own id and the job is done', async () => {
    const ids = await seeded('move.afterLakeMove');
    const id = ids.get('Day 01/A001.mov')!;
    await call(server!.url, 'POST', '/api/folders', { path: '/Dst' });
    const { jobId } = await call(server!.url, 'POST', '/api/assets/move', { ids: [id], folder: '/Dst' });
    const restarted = await crashedAndRestarted();
    expect((await jobSettled(restarted, jobId)).state).toBe('done');
    const view = await expectInvariants(deployment!, expect);
    expect(view.live.get('Dst/A001.mov')?.id).toBe(id);
  }, 120_000);

  it('folder rename: an admin-only folder keeps its groups and its assets their ids', async () => {
    const ids = await seeded('folder.move.afterLakeMove');
    const { jobId } = await call(server!.url, 'PATCH', '/api/folders', {
      path: '/Secret',
      newPath: '/Hidden',
    });
    const restarted = await crashedAndRestarted();
    expect((await jobSettled(restarted, jobId)).state).toBe('done');
    const view = await expectInvariants(deployment!, expect);
    expect(view.folders.get('/Hidden')?.groups).toEqual(['admin']);
    expect(view.folders.has('/Secret')).toBe(false);
    expect(view.live.get('Hidden/S001.mov')?.id).toBe(ids.get('Secret/S001.mov'));
  }, 120_000);

  it('folder rename whose old path another tool makes again before the restart: finished, the new file found at the old path', async () => {
    const ids = await seeded('folder.move.afterLakeMove');
    const { jobId } = await call(server!.url, 'PATCH', '/api/folders', {
      path: '/Secret',
      newPath: '/Hidden',
    });
    expect(await diedOfKill(server!)).toBe(true);
    // The lake moved; while the server is down something writes into the old path.
    await mkdir(join(deployment!.lake, 'Secret'), { recursive: true });
    await writeFile(join(deployment!.lake, 'Secret', 'N001.mov'), 'new clip');
    server = await startServerProcess(deployment!.env);
    expect((await jobSettled(server, jobId)).state).not.toBe('running');
    await call(server.url, 'POST', '/api/reconcile');
    const view = await expectInvariants(deployment!, expect);
    expect(view.folders.get('/Hidden')?.groups).toEqual(['admin']);
    expect(view.live.get('Hidden/S001.mov')?.id).toBe(ids.get('Secret/S001.mov'));
    expect(view.live.has('Secret/N001.mov')).toBe(true);
  }, 120_000);

  it('upload publish: the published upload is its uploader’s asset with its checksum, and HEAD says complete', async () => {
    await seeded('upload.afterPublish');
    actAs(server!.url, await adminToken(server!.url));
    const data = randomBytes(300_000);
    // The server dies as the last PATCH publishes: the client never sees the answer.
    const answer = await tusUpload(server!.url, data, {
      metadata: { filename: 'U001.mov', folder: '/Day 01' },
    }).catch(() => null);
    expect(answer).toBeNull();
    const restarted = await crashedAndRestarted();
    actAs(restarted.url, await adminToken(restarted.url));
    const view = await expectInvariants(deployment!, expect);
    const asset = view.live.get('Day 01/U001.mov');
    expect(asset?.xxh64).toBe(checksumsOf(data).xxh64);
    expect(asset?.uploadedBy).toBe('admin');
    // Only the published marker stays in staging, and the client's HEAD finds the upload complete.
    const staged = await readdir(join(deployment!.lake, '.dailies-uploads'));
    expect(staged).toHaveLength(1);
    expect(staged[0]).toMatch(/\.json$/);
    const head = await fetch(`${restarted.url}/api/uploads/${staged[0].replace(/\.json$/, '')}`, {
      method: 'HEAD',
      headers: { 'Tus-Resumable': '1.0.0' },
    });
    expect(head.status).toBe(200);
    expect(head.headers.get('upload-offset')).toBe(String(data.length));
    expect(head.headers.get('upload-length')).toBe(String(data.length));
  }, 120_000);

  it('upload publish into a folder moved away meanwhile: the upload is kept where it was published', async () => {
    await seeded('upload.afterPublish');
    actAs(server!.url, await adminToken(server!.url));
    const data = randomBytes(200_000);
    const created = await createUpload(
      server!.url,
      { filename: 'U002.mov', folder: '/Day 01/Sub' },
      data.length,
    );
    expect(created.status).toBe(201);
    const path = created.headers.get('location')!;
    const patch = (from: number, to: number) =>
      fetch(`${server!.url}${path}`, {
        method: 'PATCH',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(from),
          'Content-Type': 'application/offset+octet-stream',
        },
        body: data.subarray(from, to),
      });
    expect((await patch(0, 100_000)).status).toBe(204);
    const { jobId } = await call(server!.url, 'PATCH', '/api/folders', {
      path: '/Day 01',
      newPath: '/Day 09',
    });
    expect((await jobSettled(server!, jobId)).state).toBe('done');
    expect(await mayDie(patch(100_000, data.length))).toBeNull();
    const restarted = await crashedAndRestarted({ reconcile: false });
    // Settled at start, before the server answers: no reconcile needed to make the folder first.
    const atStart = await readCatalog(deployment!);
    expect(atStart.intents).toBe(0);
    expect(atStart.live.get('Day 01/Sub/U002.mov')?.xxh64).toBe(checksumsOf(data).xxh64);
    await call(restarted.url, 'POST', '/api/reconcile');
    const view = await expectInvariants(deployment!, expect);
    expect(view.live.get('Day 01/Sub/U002.mov')?.xxh64).toBe(checksumsOf(data).xxh64);
    expect(view.live.get('Day 09/A001.mov')).toBeDefined();
  }, 120_000);

  it.each(['volume.afterLink', 'volume.afterCommit'])(
    'volume copy (%s): the copy is recorded once the job is taken again, no temporary left',
    async (point) => {
      const ids = await seeded(point);
      const id = ids.get('Day 01/A001.mov')!;
      const { jobs } = await call(server!.url, 'POST', '/api/volumes/edit/copy', { ids: [id] });
      const restarted = await crashedAndRestarted();
      expect((await jobSettled(restarted, jobs[0].jobId)).state).toBe('done');
      expect((await call(restarted.url, 'GET', `/api/assets/${id}`)).locations).toContain('edit');
      await expectInvariants(deployment!, expect);
    },
    120_000,
  );
});
