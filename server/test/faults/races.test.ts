import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dropTestDatabase } from '../support/drop-database.js';
import { until } from '../support/poll.js';
import { adminToken, jobSettled, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { testDatabaseUrl } from '../support/services.js';
import { actAs, checksumsOf, createUpload } from '../uploads/support.js';
import {
  assetsIn,
  closeCatalog,
  type Deployment,
  expectInvariants,
  lakeKeys,
  newDeployment,
  readCatalog,
} from './crash-support.js';

/** fetch as admin, answering the status and body whatever they are. */
async function send(server: ServerProcess, method: string, path: string, body?: unknown) {
  const { call } = await import('../support/server-process.js');
  try {
    return { status: 200, body: await call(server.url, method, path, body) };
  } catch (error) {
    const match = /→ (\d{3}): (.*)$/s.exec((error as Error).message);
    if (!match) throw error;
    return { status: Number(match[1]), body: JSON.parse(match[2]) };
  }
}

// Real: server processes (SQLite or PostgreSQL, fs lake) with a step held open at a pause point
// (DAILIES_TEST_PAUSE_AT) so that the race is run every time, not hoped for.
describe('steps racing each other and the watcher', () => {
  let deployment: Deployment | null = null;
  const servers: ServerProcess[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    await deployment?.remove();
    deployment = null;
  });

  it('a restore racing a folder rename answers 409, keeps the asset in the trash with its file, and restores under its id later', async () => {
    deployment = await newDeployment({ watch: false });
    await mkdir(join(deployment.lake, 'A'), { recursive: true });
    await writeFile(join(deployment.lake, 'A', 'clip.mov'), 'clip');
    const server = await startServerProcess({
      ...deployment.env,
      DAILIES_TEST_PAUSE_AT: 'folder.move.afterLakeMove',
      DAILIES_TEST_PAUSE_MS: '10000',
    });
    servers.push(server);
    await send(server, 'POST', '/api/reconcile');
    const id = (await assetsIn(server, '/A')).get('clip.mov').id;
    await send(server, 'POST', '/api/assets/delete', { ids: [id] });
    const { body } = await send(server, 'PATCH', '/api/folders', { path: '/A', newPath: '/B' });
    // The folder has moved in the lake; the catalog follows when the pause ends.
    const lake = deployment.lake;
    await until(() => stat(join(lake, 'B')).catch(() => null), {
      interval: 20,
      what: 'the folder to move in the lake',
    });
    const restore = await send(server, 'POST', '/api/assets/restore', { ids: [id] });
    expect(restore.status).toBe(409);
    expect(restore.body.message).toMatch(/"\/A" is being moved to "\/B"/);
    expect((await jobSettled(server, body.jobId)).state).toBe('done');
    let view = await expectInvariants(deployment, expect);
    expect(view.trashed.map((t) => t.id)).toEqual([id]);

    // Once the move is done the restore goes through, to the folder the asset was deleted from.
    expect((await send(server, 'POST', '/api/assets/restore', { ids: [id] })).status).toBe(200);
    view = await expectInvariants(deployment, expect);
    expect(view.live.get('A/clip.mov')?.id).toBe(id);
    expect(view.trashed).toEqual([]);
  }, 120_000);

  it('the watcher seeing a folder rename before the catalog leaves the folder its groups and the assets their ids', async () => {
    deployment = await newDeployment({ watch: true });
    await mkdir(join(deployment.lake, 'Secret', 'Sub'), { recursive: true });
    await writeFile(join(deployment.lake, 'Secret', 'S001.mov'), 'secret');
    await writeFile(join(deployment.lake, 'Secret', 'Sub', 'S002.mov'), 'secret too');
    const server = await startServerProcess({
      ...deployment.env,
      DAILIES_TEST_PAUSE_AT: 'folder.move.afterLakeMove',
      // Longer than the watcher takes to report the new files and folders (settle + 2 s).
      DAILIES_TEST_PAUSE_MS: '5000',
    });
    servers.push(server);
    await send(server, 'POST', '/api/reconcile');
    await send(server, 'PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin'] });
    await send(server, 'PUT', '/api/folders/groups', { path: '/Secret/Sub', groups: ['admin'] });
    const before = await readCatalog(deployment);
    const { body } = await send(server, 'PATCH', '/api/folders', { path: '/Secret', newPath: '/Hidden' });
    expect((await jobSettled(server, body.jobId)).state).toBe('done');
    // Deliberate: past the watcher's own delay for vanished folders, so whatever it does it has
    // done (there is nothing to poll for when the right outcome is that nothing changes).
    await new Promise((r) => setTimeout(r, 3000));
    const view = await expectInvariants(deployment, expect);
    expect(view.folders.get('/Hidden')?.groups).toEqual(['admin']);
    expect(view.folders.get('/Hidden/Sub')?.groups).toEqual(['admin']);
    expect(view.folders.get('/Hidden')?.id).toBe(before.folders.get('/Secret')?.id);
    expect(view.live.get('Hidden/S001.mov')?.id).toBe(before.live.get('Secret/S001.mov')?.id);
    expect(view.live.get('Hidden/Sub/S002.mov')?.id).toBe(before.live.get('Secret/Sub/S002.mov')?.id);
  }, 120_000);
});

