/**
 * "Prepare for edit" from the web app (issue 16): a media manager right-clicks a folder,
 * chooses "Prepare for edit…", picks the edit volume and confirms; the toast says when it is
 * ready, and the volume then holds the media, an `ascmhl/` history and the ALE + FCPXML bins
 * beside the folder. Screenshots of the dialog and of the result (e2e/screenshots/prepare-*).
 *
 * Real: the server processing clips ffmpeg made, an fs lake and edit volume, the built web app,
 * Debian Chromium.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, row } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;
let volumeDir: string;

beforeAll(async () => {
  volumeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-prepare-volume-'));
  server = await startServer({
    volumes: [
      { id: 'edit', name: 'Avid NEXIS', path: volumeDir, displayPath: '/Volumes/edit', groups: ['editors'] },
    ],
    volumeScanInterval: 0,
  });
  browser = await launchBrowser();
  mkdirSync(join(server.lakeDir, 'Day 01/Cam B'), { recursive: true });
  copyFileSync(await mediaFixture('proresMov'), join(server.lakeDir, 'Day 01/A001C001.mov'));
  copyFileSync(await mediaFixture('h264Mp4'), join(server.lakeDir, 'Day 01/Cam B/B001C001.mp4'));
  // Indexes what was copied into the lake.
  await server.seed({});
  await eventually(
    async () => {
      const [a, b] = await Promise.all([
        server.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 01')}`),
        server.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 01/Cam B')}`),
      ]);
      return [...a.body.items, ...b.body.items].map((x: { state: string }) => x.state);
    },
    (states) => states.length === 2 && states.every((s) => s === 'ready'),
    { timeout: 180_000, message: 'the clips to be processed' },
  );
}, 240_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(volumeDir, { recursive: true, force: true });
});

it('prepares a folder for edit: media, ASC MHL and both bins on the volume', async () => {
  context = await browser.newContext({ baseURL: server.url, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await signIn(context, 'admin', ADMIN_PASSWORD);
  await page.goto(browseUrl('/'));
  await row(page, 'Day 01').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Prepare for edit…' }).click();
  const prepare = dialog(page, 'Prepare Day 01 for edit');
  await prepare.getByRole('radio', { name: /Avid NEXIS/ }).waitFor();
  await screenshot(page, 'prepare-dialog');
  await prepare.getByRole('button', { name: 'Prepare' }).click();
  await page.getByText(/Day 01 is ready for edit on Avid NEXIS: 2 assets/).waitFor({ timeout: 90_000 });
  await screenshot(page, 'prepare-done');

  expect(existsSync(join(volumeDir, 'Day 01/A001C001.mov'))).toBe(true);
  expect(existsSync(join(volumeDir, 'Day 01/Cam B/B001C001.mp4'))).toBe(true);
  expect(readdirSync(join(volumeDir, 'Day 01/ascmhl'))).toContain('ascmhl_chain.xml');
  const ale = readFileSync(join(volumeDir, 'Day 01.ale'), 'utf8');
  expect(ale).toContain('A001C001');
  expect(ale).toContain('B001C001');
  expect(readFileSync(join(volumeDir, 'Day 01.fcpxml'), 'utf8')).toContain(
    'src="Day%2001/Cam%20B/B001C001.mp4"',
  );
}, 180_000);
