/**
 * A whole folder to and from an edit volume (issue 15): "Copy folder to edit volume" copies the
 * folder's assets and those of every subfolder the caller may see, the lake's structure kept on
 * the volume; a subfolder hidden from the caller is skipped without a trace in the answer; a
 * hidden folder answers as a missing one (404), and so does a volume the caller may not use.
 * "Remove folder from edit volume" removes only the caller's visible copies.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, the volume a
 * directory, copy and remove jobs run by the in-process workers; users sign in through the API.
 */
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, TEST_ADMIN_PASSWORD, type TestDailies, waitForJob } from '../support/harness.js';
import { filesOnVolume, shareFolders, startWithEditVolume } from './support.js';

describe.each(CATALOGS)('a folder to and from an edit volume (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let editor: Client;
  let viewer: Client;
  let hiddenId: string;

  beforeEach(async () => {
    ({ t, vol } = await startWithEditVolume(catalog, 'dailies-vol-folder-'));
    await importFile(t, '/Day 01', 'A001.mov', 'a');
    await importFile(t, '/Day 01/Cam B', 'B001.mov', 'b');
    await importFile(t, '/Day 01/Cam B/50% _takes', 'B002.mov', 'b2');
    hiddenId = (await importFile(t, '/Day 01/Producer notes', 'H001.mov', 'hidden')).id;
    await importFile(t, '/Day 01/Producer notes/Deeper', 'H002.mov', 'deeper');
    // A sibling whose path begins like the folder's: never part of it.
    await importFile(t, '/Day 01 B', 'X001.mov', 'not in Day 01');
    await importFile(t, '/Secret', 'S001.mov', 'secret');
    await t.dailies.users.createGroup(SYSTEM_ACTOR, { name: 'viewers' });
    await shareFolders(t, {
      '/Day 01': ['admin', 'editors', 'viewers'],
      '/Day 01 B': ['admin', 'editors'],
      '/Day 01/Producer notes': ['admin'],
      '/Secret': ['admin'],
    });
    const admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    editor = (await makeUser(admin, 'ed', ['editors'])).client;
    viewer = (await makeUser(admin, 'vi', ['viewers'])).client;
  });
  afterEach(async () => {
    await t.close();
    await rm(vol, { recursive: true, force: true });
  });

  // Without the ASC MHL history each copied folder gets (server/test/mhl covers it).
  const onVolume = async () =>
    (await filesOnVolume(vol)).filter((path) => !path.split('/').includes('ascmhl'));
  const finish = async (jobs: Array<{ jobId: string }>) => {
    for (const job of jobs) expect((await waitForJob(t, job.jobId)).state).toBe('done');
  };

  it('copies the subfolders the editor may see, structure kept, and skips a hidden one without naming it', async () => {
    const res = await editor.post('/api/volumes/edit/copy-folder', { folder: '/Day 01' });
    expect(res.statusCode).toBe(202);
    const body = res.body;
    // Nothing of the hidden subfolder: no name, no id, no count beyond what the editor sees.
    expect(body).not.toContain('Producer');
    expect(body).not.toContain(hiddenId);
    expect(body).not.toContain('H00');
    expect(res.json().jobs).toHaveLength(3);
    await finish(res.json().jobs);
    expect(await onVolume()).toEqual([
      'Day 01/A001.mov',
      'Day 01/Cam B/50% _takes/B002.mov',
      'Day 01/Cam B/B001.mov',
    ]);
    expect(await readFile(join(vol, 'Day 01/Cam B/50% _takes/B002.mov'), 'utf8')).toBe('b2');
    expect(existsSync(join(vol, 'Day 01/Producer notes'))).toBe(false);

    // The locations show in the listing.
    const listed = await editor.get(`/api/assets?folder=${encodeURIComponent('/Day 01/Cam B')}`);
    expect(listed.json().items.map((a: { locations: string[] }) => a.locations)).toEqual([['lake', 'edit']]);

    // The same request again adopts what is there: jobs done, nothing doubled.
    const again = await editor.post('/api/volumes/edit/copy-folder', { folder: '/Day 01/' });
    expect(again.statusCode).toBe(202);
    await finish(again.json().jobs);
    expect(await onVolume()).toHaveLength(3);
  });

  it('answers a hidden folder, a missing one and a case twin of a real one alike (404)', async () => {
    const answers = [];
    for (const folder of [
      '/Secret',
      '/Nowhere',
      '/day 01',
      '/Day 01/Producer notes',
      '/Day 01/Producer notes/Deeper',
    ]) {
      const res = await editor.post('/api/volumes/edit/copy-folder', { folder });
      expect(res.statusCode, folder).toBe(404);
      answers.push(res.json().message.replace(folder, 'X'));
      const removal = await editor.post('/api/volumes/edit/remove-folder', { folder });
      expect(removal.statusCode, folder).toBe(404);
    }
    expect(new Set(answers).size).toBe(1);
    expect(await onVolume()).toEqual([]);
  });

  it('refuses one who may see the folder but not use the volume, as if the volume did not exist (404)', async () => {
    const res = await viewer.post('/api/volumes/edit/copy-folder', { folder: '/Day 01' });
    expect(res.statusCode).toBe(404);
    expect(res.json().message).toBe(
      (await viewer.post('/api/volumes/nope/copy-folder', { folder: '/Day 01' }))
        .json()
        .message.replace('nope', 'edit'),
    );
    expect((await viewer.post('/api/volumes/edit/remove-folder', { folder: '/Day 01' })).statusCode).toBe(
      404,
    );
    expect(await onVolume()).toEqual([]);
  });

  it('refuses bad input with a 400 naming it', async () => {
    for (const body of [
      {},
      { folder: 7 },
      { folder: '/Day 01/../Secret' },
      { folder: '/Day 01', force: 'yes' },
    ]) {
      const res = await editor.post('/api/volumes/edit/copy-folder', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().message).toBeTruthy();
    }
  });

  it("removes the editor's visible copies and leaves the admin's copies of the hidden subfolder", async () => {
    const copied = await t.api('POST', '/api/volumes/edit/copy-folder', { folder: '/Day 01' });
    expect(copied.status).toBe(202);
    expect(copied.body.jobs).toHaveLength(5);
    await finish(copied.body.jobs);
    expect(await onVolume()).toHaveLength(5);

    const removed = await editor.post('/api/volumes/edit/remove-folder', { folder: '/Day 01/Cam B' });
    expect(removed.statusCode).toBe(202);
    expect(removed.json().jobs).toHaveLength(2);
    await finish(removed.json().jobs);
    const all = await editor.post('/api/volumes/edit/remove-folder', { folder: '/Day 01' });
    expect(all.json().jobs).toHaveLength(1);
    expect(all.body).not.toContain(hiddenId);
    await finish(all.json().jobs);
    expect(await onVolume()).toEqual([
      'Day 01/Producer notes/Deeper/H002.mov',
      'Day 01/Producer notes/H001.mov',
    ]);

    // Nothing left that the editor may remove: an empty answer, not an error.
    const none = await editor.post('/api/volumes/edit/remove-folder', { folder: '/Day 01' });
    expect(none.statusCode).toBe(202);
    expect(none.json().jobs).toEqual([]);
  });
});
