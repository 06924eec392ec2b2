import { afterEach, describe, expect, it } from 'vitest';
import { createUpload, type RunningServer, startServer } from './support.js';

// Real: Fastify listening on loopback, SQLite (reads on its reader threads), an fs lake in a temp dir.
const servers: RunningServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

describe('uploads into one new folder at once', () => {
  it('all start (201), the folder chain is made once, and a case twin of it is still refused', async () => {
    const s = await startServer();
    servers.push(s);
    // What the web app does with a camera card: many uploads, at once, into folders not there
    // yet. Several rounds, as the race is a matter of timing.
    for (let round = 0; round < 6; round++) {
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          createUpload(
            s.url,
            { filename: `C${String(i).padStart(4, '0')}.MP4`, folder: `/Card${round}/CLIP` },
            10,
          ),
        ),
      );
      const statuses = await Promise.all(
        answers.map(async (a) => `${a.status} ${a.status === 201 ? '' : await a.text()}`),
      );
      expect(statuses).toEqual(Array.from({ length: 12 }, () => '201 '));
      const card = await s.dailies.catalog.folders.getByPath(`/Card${round}`);
      expect((await s.dailies.catalog.folders.children(card!.id)).map((f) => f.path)).toEqual([
        `/Card${round}/CLIP`,
      ]);
    }
    const root = await s.dailies.catalog.folders.getByPath('/');
    expect((await s.dailies.catalog.folders.children(root!.id)).map((f) => f.path).sort()).toEqual(
      Array.from({ length: 6 }, (_, round) => `/Card${round}`),
    );
    // The second look uses the folder made meanwhile, never a twin of it.
    const twin = await createUpload(s.url, { filename: 'X.MP4', folder: '/card0/other' }, 10);
    expect(twin.status).toBe(409);
  });
});
