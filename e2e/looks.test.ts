/**
 * A folder's Look panel: an admin uploads a .cube and turns on burn-ins from the folder's
 * context menu; a bad file is refused with the server's reason. Real: the server (SQLite, fs
 * lake, in-process workers), the built web app, Debian Chromium.
 */
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, row } from './support/ui.js';

const app = appUnderTest();

/** A 2-point 3D LUT that halves green and quarters blue. */
const WARM = [
  'LUT_3D_SIZE 2',
  ...[0, 1].flatMap((b) => [0, 1].flatMap((g) => [0, 1].map((r) => `${r} ${g * 0.5} ${b * 0.25}`))),
].join('\n');

describe('the Look panel', () => {
  it('sets a LUT and burn-ins on a folder, shows where the look comes from, and refuses a bad .cube', async () => {
    const { server, page } = app;
    await server.seed({ 'Looks/Day 01/': '', 'Looks/Day 01/Cam A/': '' });
    await page.goto(browseUrl('/Looks'));
    await row(page, 'Day 01').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Look…' }).click();
    const panel = dialog(page, 'Look for Day 01');
    await panel.getByText('Now: no look').waitFor();

    await panel.getByLabel('LUT file (.cube)').setInputFiles({
      name: 'warm.cube',
      mimeType: 'text/plain',
      buffer: Buffer.from(WARM),
    });
    await panel.getByRole('checkbox', { name: 'Clip name' }).check();
    await panel.getByRole('checkbox', { name: 'Source timecode' }).check();
    await screenshot(page, 'look-panel');
    await panel.getByRole('button', { name: 'Save and re-make' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);

    const folder = (await server.dailies.catalog.folders.getByPath('/Looks/Day 01'))!;
    const [stored] = await server.dailies.catalog.looks.getMany([folder.id]);
    expect(stored.lut).toMatchObject({ name: 'warm.cube', dimensions: 3, size: 2 });
    expect(stored.burnIn).toEqual({ clipName: true, timecode: true, frameCounter: false });

    // The folder inside inherits it, and says from where.
    await row(page, 'Day 01').dblclick();
    await row(page, 'Cam A').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Look…' }).click();
    const inner = dialog(page, 'Look for Cam A');
    await inner.getByText('warm.cube').waitFor();
    expect(await inner.locator('.look-now').innerText()).toMatch(/from \/Looks\/Day 01/);
    await screenshot(page, 'look-panel-inherited');

    // A bad file: the server's reason, in the dialog, which stays open; nothing is stored.
    await inner.getByLabel('LUT file (.cube)').setInputFiles({
      name: 'broken.cube',
      mimeType: 'text/plain',
      buffer: Buffer.from('LUT_3D_SIZE 2\n0 0 0\nNaN 0 0\n'),
    });
    await inner.getByRole('button', { name: 'Save and re-make' }).click();
    await inner.getByText(/line 3: "NaN" is not a number/).waitFor();
    const camA = (await server.dailies.catalog.folders.getByPath('/Looks/Day 01/Cam A'))!;
    expect(await server.dailies.catalog.looks.getMany([camA.id])).toEqual([]);
  });
});
