/**
 * Bringing files back from a volume follows folder rights (issue 11.4). An admin copied footage
 * of a hidden folder to an edit volume the editors use; an editor may not see it there nor
 * import it (and so download it): browsing leaves it out, asking for it answers exactly what a
 * missing path answers (404), bringing back a whole folder skips it — also when the asset moved
 * since and the volume's folder no longer mirrors a lake folder (its recorded copy decides),
 * and when a file was put beside such copies by hand. Copy and remove already check each
 * asset; the admin still sees and brings back everything.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, the volume a
 * directory; the editor signs in through the API.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBackground } from '../../src/wiring.js';
import { type Client, makeUser } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, signInAdmin, startDailies, type TestDailies, waitForJob } from '../support/harness.js';
import { editVolumeConfig, startWithEditVolume, volumeDir } from './support.js';

describe.each(CATALOGS)('bringing files back follows folder rights (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let editor: Client;
  let secretId: string;

  beforeEach(async () => {
    ({ t, vol } = await startWithEditVolume(catalog, 'dailies-vol-rights-'));
    const open = await importFile(t, '/Open', 'A.mov', 'open clip');
    const secret = await importFile(t, '/Secret', 'S.mov', 'secret clip');
    secretId = secret.id;
    const folders = t.dailies.catalog.folders;
    await folders.setGroups((await folders.getByPath('/Open'))!.id, ['admin', 'editors']);
    await folders.setGroups((await folders.getByPath('/Secret'))!.id, ['admin']);
    const copied = await t.api('POST', '/api/volumes/edit/copy', { ids: [open.id, secret.id] });
    for (const job of copied.body.jobs) expect((await waitForJob(t, job.jobId)).state).toBe('done');
    const admin = await signInAdmin(t);
    editor = (await makeUser(admin, 'ed', ['editors'])).client;
  });
  afterEach(async () => {
    await t.close();
    await rm(vol, { recursive: true, force: true });
  });

  const browse = (client: Client, path: string) =>
    client.get(`/api/volumes/edit/files?path=${encodeURIComponent(path)}`);
  const bringBack = (client: Client, paths: string[], folder = '/Open') =>
    client.post('/api/volumes/edit/import', { paths, folder });
  const namesIn = async (folder: string) =>
    ((await t.api('GET', `/api/assets?folder=${encodeURIComponent(folder)}`)).body.items ?? []).map(
      (a: { name: string }) => a.name,
    );

  it('hides the copy of a hidden folder from the editor: browsing, asking and bringing back', async () => {
    const root = await browse(editor, '/');
    expect(root.statusCode).toBe(200);
    expect(root.json().entries.map((e: { name: string }) => e.name)).toEqual(['Open']);

    // A hidden folder, a hidden file and a missing one answer alike.
    const hidden = await browse(editor, '/Secret');
    const missing = await browse(editor, '/Nowhere');
    expect(hidden.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    expect(hidden.json().message.replace('Secret', 'X')).toBe(missing.json().message.replace('Nowhere', 'X'));
    for (const paths of [['Secret/S.mov'], ['Secret'], ['/Secret/'], ['Open/A.mov', 'Secret/S.mov']]) {
      const res = await bringBack(editor, paths);
      expect(res.statusCode, paths.join()).toBe(404);
      const none = await bringBack(
        editor,
        paths.map((p) => p.replace(/Secret/, 'Nowhere')),
      );
      expect(none.statusCode).toBe(404);
      expect(res.json().message.replace(/Secret/g, 'X')).toBe(none.json().message.replace(/Nowhere/g, 'X'));
    }

    // The whole volume brought back takes what the editor may see, and nothing else.
    const all = await bringBack(editor, ['/'], '/Open/Back');
    expect(all.statusCode).toBe(202);
    expect((await waitForJob(t, all.json().jobId)).state).toBe('done');
    expect(await namesIn('/Open/Back/Open')).toEqual(['A.mov']);
    expect(await namesIn('/Open/Back/Secret')).toEqual([]);

    // The admin sees and brings back everything.
    const admin = await signInAdmin(t);
    expect((await browse(admin, '/')).json().entries.map((e: { name: string }) => e.name)).toEqual([
      'Open',
      'Secret',
    ]);
    const back = await bringBack(admin, ['Secret/S.mov'], '/Secret/Back');
    expect(back.statusCode).toBe(202);
    expect((await waitForJob(t, back.json().jobId)).state).toBe('done');
  });

  it('keeps a copy hidden after its asset moved and its old folder is gone from the lake', async () => {
    await t.dailies.folders.create(
      { id: 'admin', username: 'admin', groups: ['admin'], isAdmin: true },
      '/Vault',
    );
    const folders = t.dailies.catalog.folders;
    await folders.setGroups((await folders.getByPath('/Vault'))!.id, ['admin']);
    const moved = await t.api('POST', '/api/assets/move', { ids: [secretId], folder: '/Vault' });
    expect(moved.status).toBe(202);
    await waitForJob(t, moved.body.jobId);
    expect((await t.api('DELETE', `/api/folders?path=${encodeURIComponent('/Secret')}`)).status).toBe(200);
    expect(await t.dailies.catalog.folders.getByPath('/Secret')).toBeNull();

    // `Secret/` on the volume now mirrors no lake folder; the recorded copy still decides.
    expect((await browse(editor, '/Secret')).json().entries ?? []).toEqual([]);
    expect((await bringBack(editor, ['Secret/S.mov'])).statusCode).toBe(404);
    const folder = await bringBack(editor, ['Secret'], '/Open/Back');
    expect(folder.statusCode).toBe(202);
    await waitForJob(t, folder.json().jobId);
    expect(await namesIn('/Open/Back/Secret')).toEqual([]);
  });

  it('hides a file put by hand beside the copies of a hidden folder', async () => {
    await writeFile(join(vol, 'Secret', 'notes.txt'), 'what the hidden footage shows');
    expect((await bringBack(editor, ['Secret/notes.txt'])).statusCode).toBe(404);
    // The editor's own files elsewhere come back as ever.
    await writeFile(join(vol, 'Open', 'grade.txt'), 'an editor note');
    const res = await bringBack(editor, ['Open/grade.txt'], '/Open/Notes');
    expect(res.statusCode).toBe(202);
    expect((await waitForJob(t, res.json().jobId)).state).toBe('done');
    expect(await namesIn('/Open/Notes')).toEqual(['grade.txt']);
  });

  it('a drift scan tells the editor only of the copies they may see', async () => {
    await rm(join(vol, 'Secret', 'S.mov'));
    await writeFile(join(vol, 'Open', 'A.mov'), 'changed on the volume');
    const scan = await editor.post('/api/volumes/edit/scan');
    expect(scan.statusCode).toBe(200);
    expect(scan.json()).toMatchObject({ checked: 1, missing: 0, changed: 1 });
    // Both copies were checked: the hidden one's location is gone for everyone.
    expect((await t.api('GET', `/api/assets/${secretId}`)).body.locations).toEqual(['lake']);
  });

  it('copy and remove still refuse a hidden asset, as missing', async () => {
    const copy = await editor.post('/api/volumes/edit/copy', { ids: [secretId] });
    const remove = await editor.post('/api/volumes/edit/remove', { ids: [secretId] });
    const none = await editor.post('/api/volumes/edit/copy', {
      ids: ['00000000-0000-4000-8000-000000000000'],
    });
    expect(copy.statusCode).toBe(404);
    expect(remove.statusCode).toBe(404);
    expect(none.statusCode).toBe(404);
    expect(copy.json().message).toBe(none.json().message);
  });
});

/**
 * Rights are checked again when the bring-back job runs, not only when it was asked for: the
 * queue may wait, and an admin may close a folder or take an editor out of a group meanwhile.
 * Workers start only after the change, so the job surely runs under the new rights.
 */
