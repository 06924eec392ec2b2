/**
 * A camera card uploaded as a folder through the web app's path (tus, one upload per file, each
 * naming its folder) is verified against its ASC MHL history like an imported one; here the
 * standard's nested example (a Reels folder of two cards, scenario 05).
 *
 * Real: a server on a loopback port, tus-js-client, SQLite, an fs lake, job workers.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer, tusUpload } from '../uploads/support.js';
import { EXAMPLES, filesOf } from './support.js';

const REELS = join(EXAMPLES, 'scenario_05/file_server/Reels');

describe('ASC MHL on a folder upload', () => {
  let s: RunningServer;
  beforeAll(async () => {
    s = await startServer({ inProcessWorkers: true }, { background: true });
  });
  afterAll(async () => s?.stop());

  it('every file of the uploaded cards is verified; the nested histories are followed', async () => {
    // History files first, as a browser walking the folder may send them.
    const paths = filesOf(REELS).sort(
      (a, b) => Number(!a.includes('ascmhl/')) - Number(!b.includes('ascmhl/')),
    );
    for (const path of paths) {
      const i = path.lastIndexOf('/');
      const folder = i < 0 ? '/Shoot/Reels' : `/Shoot/Reels/${path.slice(0, i)}`;
      await tusUpload(s.url, readFileSync(join(REELS, path)), {
        metadata: { filename: path.slice(i + 1), folder },
      });
    }
    await s.dailies.jobs.drain(60_000);
    const reels = (await s.dailies.catalog.folders.getByPath('/Shoot/Reels'))!;
    const card = await s.dailies.mhl.card(
      { id: 'system', username: 'system', groups: ['admin'], isAdmin: true },
      reels.path,
    );
    expect(card).toMatchObject({ verified: 7, mismatched: 0, unlisted: 0, missing: [], problems: [] });
    for (const inner of ['A002R2EC', 'A003R2EC']) {
      const folder = (await s.dailies.catalog.folders.getByPath(`/Shoot/Reels/${inner}`))!;
      expect(
        (
          await s.dailies.mhl.card(
            { id: 'system', username: 'system', groups: ['admin'], isAdmin: true },
            folder.path,
          )
        ).verified,
      ).toBe(3);
    }
  });
});