// Real: the same, on each catalog. A folder move held between its lake move and its catalog write
// while an upload publishes into its source path and a folder is made there: before, the upload's
// file was made again at the old path in the lake while the catalog moved it with the folder, and
// the new folder went into the catalog under the new path but into the lake under the old one.
describe.each([
  { catalog: 'SQLite', postgres: false },
  { catalog: 'PostgreSQL', postgres: true },
])('a folder move whose source path is made again meanwhile ($catalog)', ({ postgres }) => {
  let deployment: Deployment | null = null;
  let server: ServerProcess | null = null;
  afterEach(async () => {
    await server?.kill();
    server = null;
    await deployment?.remove();
    deployment = null;
  });

  it('an upload and a bring-back wait for the move and land where they were sent, a new folder there is refused with 409, catalog = lake', async () => {
    deployment = await newDeployment({ watch: false, postgres });
    await mkdir(join(deployment.lake, 'A'), { recursive: true });
    await writeFile(join(deployment.lake, 'A', 'clip.mov'), 'clip');
    server = await startServerProcess({
      ...deployment.env,
      DAILIES_TEST_PAUSE_AT: 'folder.move.afterLakeMove',
      DAILIES_TEST_PAUSE_MS: '4000',
    });
    await send(server, 'POST', '/api/reconcile');
    const clipId = (await assetsIn(server, '/A')).get('clip.mov').id;
    actAs(server.url, await adminToken(server.url));
    const data = randomBytes(50_000);
    // Created before the move, so its folder is /A; its bytes arrive while /A moves.
    const created = await createUpload(server.url, { filename: 'U001.mov', folder: '/A' }, data.length);
    expect(created.status).toBe(201);
    const { body } = await send(server, 'PATCH', '/api/folders', { path: '/A', newPath: '/B' });
    const lake = deployment.lake;
    await until(() => stat(join(lake, 'B')).catch(() => null), {
      interval: 20,
      what: 'the folder to move in the lake',
    });
    // The volume (mode 0755) is the test's own; the import job brings a file into /A meanwhile.
    await writeFile(join(deployment.volume, 'V001.mov'), 'from the volume');
    const [patch, folder, bringBack] = await Promise.all([
      fetch(`${server.url}${created.headers.get('location')}`, {
        method: 'PATCH',
        headers: {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': '0',
          'Content-Type': 'application/offset+octet-stream',
        },
        body: data,
      }),
      send(server, 'POST', '/api/folders', { path: '/A/Sub' }),
      send(server, 'POST', '/api/volumes/edit/import', { paths: ['V001.mov'], folder: '/A' }),
    ]);
    expect(patch.status).toBe(204);
    expect(folder.status).toBe(409);
    expect(folder.body.message).toMatch(/"\/A" is being moved to "\/B"/);
    expect((await jobSettled(server, body.jobId)).state).toBe('done');
    const imported = await jobSettled(server, bringBack.body.jobId);
    expect(imported.state).toBe('done');
    const view = await expectInvariants(deployment, expect);
    expect(view.live.get('B/clip.mov')?.id).toBe(clipId);
    expect(view.live.has('A/V001.mov')).toBe(true);
    expect(view.live.get('A/U001.mov')?.xxh64).toBe(checksumsOf(data).xxh64);
    expect(view.folders.has('/B/Sub')).toBe(false);
    expect(await stat(join(deployment.lake, 'A', 'Sub')).catch(() => null)).toBeNull();
  }, 120_000);
});

describe('several processes on one PostgreSQL', () => {
  const servers: ServerProcess[] = [];
  let databaseUrl = '';
  let dataDir = '';
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill();
    if (dataDir) await closeCatalog({ dataDir });
    if (databaseUrl) await dropTestDatabase(databaseUrl);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('start together on an empty database: all four come up (migrations and queue creation take turns)', async () => {
    databaseUrl = await testDatabaseUrl();
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-pg-start-'));
    const lake = join(dataDir, 'lake');
    const started = await Promise.allSettled(
      [0, 1, 2, 3].map((i) =>
        startServerProcess({
          DATABASE_URL: databaseUrl,
          DAILIES_DATA_DIR: join(dataDir, `server${i}`),
          DAILIES_LAKE: lake,
          DAILIES_SECRET: 'pg-start',
          DAILIES_WATCH_LAKE: 'false',
        }),
      ),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failures = started.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
    expect(failures).toEqual([]);
    for (const server of servers) expect((await fetch(`${server.url}/healthz`)).ok).toBe(true);
  }, 240_000);

  it('re-index on two servers at once: both answer 200 and the catalog equals the lake', async () => {
    databaseUrl = await testDatabaseUrl();
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-pg-reindex-'));
    const lake = join(dataDir, 'lake');
    const env = (i: number) => ({
      DATABASE_URL: databaseUrl,
      DAILIES_DATA_DIR: join(dataDir, `server${i}`),
      DAILIES_LAKE: lake,
      DAILIES_SECRET: 'pg-reindex',
      DAILIES_WATCH_LAKE: 'false',
      DAILIES_JOB_CONCURRENCY: JSON.stringify({ 'asset.probe': 0 }),
    });
    servers.push(await startServerProcess(env(0)));
    servers.push(await startServerProcess(env(1)));
    for (let round = 0; round < 3; round++) {
      // New nested folders each round: both passes would create the same ones.
      for (let d = 0; d < 20; d++) {
        const dir = join(lake, `Round ${round}`, `Day ${d}`, 'Cam A');
        await mkdir(dir, { recursive: true });
        for (let f = 0; f < 10; f++) await writeFile(join(dir, `C${f}.mov`), `${round}/${d}/${f}`);
      }
      const answers = await Promise.all(servers.map((s) => send(s, 'POST', '/api/reconcile')));
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
    }
    const view = await readCatalog({ databaseUrl, dataDir, lake } as Deployment);
    expect([...view.live.keys()].sort()).toEqual([...(await lakeKeys(lake))].sort());
    expect(view.live.size).toBe(600);
  }, 240_000);
});
