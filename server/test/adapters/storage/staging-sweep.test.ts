/**
 * Partial files a killed writer left are cleaned at start, and only Dailies' own (issue 12.3):
 * the fs lake's staging files and a volume's temporaries name the process that wrote them, so
 * one whose writer (on this host) no longer runs is removed at once, however fresh; a live
 * writer's, another host's and an editor's files are kept (another host's until idle, as before).
 *
 * Real: the fs object store and an fs volume on temporary directories; a real process that
 * has exited gives a pid that no longer runs.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FsObjectStore } from '../../../src/adapters/storage/fs-object-store.js';
import { FsVolume } from '../../../src/adapters/volume/fs-volume.js';

const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-');
/** The pid of a process that ran and exited. */
const deadPid = spawnSync('true').pid!;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-sweep-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(path: string, ageMs = 0): Promise<string> {
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, 'half written');
  if (ageMs) {
    const when = new Date(Date.now() - ageMs);
    await utimes(path, when, when);
  }
  return path;
}

describe('partial files of killed writers', () => {
  it("the lake's staging: a dead writer's file goes at once, a live or unknown writer's waits a day", async () => {
    const lake = join(dir, 'lake');
    const staging = join(lake, '.dailies-staging');
    const killed = await file(join(staging, `${HOST}~${deadPid}~${randomUUID()}`));
    const live = await file(join(staging, `${HOST}~${process.pid}~${randomUUID()}`));
    const otherHost = await file(join(staging, `render-node-7~${deadPid}~${randomUUID()}`));
    const older = await file(join(staging, randomUUID()), 25 * 3_600_000);
    const recent = await file(join(staging, randomUUID()));
    const lakeFile = await file(join(lake, 'Day 01', `${HOST}~${deadPid}~${randomUUID()}`));
    const store = new FsObjectStore(lake);

    expect(await store.sweepTemporaries()).toBe(2);
    expect(existsSync(killed)).toBe(false);
    expect(existsSync(older)).toBe(false);
    for (const kept of [live, otherHost, recent, lakeFile]) expect(existsSync(kept), kept).toBe(true);
  });

  it('never sweeps through a staging directory that is a link', async () => {
    const lake = join(dir, 'lake');
    const elsewhere = join(dir, 'elsewhere');
    const victim = await file(join(elsewhere, `${HOST}~${deadPid}~${randomUUID()}`), 48 * 3_600_000);
    await mkdir(lake);
    await symlink(elsewhere, join(lake, '.dailies-staging'));
    await expect(new FsObjectStore(lake).sweepTemporaries()).rejects.toThrow(/symbolic link/);
    expect(existsSync(victim)).toBe(true);
  });

  it("a volume's temporaries: the dead writer's is orphaned, the rest are not", async () => {
    const vol = join(dir, 'vol');
    const asset = randomUUID();
    await file(join(vol, 'Day 01', `.dailies-${asset}~${HOST}~${deadPid}.part`));
    await file(join(vol, 'Day 01', `.dailies-${asset}~${HOST}~${process.pid}.part`));
    await file(join(vol, 'Day 02', `.dailies-${asset}~render-node-7~${deadPid}.part`));
    await file(join(vol, 'Day 02', `.dailies-${asset}.part`));
    await file(join(vol, 'Day 02', 'A001.mov'));
    await file(join(vol, 'Day 02', '.dailies-notes.txt'));
    await file(join(vol, 'Day 02', `.dailies-notes~${HOST}~${deadPid}.part`));
    const found = [];
    for await (const temp of new FsVolume('edit', vol).temporaries()) found.push(temp);
    const byName = Object.fromEntries(found.map((t) => [t.path, { tag: t.tag, orphaned: t.orphaned }]));
    expect(byName).toEqual({
      [`Day 01/.dailies-${asset}~${HOST}~${deadPid}.part`]: { tag: asset, orphaned: true },
      [`Day 01/.dailies-${asset}~${HOST}~${process.pid}.part`]: { tag: asset, orphaned: false },
      [`Day 02/.dailies-${asset}~render-node-7~${deadPid}.part`]: { tag: asset, orphaned: false },
      [`Day 02/.dailies-${asset}.part`]: { tag: asset, orphaned: false },
    });
  });
});
