import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { Config } from '../../server/src/config.js';
import { mediaFixture } from '../../server/test/support/media-fixtures.js';
import type { RunningServer } from './server.js';
import { eventually } from './ui.js';

/**
 * A temporary folder standing in for an edit volume (id `edit`, for editors, shown as
 * /Volumes/edit), removed when the test file ends; `config` is what the server is started with.
 */
export function editVolume(name: string): { dir: string; config: () => Partial<Config> } {
  const dir = mkdtempSync(join(tmpdir(), 'dailies-e2e-volume-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    config: () => ({
      volumes: [{ id: 'edit', name, path: dir, displayPath: '/Volumes/edit', groups: ['editors'] }],
      volumeScanInterval: 0,
    }),
  };
}

/**
 * A shooting day in the lake: `Day 01/A001C001.mov` (ProRes) and `Day 01/Cam B/B001C001.mp4`,
 * with `more` seeded beside them, and waits until the server has processed every file of the
 * two folders (`files` of them; a file that is no media ends failed).
 */
export async function seedDayOne(server: RunningServer, more: Record<string, string> = {}, files = 2) {
  mkdirSync(join(server.lakeDir, 'Day 01/Cam B'), { recursive: true });
  copyFileSync(await mediaFixture('proresMov'), join(server.lakeDir, 'Day 01/A001C001.mov'));
  copyFileSync(await mediaFixture('h264Mp4'), join(server.lakeDir, 'Day 01/Cam B/B001C001.mp4'));
  // Indexes what was copied into the lake too.
  await server.seed(more);
  return eventually(
    async () => {
      const [a, b] = await Promise.all([
        server.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`),
        server.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 01/Cam B')}`),
      ]);
      return [...a.body.items, ...b.body.items].map((x: { state: string }) => x.state);
    },
    (states) => states.length === files && states.every((s) => s === 'ready' || s === 'failed'),
    { timeout: 180_000, message: 'the clips to be processed' },
  );
}
