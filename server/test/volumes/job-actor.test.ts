/**
 * A job acts for the person who asked, as they are when it runs (issue 18): a bring-back
 * queued by an editor who has since left the group that sees the target folder imports
 * nothing, and one queued by an account disabled since fails, named; a copy still records who
 * asked. Payloads carry the asker one way (`RequestedBy`), checked here on every kind.
 *
 * Real: the whole server in-process on SQLite and PostgreSQL, an fs lake, a directory volume.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, TEST_ADMIN_PASSWORD, type TestDailies, waitForJob } from '../support/harness.js';
import { startWithEditVolume } from './support.js';

describe.each(CATALOGS)('jobs act for who asked, as they are now (%s)', (catalog) => {
  let t: TestDailies;
  let vol: string;
  let admin: Client;
  let editor: { client: Client; id: string };

  beforeEach(async () => {
    ({ t, vol } = await startWithEditVolume(catalog, 'dailies-vol-actor-'));
    await importFile(t, '/Cut', 'seed.mov', 'seed');
    const folders = t.dailies.catalog.folders;
    await folders.setGroups((await folders.getByPath('/Cut'))!.id, ['admin', 'cutters']);
    admin = await signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
    expect((await admin.post('/api/groups', { name: 'cutters' })).statusCode).toBe(201);
    editor = await makeUser(admin, 'ed', ['editors', 'cutters']);
    await mkdir(join(vol, 'Cut'), { recursive: true });
    await writeFile(join(vol, 'Cut', 'new.mov'), 'brought back');
  });
  afterEach(async () => {
    await t.close();
    await rm(vol, { recursive: true, force: true });
  });

  const names = async () =>
    ((await t.api('GET', '/api/assets?folder=/Cut')).body.items as Array<{ name: string }>).map(
      (a) => a.name,
    );
  const queueImport = () =>
    t.dailies.jobs.enqueue('volume.import', {
      actorId: editor.id,
      actorName: 'ed',
      volumeId: 'edit',
      paths: ['Cut/new.mov'],
      folder: '/Cut',
    });

  it('the editor asks through the API; the payload names them one way', async () => {
    const res = await editor.client.post('/api/volumes/edit/import', {
      paths: ['Cut/new.mov'],
      folder: '/Cut',
    });
    expect(res.statusCode).toBe(202);
    const job = await t.dailies.jobs.get(res.json().jobId);
    expect(job?.data).toEqual({
      actorId: editor.id,
      actorName: 'ed',
      volumeId: 'edit',
      paths: ['Cut/new.mov'],
      folder: '/Cut',
    });
    expect((await waitForJob(t, res.json().jobId)).state).toBe('done');
    expect(await names()).toEqual(['new.mov', 'seed.mov']);
  });

  it('a bring-back queued before the editor left the group imports nothing', async () => {
    expect((await admin.request('DELETE', '/api/groups/cutters/members/ed')).statusCode).toBe(200);
    const done = await waitForJob(t, await queueImport());
    expect(done.state).toBe('failed');
    expect(await names()).toEqual(['seed.mov']);
  });

  it('a bring-back queued before the account was disabled fails, named', async () => {
    expect((await admin.request('PATCH', `/api/users/${editor.id}`, { disabled: true })).statusCode).toBe(
      200,
    );
    const done = await waitForJob(t, await queueImport());
    expect(done.state).toBe('failed');
    expect(done.error).toMatch(/account that asked for this job is gone or disabled/);
    expect(await names()).toEqual(['seed.mov']);
  });

  it('a copy records who asked even when the account is gone by the time it runs', async () => {
    const seed = (await t.api('GET', '/api/assets?folder=/Cut')).body.items[0];
    const jobId = await t.dailies.jobs.enqueue('volume.copy', {
      actorId: 'deleted-account',
      actorName: 'former editor',
      volumeId: 'edit',
      assetId: seed.id,
    });
    expect((await waitForJob(t, jobId)).state).toBe('done');
    const audit = await t.api('GET', '/api/audit?action=volume.copy');
    expect(audit.body.items.map((e: { actorName: string }) => e.actorName)).toEqual(['former editor']);
  });
});
