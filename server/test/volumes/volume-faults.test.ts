import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, open, readdir, readFile, rm, stat } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { startDailies, waitForJob } from '../support/harness.js';
import { until } from '../support/poll.js';
import { call, jobSettled, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { editVolumeConfig } from './support.js';

/** Every file under `dir`, relative, hidden ones included. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name).slice(dir.length + 1));
  }
  return out.sort();
}

// Real: the server as its own process on SQLite and an fs lake, killed with SIGKILL mid-copy.
describe('a server killed in the middle of a 500 MB copy to a volume', () => {
  let server: ServerProcess | null = null;
  let dataDir = '';
  afterAll(async () => {
    await server?.kill();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('leaves no file under the final name and no location; after restart the job completes', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dailies-kill-copy-'));
    const lake = join(dataDir, 'lake');
    const vol = join(dataDir, 'edit');
    await mkdir(join(lake, 'Day 01'), { recursive: true });
    await mkdir(vol);
    const big = join(lake, 'Day 01', 'big.mov');
    execFileSync('fallocate', ['-l', '500M', big]);
    const handle = await open(big, 'r+');
    for (const offset of [0, 123_456_789, 400_000_000, 500 * 1024 * 1024 - 4096])
      await handle.write(randomBytes(4096), 0, 4096, offset);
    await handle.close();
    const env = {
      DAILIES_DATA_DIR: dataDir,
      DAILIES_SECRET: 'kill-test',
      DAILIES_JOB_LEASE_SECONDS: '2',
      DAILIES_WATCH_LAKE: 'false',
      // This test is about the copy: processing the 500 MB file would only compete with it.
      DAILIES_JOB_CONCURRENCY: JSON.stringify({ 'asset.probe': 0 }),
      DAILIES_VOLUMES: JSON.stringify([{ id: 'edit', name: 'Edit', path: vol, groups: ['editors'] }]),
    };

    server = await startServerProcess(env);
    await call(server.url, 'POST', '/api/reconcile');
    const listing = await call(server.url, 'GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`);
    const id = listing.items[0].id;
    const { jobs } = await call(server.url, 'POST', '/api/volumes/edit/copy', { ids: [id] });
    const jobId = jobs[0].jobId;
    const url = server.url;
    const copying = await until(
      async () => {
        const job = await call(url, 'GET', `/api/jobs/${jobId}`);
        return job.progressDone > 0 || job.state === 'done' ? job : null;
      },
      { timeout: 60_000, interval: 20, what: 'the copy to be under way' },
    );
    expect(copying.state).not.toBe('done');
    await server.kill('SIGKILL');
    expect(await filesUnder(join(vol))).not.toContain('Day 01/big.mov');

    // The killed copy's temporary file is there, named for the process that wrote it.
    const parts = (await filesUnder(vol)).filter((f) => f.endsWith('.part'));
    expect(parts).toHaveLength(1);
    expect(parts[0]).toMatch(
      new RegExp(`^Day 01/\\.dailies-${id}~${hostname().replace(/[^A-Za-z0-9-]/g, '-')}~\\d+\\.part$`),
    );

    // Restart without workers: nothing claims the copy, and the start-up sweep removed the
    // temporary at once, though its job still looks running and it was written a moment ago.
    server = await startServerProcess({ ...env, DAILIES_IN_PROCESS_WORKERS: 'false' });
    expect(await filesUnder(vol)).toEqual(['.dailies-volume']);
    expect((await call(server.url, 'GET', `/api/assets/${id}`)).locations).toEqual(['lake']);
    await server.kill('SIGTERM');

    server = await startServerProcess(env);
    const job = await jobSettled(server, jobId);
    expect(job.error ?? '').not.toMatch(/never overwrites/);
    expect(job.state).toBe('done');
    expect(await filesUnder(vol)).toEqual(['.dailies-volume', 'Day 01/big.mov']);
    expect((await stat(join(vol, 'Day 01', 'big.mov'))).size).toBe(500 * 1024 * 1024);
    execFileSync('cmp', [big, join(vol, 'Day 01', 'big.mov')]);
    const asset = await call(server.url, 'GET', `/api/assets/${id}`);
    expect(asset.locations).toEqual(['lake', 'edit']);
    expect(asset.checksums.xxh64).toMatch(/^[0-9a-f]{16}$/);
  }, 240_000);
});

// Real: an 8 MiB tmpfs mounted as the volume (needs root, as CI runs), so the kernel answers ENOSPC.
describe('a volume that fills up mid-copy', () => {
  it('fails the job with the reason and leaves nothing partial', async () => {
    const vol = await mkdtemp(join(tmpdir(), 'dailies-tiny-vol-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', vol], { stdio: 'pipe' });
    } catch (error) {
      throw new Error(`This test mounts an 8 MiB tmpfs as a full volume and must run as root: ${error}`);
    }
    const t = await startDailies({
      config: editVolumeConfig(vol),
    });
    try {
      const huge = await importFile(t, '/Day 01', 'huge.mov', randomBytes(12 * 1024 * 1024));
      const small = await importFile(t, '/Day 01', 'small.mov', 'fits');
      const res = await t.api('POST', '/api/volumes/edit/copy', { ids: [huge.id] });
      const job = await waitForJob(t, res.body.jobs[0].jobId);
      expect(job.state).toBe('failed');
      expect(job.error).toContain('The volume "Edit" is full');
      expect(job.error).toContain('/Volumes/edit/Day 01/huge.mov');
      expect(await filesUnder(vol)).toEqual(['.dailies-volume']);
      expect((await t.api('GET', `/api/assets/${huge.id}`)).body.locations).toEqual(['lake']);

      // The volume still takes what fits.
      const ok = await t.api('POST', '/api/volumes/edit/copy', { ids: [small.id] });
      expect((await waitForJob(t, ok.body.jobs[0].jobId)).state).toBe('done');
      expect(await readFile(join(vol, 'Day 01', 'small.mov'), 'utf8')).toBe('fits');
    } finally {
      await t.close();
      execFileSync('umount', [vol], { stdio: 'pipe' });
      await rm(vol, { recursive: true, force: true });
    }
  });
});
