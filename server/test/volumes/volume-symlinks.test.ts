/**
 * An edit volume is never read or written through a symbolic link (issue 11.3): a folder on
 * the share that is a link (to /etc, to the server's data dir, `..`, a loop) stops a copy with
 * a clear reason instead of writing through it; a link at a copy's target is never replaced
 * or written through; removals, drift scans and the sweep of temporaries never delete outside;
 * browsing lists no link and bring-back refuses one; a folder swapped for a link after a copy
 * is not followed by the removal or the scan.
 *
 * Real: the whole server in-process on SQLite, an fs lake, the volume a directory; outside it
 * a directory whose every file is compared before and after.
 */
import { createHash } from 'node:crypto';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { editVolumeConfig, volumeDir } from './support.js';

let t: TestDailies;
let vol: string;
let outside: string;

beforeEach(async () => {
  vol = await volumeDir('dailies-vol-links-');
  outside = await mkdtemp(join(tmpdir(), 'dailies-outside-'));
  await writeFile(join(outside, 'keep.txt'), 'not the volume');
  await mkdir(join(outside, 'Day 01'));
  await writeFile(join(outside, 'Day 01', 'A.mov'), 'an outside file with the copy name');
  // Debris-like names outside the volume: the sweep must not reach them through a link.
  const old = new Date(Date.now() - 3_600_000);
  await writeFile(join(outside, '.dailies-00000000-0000-0000-0000-000000000000.part'), 'not ours');
  await utimes(join(outside, '.dailies-00000000-0000-0000-0000-000000000000.part'), old, old);
  t = await startDailies({
    config: editVolumeConfig(vol),
  });
});
afterEach(async () => {
  await t.close();
  for (const dir of [vol, outside]) await rm(dir, { recursive: true, force: true });
});

