import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies, waitForJob } from '../support/harness.js';

// Real: the whole server in-process (Fastify inject), an fs lake in a temp dir, SQLite and PostgreSQL.
describe.each(CATALOGS)('folders API on %s', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
  });
  afterEach(() => t.close());

  const lakeDir = () => join(t.dataDir, 'lake');

  it('creates a folder in the catalog and in the lake, and lists it with its groups', async () => {
    const created = await t.api('POST', '/api/folders', { path: '/Day 03' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ path: '/Day 03', name: 'Day 03' });
    expect(created.body.groups).toContain('admin');
    expect(existsSync(join(lakeDir(), 'Day 03'))).toBe(true);
    await t.api('POST', '/api/folders', { path: '/Day 03/Cam A' });
    const listing = await t.api('GET', `/api/folders?path=${encodeURIComponent('/Day 03')}`);
    expect(listing.status).toBe(200);
    expect(listing.body.children.map((c: any) => c.path)).toEqual(['/Day 03/Cam A']);
  });

  it.each([
    ['a\\b', /cannot contain "\\"/],
    ['..', /cannot be "\." or "\.\."/],
    ['.', /cannot be "\." or "\.\."/],
    ['bad\u0000name', /control characters/],
    ['tab\there', /control characters/],
    ['x'.repeat(256), /longer than 255 bytes/],
    ['é'.repeat(128), /longer than 255 bytes/],
    [' lead', /begin or end with a space/],
    ['trail ', /begin or end with a space/],
    ['CON', /reserved on Windows/],
    ['lpt1.txt', /reserved on Windows/],
    ['a:b', /cannot contain any of/],
    ['what?', /cannot contain any of/],
    ['dot.', /cannot end with a dot/],
    ['.dailies-trash', /reserved for Dailies/],
  ])('refuses the folder name %j with 400 naming the rule, and touches nothing', async (name, rule) => {
    const before = await readdir(lakeDir());
    const response = await t.api('POST', '/api/folders', { path: `/${name}` });
    expect(response.status).toBe(400);
    expect(response.body.error).toBe('invalid');
    expect(response.body.message).toMatch(rule);
    expect(await readdir(lakeDir())).toEqual(before);
  });

  it('answers 409 for an existing folder, never replacing it', async () => {
    await t.api('POST', '/api/folders', { path: '/Day 01' });
    const again = await t.api('POST', '/api/folders', { path: '/Day 01' });
    expect(again.status).toBe(409);
    expect(again.body.message).toBe('The name "Day 01" is taken in /; choose another.');
  });

  it('refuses paths that would leave the lake', async () => {
    for (const path of ['/../escape', '/a/../../escape', '../x']) {
      const response = await t.api('POST', '/api/folders', { path });
      expect(response.status).toBe(400);
    }
    expect(existsSync(join(t.dataDir, 'escape'))).toBe(false);
    expect((await t.api('GET', '/api/folders?path=/../..')).status).toBe(400);
  });

  it('renames a folder (a job): the lake and the catalog follow, asset ids stay', async () => {
    await t.api('POST', '/api/folders', { path: '/Old' });
    await t.api('POST', '/api/folders', { path: '/Old/Sub' });
    const asset = await importFile(t, '/Old/Sub', 'A001.mov', 'clip');
    const accepted = await t.api('PATCH', '/api/folders', { path: '/Old', newPath: '/New Name' });
    expect(accepted.status).toBe(202);
    const job = await waitForJob(t, accepted.body.jobId);
    expect(job.state).toBe('done');
    expect(existsSync(join(lakeDir(), 'New Name/Sub/A001.mov'))).toBe(true);
    expect(existsSync(join(lakeDir(), 'Old'))).toBe(false);
    const moved = await t.api('GET', `/api/assets/${asset.id}`);
    expect(moved.body.folder).toBe('/New Name/Sub');
    expect((await t.api('GET', '/api/folders?path=/Old')).status).toBe(404);
  });

  it('refuses to move a folder into itself or onto an existing one', async () => {
    await t.api('POST', '/api/folders', { path: '/A' });
    await t.api('POST', '/api/folders', { path: '/B' });
    expect((await t.api('PATCH', '/api/folders', { path: '/A', newPath: '/A/inner' })).status).toBe(400);
    expect((await t.api('PATCH', '/api/folders', { path: '/A', newPath: '/B' })).status).toBe(409);
    expect((await t.api('PATCH', '/api/folders', { path: '/', newPath: '/C' })).status).toBe(400);
  });

  it('deletes a folder: its assets go to the trash and can be restored, folders and all', async () => {
    await t.api('POST', '/api/folders', { path: '/Gone' });
    const asset = await importFile(t, '/Gone/Deep', 'B002.mov', 'bytes');
    const deleted = await t.api('DELETE', '/api/folders?path=/Gone');
    expect(deleted.status).toBe(200);
    expect(deleted.body.trashed).toBe(1);
    expect(existsSync(join(lakeDir(), 'Gone'))).toBe(false);
    expect((await t.api('GET', '/api/folders?path=/Gone')).status).toBe(404);
    const trash = await t.api('GET', '/api/trash');
    expect(trash.body.items.map((a: any) => a.id)).toEqual([asset.id]);
    expect((await t.api('POST', '/api/assets/restore', { ids: [asset.id] })).status).toBe(200);
    expect(existsSync(join(lakeDir(), 'Gone/Deep/B002.mov'))).toBe(true);
    expect((await t.api('GET', `/api/assets/${asset.id}`)).body.folder).toBe('/Gone/Deep');
  });

  it('keeps admin on a folder and refuses the root', async () => {
    await t.api('POST', '/api/folders', { path: '/P' });
    const noAdmin = await t.api('PUT', '/api/folders/groups', { path: '/P', groups: ['editors'] });
    expect(noAdmin.status).toBe(400);
    expect(noAdmin.body.message).toMatch(/admin/);
    const ok = await t.api('PUT', '/api/folders/groups', { path: '/P', groups: ['admin', 'editors'] });
    expect(ok.status).toBe(200);
    expect(ok.body.groups).toEqual(['admin', 'editors']);
    expect((await t.api('PUT', '/api/folders/groups', { path: '/', groups: ['admin'] })).status).toBe(400);
  });
});
