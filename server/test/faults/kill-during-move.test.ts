import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../support/poll.js';
import { call, jobSettled, type ServerProcess, startServerProcess } from '../support/server-process.js';

// Real: the server as its own process on SQLite and an fs lake, killed with SIGKILL mid-job.
describe('a server killed during a move of 1,000 assets', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  afterAll(async () => {
    await server?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves catalog and lake equal after restart and reconcile, with nothing lost and ids kept', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-kill-move-'));
    const lake = join(dataDir, 'lake');
    await mkdir(join(lake, 'Src'), { recursive: true });
    for (let i = 0; i < 1000; i++)
      await writeFile(join(lake, 'Src', `clip${String(i).padStart(4, '0')}.mov`), `clip ${i}`);
    const env = {
      DAILIES_DATA_DIR: dataDir,
      DAILIES_SECRET: 'kill-test',
      DAILIES_JOB_LEASE_SECONDS: '2',
      DAILIES_WATCH_LAKE: 'false',
    };

    server = await startServerProcess(env);
    await call(server.url, 'POST', '/api/reconcile');
    const ids = await allIds(server.url, '/Src');
    expect(ids).toHaveLength(1000);
    await call(server.url, 'POST', '/api/folders', { path: '/Dst' });
    const { jobId } = await call(server.url, 'POST', '/api/assets/move', { ids, folder: '/Dst' });
    const url = server.url;
    const moving = await until(
      async () => {
        const job = await call(url, 'GET', `/api/jobs/${jobId}`);
        return job.progressDone >= 100 || job.state === 'done' ? job : null;
      },
      { timeout: 60_000, interval: 5, what: 'the move to be under way' },
    );
    // Killed half-way: a job already done would test nothing.
    expect(moving.state).not.toBe('done');
    await server.kill('SIGKILL');
    const movedBeforeKill = (await readdir(join(lake, 'Dst'))).length;
    expect(movedBeforeKill).toBeGreaterThan(0);
    expect(movedBeforeKill).toBeLessThan(1000);

    // Restart without workers first, so the check sees a lake nothing is moving.
    server = await startServerProcess({ ...env, DAILIES_IN_PROCESS_WORKERS: 'false' });
    await call(server.url, 'POST', '/api/reconcile');
    await expectCatalogEqualsLake(server.url, lake, ids);
    await server.kill('SIGTERM');

    server = await startServerProcess(env);
    // The durable job is taken again once its lease runs out, and finishes the move.
    expect((await jobSettled(server, jobId)).state).toBe('done');
    expect(await readdir(join(lake, 'Src'))).toEqual([]);
    expect(await readdir(join(lake, 'Dst'))).toHaveLength(1000);
    await expectCatalogEqualsLake(server.url, lake, ids);
    expect((await allIds(server.url, '/Dst')).sort()).toEqual([...ids].sort());
  }, 180_000);
});

async function allIds(base: string, folder: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const page: any = await call(
      base,
      'GET',
      `/api/assets?folder=${encodeURIComponent(folder)}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
    );
    ids.push(...page.items.map((a: any) => a.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

/** Every file in the lake has exactly one asset, every asset has its file, and no id is new. */
async function expectCatalogEqualsLake(base: string, lake: string, originalIds: string[]): Promise<void> {
  const files = new Set<string>();
  for (const dir of ['Src', 'Dst']) {
    for (const name of await readdir(join(lake, dir))) files.add(`/${relative(lake, join(lake, dir, name))}`);
  }
  const rows = new Map<string, string>();
  for (const folder of ['/Src', '/Dst']) {
    let cursor: string | null = null;
    do {
      const page: any = await call(
        base,
        'GET',
        `/api/assets?folder=${encodeURIComponent(folder)}&limit=1000${cursor ? `&cursor=${cursor}` : ''}`,
      );
      for (const a of page.items) rows.set(`${a.folder}/${a.name}`, a.id);
      cursor = page.nextCursor;
    } while (cursor);
  }
  expect(files.size).toBe(1000);
  expect([...rows.keys()].sort()).toEqual([...files].sort());
  expect(new Set(rows.values()).size).toBe(1000);
  const known = new Set(originalIds);
  expect([...rows.values()].every((id) => known.has(id))).toBe(true);
}