describe.each(CATALOGS)('bringing back under rights changed before the job runs (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let admin: Client;
  let editor: Client;
  let editorId: string;
  let stopWorkers: (() => Promise<void>) | null = null;

  beforeEach(async () => {
    vol = await volumeDir('dailies-vol-rights-late-');
    t = await startDailies({
      catalog,
      background: false,
      config: editVolumeConfig(vol),
    });
    await importFile(t, '/Open', 'A.mov', 'open clip');
    // Where it is brought back to stays open: only the source's rights change below.
    await importFile(t, '/Shared', 'S.mov', 'shared clip');
    const folders = t.dailies.catalog.folders;
    await folders.setGroups((await folders.getByPath('/Open'))!.id, ['admin', 'editors']);
    await folders.setGroups((await folders.getByPath('/Shared'))!.id, ['admin', 'editors']);
    // An editor's own file, in the volume folder that mirrors /Open.
    await mkdir(join(vol, 'Open'), { recursive: true });
    await writeFile(join(vol, 'Open', 'grade.txt'), 'an editor note');
    admin = await signInAdmin(t);
    const made = await makeUser(admin, 'ed', ['editors']);
    editor = made.client;
    editorId = made.id;
  });
  afterEach(async () => {
    await stopWorkers?.();
    stopWorkers = null;
    await t.close();
    await rm(vol, { recursive: true, force: true });
  });

  /** Asks as the editor (allowed now), applies `change`, then lets the job run. */
  async function bringBackAfter(change: () => Promise<void>) {
    const asked = await editor.post('/api/volumes/edit/import', {
      paths: ['Open/grade.txt'],
      folder: '/Shared/Back',
    });
    expect(asked.statusCode).toBe(202);
    await change();
    stopWorkers = await startBackground(t.dailies);
    return waitForJob(t, asked.json().jobId);
  }

  async function nothingBroughtBack() {
    const back = await t.dailies.catalog.folders.getByPath('/Shared/Back');
    const assets = back ? await t.dailies.catalog.assets.findLive(back.id, 'grade.txt') : null;
    expect(assets).toBeNull();
    expect(existsSync(join(t.dataDir, 'lake', 'Shared', 'Back', 'grade.txt'))).toBe(false);
    // Nor through the API, for the admin who sees everything.
    const listed = await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Shared/Back')}`);
    expect(listed.body.items ?? []).toEqual([]);
  }

  it('imports nothing once the folder is closed to the editor', async () => {
    const job = await bringBackAfter(async () => {
      expect(
        (await admin.request('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin'] })).statusCode,
      ).toBe(200);
    });
    expect(job.state).toBe('failed');
    expect(job.error ?? '').not.toContain(t.dataDir);
    await nothingBroughtBack();
  });

  it('imports nothing once the editor left the group that sees the folder', async () => {
    const job = await bringBackAfter(async () => {
      expect((await admin.request('PATCH', `/api/users/${editorId}`, { groups: [] })).statusCode).toBe(200);
    });
    expect(job.state).toBe('failed');
    await nothingBroughtBack();
  });

  it('imports nothing once the editor is disabled', async () => {
    const job = await bringBackAfter(async () => {
      expect((await admin.request('PATCH', `/api/users/${editorId}`, { disabled: true })).statusCode).toBe(
        200,
      );
    });
    expect(job.state).toBe('failed');
    await nothingBroughtBack();
  });

  it('still brings back when nothing changed (the job itself works)', async () => {
    const job = await bringBackAfter(async () => {});
    expect(job.state).toBe('done');
    expect(existsSync(join(t.dataDir, 'lake', 'Shared', 'Back', 'grade.txt'))).toBe(true);
  });

  it('refuses a folder delete that would carry folders the editor cannot see, deleting nothing', async () => {
    await importFile(t, '/Open/Vault', 'V.mov', 'hidden clip');
    const folders = t.dailies.catalog.folders;
    await folders.setGroups((await folders.getByPath('/Open/Vault'))!.id, ['admin'], 'folder');
    const refused = await editor.request('DELETE', `/api/folders?path=${encodeURIComponent('/Open')}`);
    expect(refused.statusCode).toBe(403);
    expect(refused.body).not.toContain('Vault');
    expect(await folders.getByPath('/Open/Vault')).not.toBeNull();
    expect(await folders.getByPath('/Open')).not.toBeNull();
    expect(existsSync(join(t.dataDir, 'lake', 'Open', 'Vault', 'V.mov'))).toBe(true);
    expect(existsSync(join(t.dataDir, 'lake', 'Open', 'A.mov'))).toBe(true);
    // A folder holding only what the editor sees is deleted as ever.
    await importFile(t, '/Open/Mine', 'M.mov', 'own clip');
    expect(
      (await editor.request('DELETE', `/api/folders?path=${encodeURIComponent('/Open/Mine')}`)).statusCode,
    ).toBe(200);
    expect(await folders.getByPath('/Open/Mine')).toBeNull();
  });
});
