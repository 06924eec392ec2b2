/**
 * Clear messages where the app used to mislead: a folder or asset name with "/" is refused with
 * the reason (not "folder not found"), and a new password's rules are shown and ticked off as
 * the user types, a short one refused by Dailies with a sentence rather than a browser tooltip.
 * Real: the server, the built web app, Debian Chromium.
 */
import { expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, expectRows, row } from './support/ui.js';

const app = appUnderTest({
  prepare: (server) => server.seed({ 'Names/clip.mov': Buffer.alloc(10, 1) }),
  pagePerTest: false,
});

it('refuses a folder or asset name with "/" and says why', async () => {
  const { server } = app;
  const page = await app.openPage();
  await page.goto(browseUrl('/Names'));
  await expectRows(page, ['clip.mov']);

  await page.getByRole('button', { name: 'Create Folder' }).click();
  const create = dialog(page, 'Create folder');
  await create.getByLabel('Folder name').fill('Cam A/B roll');
  await create.getByRole('button', { name: 'Create Folder' }).click();
  const problem = create.getByRole('alert');
  await expect.poll(() => problem.innerText()).toContain('A folder name cannot contain “/”');
  expect(await problem.innerText()).not.toMatch(/not found/i);
  await screenshot(page, 'message-folder-name-slash');
  // Nothing was made, and the same dialog takes a good name.
  expect((await server.api('GET', '/api/folders?path=/Names')).body.children).toEqual([]);
  await create.getByLabel('Folder name').fill('Cam A-B roll');
  await create.getByRole('button', { name: 'Create Folder' }).click();
  await expectRows(page, ['Cam A-B roll', 'clip.mov']);

  await row(page, 'clip.mov').click();
  await page.keyboard.press('F2');
  const rename = dialog(page, 'Rename asset');
  await rename.getByLabel('New name').fill('day/one.mov');
  await rename.getByRole('button', { name: 'Rename' }).click();
  await expect
    .poll(() => rename.getByRole('alert').innerText())
    .toContain('An asset name cannot contain “/”');
  await rename.getByRole('button', { name: 'Cancel' }).click();
  await expectRows(page, ['Cam A-B roll', 'clip.mov']);
});

it('shows the password rules at sign-up and checks them as the user types', async () => {
  const page = await app.openPage({ signedIn: false });
  await page.goto('/');
  await page.getByRole('button', { name: 'Create an account' }).click();
  const rules = page.getByRole('list', { name: 'Password rules' });
  const rule = (name: RegExp) => rules.getByRole('listitem').filter({ hasText: name });
  const met = async (name: RegExp) => (await rule(name).getAttribute('class'))?.includes('is-met') ?? false;

  await page.getByLabel('Username').fill('shorty');
  await page.getByLabel('Password', { exact: true }).fill('short');
  expect(await met(/At least 8 characters/)).toBe(false);
  await page.getByLabel('Repeat the password').fill('short');
  expect(await met(/Both passwords match/)).toBe(true);

  // Submitted anyway: Dailies says what is wrong (no request is made).
  let signUps = 0;
  page.on('request', (request) => {
    if (request.url().includes('/api/auth/signup')) signUps++;
  });
  await page.getByRole('button', { name: 'Ask for an account' }).click();
  await expect
    .poll(() => page.getByRole('alert').innerText())
    .toContain('The password needs at least 8 characters.');
  expect(signUps).toBe(0);
  await screenshot(page, 'message-password-rules');

  await page.getByLabel('Password', { exact: true }).fill('long enough now');
  expect(await met(/At least 8 characters/)).toBe(true);
  expect(await met(/Both passwords match/)).toBe(false);
  await page.getByLabel('Repeat the password').fill('long enough now');
  expect(await met(/Both passwords match/)).toBe(true);
  await page.getByRole('button', { name: 'Ask for an account' }).click();
  await page.getByRole('heading', { name: 'Waiting for approval' }).waitFor();
});
