/**
 * "Prepare for edit" from the web app (issue 16): a media manager right-clicks a folder,
 * chooses "Prepare for edit…", picks the edit volume and confirms; the toast says when it is
 * ready, and the volume then holds the media, an `ascmhl/` history and the ALE + FCPXML bins
 * beside the folder. Screenshots of the dialog and of the result (e2e/screenshots/prepare-*).
 *
 * Real: the server processing clips ffmpeg made, an fs lake and edit volume, the built web app,
 * Debian Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { editVolume, seedDayOne } from './support/edit-volume.js';
import { browseUrl, dialog, row } from './support/ui.js';

const volume = editVolume('Avid NEXIS');
const app = appUnderTest({
  config: volume.config,
  prepare: async (server) => {
    expect(await seedDayOne(server)).toEqual(['ready', 'ready']);
  },
  prepareTimeoutMs: 240_000,
});

it('prepares a folder for edit: media, ASC MHL and both bins on the volume', async () => {
  const page = app.page;
  await page.goto(browseUrl('/'));
  await row(page, 'Day 01').click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Prepare for edit…' }).click();
  const prepare = dialog(page, 'Prepare Day 01 for edit');
  await prepare.getByRole('radio', { name: /Avid NEXIS/ }).waitFor();
  await screenshot(page, 'prepare-dialog');
  await prepare.getByRole('button', { name: 'Prepare' }).click();
  await page.getByText(/Day 01 is ready for edit on Avid NEXIS: 2 assets/).waitFor({ timeout: 90_000 });
  await screenshot(page, 'prepare-done');

  expect(existsSync(join(volume.dir, 'Day 01/A001C001.mov'))).toBe(true);
  expect(existsSync(join(volume.dir, 'Day 01/Cam B/B001C001.mp4'))).toBe(true);
  expect(readdirSync(join(volume.dir, 'Day 01/ascmhl'))).toContain('ascmhl_chain.xml');
  const ale = readFileSync(join(volume.dir, 'Day 01.ale'), 'utf8');
  expect(ale).toContain('A001C001');
  expect(ale).toContain('B001C001');
  expect(readFileSync(join(volume.dir, 'Day 01.fcpxml'), 'utf8')).toContain(
    'src="Day%2001/Cam%20B/B001C001.mp4"',
  );
}, 180_000);