async function snapshot(dir: string): Promise<Record<string, string>> {
  const seen: Record<string, string> = {};
  const walk = async (d: string) => {
    for (const entry of await readdir(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        seen[path] = `${createHash('sha256')
          .update(await readFile(path))
          .digest('hex')}@${(await lstat(path)).mtimeMs}`;
      else seen[path] = 'link';
    }
  };
  await walk(dir);
  return seen;
}

async function copy(ids: string[]) {
  const res = await t.api('POST', '/api/volumes/edit/copy', { ids });
  expect(res.status).toBe(202);
  return Promise.all(res.body.jobs.map((j: { jobId: string }) => waitForJob(t, j.jobId)));
}

const FOLDER_LINKS: Array<[string, () => string]> = [
  ['outside', () => outside],
  ['etc', () => '/etc'],
  ['data dir', () => t.dataDir],
  ['relative ..', () => '..'],
  ['itself', () => '.'],
];

describe('edit volume and symbolic links', () => {
  it.each(FOLDER_LINKS)(
    'refuses to copy through a folder that is a link (%s), writing nothing',
    async (_, target) => {
      const asset = await importFile(t, '/Day 01', 'A.mov', 'the clip');
      const asStream = await importFile(t, '/Day 01', 'B.mov', 'another clip');
      // Without checksums the copy streams from the lake instead of the kernel's copy.
      await t.dailies.catalog.assets.update(asStream.id, { checksumXxh64: null, checksumMd5: null });
      await symlink(target(), join(vol, 'Day 01'));
      const before = await snapshot(outside);
      const data = await snapshot(t.dataDir);
      const jobs = await copy([asset.id, asStream.id]);
      for (const job of jobs) {
        expect(job.state).toBe('failed');
        expect(job.error).toContain('symbolic link');
      }
      expect(await snapshot(outside)).toEqual(before);
      expect(
        Object.keys(await snapshot(t.dataDir)).filter((p) => p.includes('.part') || p.endsWith('A.mov')),
      ).toEqual(Object.keys(data).filter((p) => p.includes('.part') || p.endsWith('A.mov')));
      expect((await t.api('GET', `/api/assets/${asset.id}`)).body.locations).toEqual(['lake']);
    },
  );

  it('never replaces or writes through a link at the target name', async () => {
    const asset = await importFile(t, '/Day 01', 'A.mov', 'the clip');
    await mkdir(join(vol, 'Day 01'));
    await symlink(join(outside, 'Day 01', 'A.mov'), join(vol, 'Day 01', 'A.mov'));
    const before = await snapshot(outside);
    const [job] = await copy([asset.id]);
    expect(job.state).toBe('failed');
    expect(await snapshot(outside)).toEqual(before);
    expect((await readdir(join(vol, 'Day 01'))).filter((n) => n.endsWith('.part'))).toEqual([]);
  });

  it('removes, scans and sweeps without following a folder swapped for a link after the copy', async () => {
    const a = await importFile(t, '/Day 01', 'A.mov', 'the clip');
    expect((await copy([a.id]))[0].state).toBe('done');
    // An editor (or an attacker on the share) swaps the folder for a link to another tree that
    // holds a file of the same name.
    await rename(join(vol, 'Day 01'), join(vol, 'Day 01 old'));
    await symlink(join(outside, 'Day 01'), join(vol, 'Day 01'));
    await writeFile(join(outside, 'Day 01', 'A.mov'), 'the clip');
    await symlink(outside, join(vol, 'Outside'));
    const before = await snapshot(outside);

    // Removal (even forced by an admin) finds no copy: it deletes nothing through the link.
    const removed = await t.api('POST', '/api/volumes/edit/remove', { ids: [a.id], force: true });
    expect(removed.status).toBe(202);
    await waitForJob(t, removed.body.jobs[0].jobId);
    expect(await snapshot(outside)).toEqual(before);

    // The drift scan and its sweep do not enter a linked folder either.
    await copy([a.id]).catch(() => {});
    const scan = await t.api('POST', '/api/volumes/edit/scan');
    expect(scan.status).toBe(200);
    expect(await snapshot(outside)).toEqual(before);
  });

  it('a drift scan takes a copy replaced by a link for a missing copy, reading nothing through it', async () => {
    const a = await importFile(t, '/Day 02', 'A.mov', 'the clip');
    expect((await copy([a.id]))[0].state).toBe('done');
    await rm(join(vol, 'Day 02', 'A.mov'));
    await symlink(join(outside, 'keep.txt'), join(vol, 'Day 02', 'A.mov'));
    const before = await snapshot(outside);
    const scan = await t.api('POST', '/api/volumes/edit/scan');
    expect(scan.body).toMatchObject({ checked: 1, missing: 1 });
    expect((await t.api('GET', `/api/assets/${a.id}`)).body.locations).toEqual(['lake']);
    expect(await snapshot(outside)).toEqual(before);
  });

  it('lists no link when browsing, and refuses to bring one back or anything under one', async () => {
    await mkdir(join(vol, 'Renders'));
    await writeFile(join(vol, 'Renders', 'r1.mov'), 'a render');
    await symlink(join(outside, 'keep.txt'), join(vol, 'Renders', 'stolen.mov'));
    await symlink(outside, join(vol, 'Renders', 'Outside'));
    await symlink('/etc', join(vol, 'Etc'));
    await symlink('loop-b', join(vol, 'loop-a'));
    await symlink('loop-a', join(vol, 'loop-b'));

    const root = await t.api('GET', '/api/volumes/edit/files?path=/');
    expect(root.body.entries.map((e: { name: string }) => e.name)).toEqual(['Renders']);
    const renders = await t.api('GET', '/api/volumes/edit/files?path=/Renders');
    expect(renders.body.entries.map((e: { name: string }) => e.name)).toEqual(['r1.mov']);
    for (const path of ['/Etc', '/Renders/Outside', '/loop-a', '/Etc/ssh']) {
      const res = await t.api('GET', `/api/volumes/edit/files?path=${encodeURIComponent(path)}`);
      expect([400, 404], path).toContain(res.status);
      expect(JSON.stringify(res.body)).not.toContain('passwd');
    }
    for (const path of [
      'Renders/stolen.mov',
      'Renders/Outside',
      'Renders/Outside/keep.txt',
      'Etc/passwd',
      'loop-a',
    ]) {
      const res = await t.api('POST', '/api/volumes/edit/import', { paths: [path], folder: '/Back' });
      expect([400, 404], path).toContain(res.status);
    }
    // Bringing back the folder takes its file and leaves the links.
    const res = await t.api('POST', '/api/volumes/edit/import', { paths: ['Renders'], folder: '/Back' });
    expect(res.status).toBe(202);
    expect((await waitForJob(t, res.body.jobId)).state).toBe('done');
    const names = (
      await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Back/Renders')}`)
    ).body.items.map((a: { name: string }) => a.name);
    expect(names).toEqual(['r1.mov']);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('not the volume');
  });

  it('generated paths to browse and bring back: a clear 4xx or an answer inside the volume, never a 500', async () => {
    await mkdir(join(vol, 'Renders', 'Reel 1'), { recursive: true });
    await writeFile(join(vol, 'Renders', 'Reel 1', 'r1.mov'), 'a render');
    await symlink(outside, join(vol, 'Renders', 'Out'));
    await symlink('../..', join(vol, 'Renders', 'Reel 1', 'Up'));
    const segment = fc.oneof(
      fc.constantFrom('Renders', 'Reel 1', 'r1.mov', 'Out', 'Up', 'keep.txt', '..', '.', '', '~', 'renders'),
      fc.constantFrom(
        '%2e%2e',
        '\\',
        '\u0000',
        'a'.repeat(300),
        'Rendérs',
        'Re\u0301nders',
        '.dailies-volume',
      ),
      fc.string({ maxLength: 8 }),
    );
    const path = fc
      .tuple(fc.boolean(), fc.array(segment, { maxLength: 5 }))
      .map(([lead, parts]) => `${lead ? '/' : ''}${parts.join('/')}`);
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(path, async (p) => {
        const listing = await t.api('GET', `/api/volumes/edit/files?path=${encodeURIComponent(p)}`);
        const back = await t.api('POST', '/api/volumes/edit/import', { paths: [p], folder: '/Back' });
        requests += 2;
        expect([200, 400, 404], `browse ${JSON.stringify(p)}: ${JSON.stringify(listing.body)}`).toContain(
          listing.status,
        );
        expect([202, 400, 404], `import ${JSON.stringify(p)}: ${JSON.stringify(back.body)}`).toContain(
          back.status,
        );
        if (listing.status === 200)
          for (const entry of listing.body.entries)
            expect(['Renders', 'Reel 1', 'r1.mov']).toContain(entry.name);
        // No answer names where the volume is mounted on the server.
        for (const body of [listing.body, back.body]) expect(JSON.stringify(body)).not.toContain(vol);
      }),
      { numRuns: 150 },
    );
    await t.dailies.jobs.drain(60_000);
    // Whatever was brought back came from inside the volume.
    for (const page of [await t.dailies.catalog.assets.scanLive(null, 1000)])
      for (const asset of page) expect(['r1.mov']).toContain(asset.name);
    console.log(`volume path fuzzing: ${requests} requests, none answered 500`);
    expect(await readFile(join(outside, 'keep.txt'), 'utf8')).toBe('not the volume');
  });
});
