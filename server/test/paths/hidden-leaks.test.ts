import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/features/access/actor.js';
import type { DailiesEvent } from '../../src/ports/events.js';
import { importFile } from '../support/builders.js';
import { CATALOGS, startDailies, type TestDailies, waitForJob } from '../support/harness.js';

// Issue 11.5 and 11.10 (trash paging). Real: the whole app, fs lake, both catalogs; the event
// stream through the same service the SSE route uses.
const editor: Actor = { id: 'editor-1', username: 'eddie', groups: ['editors'], isAdmin: false };

describe.each(CATALOGS)('hidden things do not leak (%s)', (catalog) => {
  let t: TestDailies;
  beforeEach(async () => {
    t = await startDailies({ catalog });
    await t.api('POST', '/api/folders', { path: '/Secret' });
    await t.api('POST', '/api/folders', { path: '/Open' });
    await t.api('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin', 'editors'] });
  });
  afterEach(() => t.close());

  /** What `actor`'s event stream receives while `work` runs (up to a sentinel published after it). */
  async function heard(actor: Actor, work: () => Promise<void>): Promise<DailiesEvent[]> {
    const got: DailiesEvent[] = [];
    let done!: () => void;
    const finished = new Promise<void>((r) => {
      done = r;
    });
    const stream = t.dailies.liveEvents.open(actor, (e) => {
      if (e.type === 'folder.changed' && e.folderPath === '/Open') done();
      else got.push(e);
    });
    await work();
    t.dailies.events.publish({ type: 'folder.changed', folderPath: '/Open' });
    await finished;
    stream.close();
    return got;
  }

  it('an asset moved out of a hidden folder arrives without where it came from', async () => {
    const asset = await importFile(t, '/Secret', 'plan.mov', 'x');
    const got = await heard(editor, async () => {
      const moved = await t.api('POST', '/api/assets/move', { ids: [asset.id], folder: '/Open' });
      expect((await waitForJob(t, moved.body.jobId)).state).toBe('done');
    });
    expect(got).toContainEqual({ type: 'asset.moved', assetId: asset.id, folderPath: '/Open' });
    expect(JSON.stringify(got)).not.toContain('Secret');
    // An admin hears where it came from.
    const other = await importFile(t, '/Secret', 'plan2.mov', 'y');
    const adminActor: Actor = { id: 'a', username: 'a', groups: ['admin'], isAdmin: true };
    const adminHeard = await heard(adminActor, async () => {
      const moved = await t.api('POST', '/api/assets/move', { ids: [other.id], folder: '/Open' });
      await waitForJob(t, moved.body.jobId);
    });
    expect(adminHeard).toContainEqual({
      type: 'asset.moved',
      assetId: other.id,
      folderPath: '/Open',
      fromFolderPath: '/Secret',
    });
  });

  it('sends only the fields each event type carries, and no event of a type it does not know', async () => {
    const asset = await importFile(t, '/Open', 'a.mov', 'x');
    const got = await heard(editor, async () => {
      t.dailies.events.publish({
        type: 'asset.changed',
        assetId: asset.id,
        folderPath: '/Open',
        secretPath: '/Secret/plan.mov',
      } as never);
      t.dailies.events.publish({ type: 'asset.renamed', folderPath: '/Open', from: '/Secret' } as never);
      t.dailies.events.publish({
        type: 'job.progress',
        jobId: 'j',
        name: 'n',
        done: 1,
        total: 2,
        state: 'running',
        actorId: 'someone-else',
        folderPath: '/Secret',
      } as never);
    });
    expect(got).toEqual([{ type: 'asset.changed', assetId: asset.id, folderPath: '/Open' }]);
  });

  it('restore refuses a path the caller may no longer write, answering as for a missing folder', async () => {
    await t.api('POST', '/api/folders', { path: '/Open/Cut' });
    const asset = await importFile(t, '/Open/Cut', 'cut.mov', 'x');
    await t.dailies.trash.trash(editor, [asset.id]);
    await t.api('DELETE', '/api/folders?path=/Open/Cut');
    expect((await t.api('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin'] })).status).toBe(
      200,
    );
    await expect(t.dailies.trash.restore(editor, [asset.id])).rejects.toMatchObject({ status: 404 });
    expect((await t.api('GET', '/api/folders?path=/Open')).body.children).toEqual([]);
  });

  it('a folder move that would carry folders the caller cannot see is refused', async () => {
    await t.api('POST', '/api/folders', { path: '/Open/Private' });
    await t.api('PUT', '/api/folders/groups', { path: '/Open/Private', groups: ['admin'], scope: 'folder' });
    await expect(t.dailies.folders.requestMove(editor, '/Open', '/Opened')).rejects.toMatchObject({
      status: 403,
      message: expect.stringMatching(/folders you cannot see/),
    });
    const admin = await t.api('PATCH', '/api/folders', { path: '/Open', newPath: '/Opened' });
    expect(admin.status).toBe(202);
    expect((await waitForJob(t, admin.body.jobId)).state).toBe('done');
    expect((await t.api('GET', '/api/folders?path=/Opened/Private')).status).toBe(200);
  });

  it('pages the trash by cursor, newest first, never repeating, only what the caller may see', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push((await importFile(t, '/Open', `t${i}.mov`, `${i}`)).id);
    const hidden = await importFile(t, '/Secret', 'hidden.mov', 'h');
    await t.api('POST', '/api/assets/delete', { ids: [...ids, hidden.id] });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await t.dailies.trash.list(editor, { limit: 3, ...(cursor ? { cursor } : {}) });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen.sort()).toEqual([...ids].sort());
    const all = await t.api('GET', '/api/trash?limit=1000');
    expect(all.body.items).toHaveLength(8);
    expect(all.body.nextCursor).toBeNull();
    expect((await t.api('GET', '/api/trash?limit=5000')).status).toBe(400);
    expect((await t.api('GET', '/api/trash?cursor=bm90LWEtY3Vyc29y')).status).toBe(400);
    expect((await t.api('GET', '/api/trash?cursor=a&cursor=b')).status).toBe(400);
  });
});
