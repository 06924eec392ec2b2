import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';

// Issue 12.4 and DESIGN.md "Permissions" (revised). Real: the whole app, fs lake, both catalogs.
const editor: Actor = { id: 'editor-1', username: 'eddie', groups: ['editors'], isAdmin: false };
const projectEditor: Actor = { id: 'editor-2', username: 'pia', groups: ['project-x'], isAdmin: false };

describe.each(CATALOGS)('folder permissions mean what the dialog says (%s)', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
    expect((await t.api('POST', '/api/groups', { name: 'project-x' })).status).toBe(201);
  });
  afterEach(() => t.close());
  const create = async (path: string) =>
    expect((await t.api('POST', '/api/folders', { path })).status).toBe(201);
  const share = (path: string, groups: string[], scope?: 'subtree' | 'folder') =>
    t.api('PUT', '/api/folders/groups', { path, groups, ...(scope ? { scope } : {}) });
  const sees = async (actor: Actor, path: string) =>
    t.dailies.folders.get(actor, path).then(
      () => true,
      (e) => (e.status === 404 ? false : Promise.reject(e)),
    );
  const folder = async (path: string) =>
    (await t.api('GET', `/api/folders?path=${encodeURIComponent(path)}`)).body.folder;

  it('sharing a folder reaches the subfolders made before and after (the issue: CamA_Selects, Sound)', async () => {
    await create('/Day 02');
    await create('/Day 02/CamA_Selects');
    await importFile(t, '/Day 02/CamA_Selects', 'select.mov', 'x');
    expect(await sees(editor, '/Day 02/CamA_Selects')).toBe(false);
    const shared = await share('/Day 02', ['admin', 'editors']);
    expect(shared.status).toBe(200);
    expect(shared.body.access).toMatchObject({
      visibleTo: ['admin', 'editors'],
      everyone: false,
      limitedBy: [],
    });
    expect(await sees(editor, '/Day 02/CamA_Selects')).toBe(true);
    const page = await t.dailies.assets.list(editor, { folder: '/Day 02/CamA_Selects' } as never);
    expect(page.items.map((a) => a.name)).toEqual(['select.mov']);
    await create('/Day 02/Sound');
    expect(await sees(editor, '/Day 02/Sound')).toBe(true);
    expect((await folder('/Day 02/Sound')).access.source).toBe('parent');
    expect(await sees(projectEditor, '/Day 02/Sound')).toBe(false);
  });

  it('"only this folder" keeps the folders below as they were', async () => {
    await create('/Day 03');
    await create('/Day 03/Private');
    const changed = await share('/Day 03', ['admin', 'editors'], 'folder');
    expect(changed.status).toBe(200);
    expect(await sees(editor, '/Day 03')).toBe(true);
    expect(await sees(editor, '/Day 03/Private')).toBe(false);
    expect((await folder('/Day 03/Private')).groups).toEqual(['admin']);
    expect((await folder('/Day 03/Private')).access.source).toBe('own');
    // Opening a subfolder to a group its parent lacks does not show it to them: the dialog says why.
    await share('/Day 03/Private', ['admin', 'project-x'], 'folder');
    const limited = await folder('/Day 03/Private');
    expect(limited.access.visibleTo).toEqual(['admin']);
    expect(limited.access.limitedBy).toEqual([{ group: 'project-x', folder: '/Day 03' }]);
    expect(await sees(projectEditor, '/Day 03/Private')).toBe(false);
  });

  it('a folder made at the root gets its maker’s groups plus admin; inside another, the parent’s', async () => {
    const made = await t.dailies.folders.create(projectEditor, '/Pia');
    expect(made.groups).toEqual(['admin', 'project-x']);
    await share('/Pia', ['admin', 'project-x', 'editors']);
    // Made inside by an editor whose groups differ: the parent's groups, so nobody loses sight of it.
    const inner = await t.dailies.folders.create(editor, '/Pia/From Eddie');
    expect(inner.groups).toEqual(['admin', 'editors', 'project-x']);
    expect(await sees(projectEditor, '/Pia/From Eddie')).toBe(true);
    // An upload and an import that create folders: the parent's groups too.
    await t.dailies.uploads.begin(editor, { filename: 'a.mov', folder: '/Pia/Up/Deep' });
    expect((await folder('/Pia/Up/Deep')).groups).toEqual(['admin', 'editors', 'project-x']);
    await importFile(t, '/Pia/Imported', 'b.mov', 'b');
    expect((await folder('/Pia/Imported')).groups).toEqual(['admin', 'editors', 'project-x']);
  });

  it('a folder another tool writes into the lake takes its parent’s groups', async () => {
    await create('/Shared');
    await share('/Shared', ['admin', 'project-x']);
    await mkdir(join(t.dataDir, 'lake', 'Shared', 'Dropped', 'Deeper'), { recursive: true });
    await writeFile(join(t.dataDir, 'lake', 'Shared', 'Dropped', 'Deeper', 'c.mov'), 'c');
    await t.dailies.indexing.reconcileAfresh();
    expect((await folder('/Shared/Dropped/Deeper')).groups).toEqual(['admin', 'project-x']);
    expect(await sees(projectEditor, '/Shared/Dropped/Deeper')).toBe(true);
    expect(await sees(editor, '/Shared/Dropped')).toBe(false);
  });

  it('admin can never be removed, on either scope; the root stays open to all', async () => {
    await create('/Day 04');
    for (const scope of ['subtree', 'folder'] as const) {
      const refused = await share('/Day 04', ['editors'], scope);
      expect(refused.status).toBe(400);
      expect(refused.body.message).toMatch(/"admin" group cannot be removed/);
    }
    expect((await share('/Day 04', ['admin'], 'sideways' as never)).status).toBe(400);
    const root = await folder('/');
    expect(root.access).toMatchObject({ everyone: true, source: 'root' });
  });
});
