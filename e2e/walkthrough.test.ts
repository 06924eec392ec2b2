/**
 * The article's walkthrough as one story, in the order a media manager lives it: the first
 * admin signs in with the generated password and replaces it, points Dailies at the lake in
 * Settings, creates a folder, uploads two clips (made by ffmpeg) watching their progress,
 * sees them turn ready without reloading, previews one, files both into a sub-folder, copies
 * one to the edit volume and takes it off again, and keeps the folder to another group; an
 * editor then neither sees the folder nor finds its clips by search. Real: the server with
 * real processing (ffprobe, mediainfo, ffmpeg), an fs lake and edit volume, the built web
 * app, Debian Chromium. Each step leaves a screenshot in e2e/screenshots/walkthrough-*.png.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { launchBrowser, newPage, screenshot, throttleUploads } from './support/browser.js';
import { type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames, statusBar } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let scratch: string;
let volumeDir: string;
/** The lake the admin chooses in Settings (the server starts on another). */
let lakeDir: string;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'dailies-e2e-walk-'));
  volumeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-walk-volume-'));
  lakeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-walk-lake-'));
  server = await startServer(
    {
      // MAPS's sign-up: an editor who signs up is in at once.
      signUp: 'open',
      volumes: [
        { id: 'edit', name: 'Edit', path: volumeDir, displayPath: '\\\\fsx\\edit', groups: ['editors'] },
      ],
    },
    { generatedAdminPassword: true },
  );
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
  rmSync(volumeDir, { recursive: true, force: true });
  rmSync(lakeDir, { recursive: true, force: true });
});

async function signInAs(page: Page, username: string, password: string) {
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** The status cell and the location chips beside it, read as one: `Ready lake + Edit`. */
const status = async (page: Page, name: string) =>
  `${await row(page, name).getByTestId('asset-status').innerText()} ${(
    await row(page, name).locator('.location-chip:not(.location-chip--more)').allTextContents()
  ).join(' + ')}`;

async function fromMenu(page: Page, name: string, item: string | RegExp) {
  await row(page, name).click({ button: 'right' });
  await page.getByRole('menu').getByRole('menuitem', { name: item }).click();
}

describe('the walkthrough', () => {
  it('an admin sets up, ingests, previews, organises and shares; an editor of another group sees none of it', async () => {
    // Two clips as a camera card would hold them, made by ffmpeg.
    const clipA = join(scratch, 'A001C001.mov');
    const clipB = join(scratch, 'A001C002.mp4');
    copyFileSync(await mediaFixture('proresMov'), clipA);
    copyFileSync(await mediaFixture('h264Mp4'), clipB);

    const { context, page } = await newPage(browser, server.url);

    // 1. The first admin signs in with the generated password and must replace it.
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await signInAs(page, 'admin', server.adminPassword);
    await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
    // The password of the sign-in just made is not asked for again.
    expect(await page.getByLabel('Current password').count()).toBe(0);
    await page.getByLabel('New password', { exact: true }).fill('walkthrough admin secret');
    await page.getByLabel('Repeat the new password').fill('walkthrough admin secret');
    await screenshot(page, 'walkthrough-01-change-password');
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();

    // 2. The lake: a directory on the server, chosen in Settings.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('radio', { name: 'Directory on the server' }).check();
    await page.getByRole('textbox', { name: 'Directory' }).fill(lakeDir);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('.toast', { hasText: 'Settings saved' }).waitFor();
    await screenshot(page, 'walkthrough-02-settings');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Media' }).click();
    await page.getByText('This folder is empty').waitFor();

    // 3. A folder for the shoot day.
    await page.getByRole('button', { name: 'Create Folder' }).click();
    await dialog(page, 'Create folder').getByLabel('Folder name').fill('Day 01');
    await dialog(page, 'Create folder').getByRole('button', { name: 'Create Folder' }).click();
    await expectRows(page, ['Day 01']);
    await row(page, 'Day 01').dblclick();
    await page.waitForURL(/\/browse\/Day%2001$/);
    await page.getByText('This folder is empty').waitFor();

    // 4. Two clips uploaded, with progress shown per file and overall.
    const cdp = await throttleUploads(page, 512 * 1024);
    await page.getByRole('button', { name: 'Create New' }).click();
    const upload = dialog(page, 'Upload media');
    await upload.getByTestId('upload-files-input').setInputFiles([clipA, clipB]);
    await upload.getByRole('button', { name: 'Upload 2 files' }).click();
    const panel = page.getByRole('region', { name: 'Uploads' });
    const overall = panel.getByRole('progressbar', { name: 'Overall upload progress' });
    await eventually(
      async () => Number(await overall.getAttribute('aria-valuenow')),
      (value) => value > 0 && value < 100,
      { message: 'overall progress between 0 and 100' },
    );
    expect(await panel.getByRole('progressbar', { name: 'Upload of A001C001.mov' }).count()).toBe(1);
    await screenshot(page, 'walkthrough-03-uploading');
    await eventually(
      () => panel.getByTestId('upload-item').allInnerTexts(),
      (items) => items.length === 2 && items.every((t) => t.includes('Done')),
      { timeout: 60_000, message: 'both uploads done' },
    );
    await cdp.detach();

    // 5. The rows turn ready as processing finishes, without a reload.
    let reloaded = false;
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) reloaded = true;
    });
    await expectRows(page, ['A001C001.mov', 'A001C002.mp4'], 'the uploaded rows');
    for (const name of ['A001C001.mov', 'A001C002.mp4'])
      await eventually(
        () => status(page, name),
        (text) => text.includes('Ready'),
        { timeout: 90_000, message: `${name} to be ready` },
      );
    expect(reloaded).toBe(false);
    await screenshot(page, 'walkthrough-04-ready');

    // 6. Preview: the proxy plays, the metadata gives the frame rate.
    await row(page, 'A001C001.mov').dblclick();
    const preview = dialog(page, 'A001C001.mov');
    const metadata = preview.getByRole('complementary', { name: 'Technical metadata' });
    await expect.poll(() => metadata.innerText()).toContain('23.976 fps');
    expect(await metadata.innerText()).toMatch(/Uploaded by\s+admin\n/);
    const video = preview.getByTestId('preview-video');
    await eventually(
      () => video.evaluate((v) => (v as HTMLVideoElement).currentTime),
      (t) => t > 0.3,
      { message: 'the proxy to play' },
    );
    await screenshot(page, 'walkthrough-05-preview');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);

    // 7. Both filed into a sub-folder.
    await page.getByRole('button', { name: 'Create Folder' }).click();
    await dialog(page, 'Create folder').getByLabel('Folder name').fill('Selects');
    await dialog(page, 'Create folder').getByRole('button', { name: 'Create Folder' }).click();
    await expectRows(page, ['Selects', 'A001C001.mov', 'A001C002.mp4']);
    await row(page, 'A001C001.mov').click();
    await row(page, 'A001C002.mp4').click({ modifiers: ['Shift'] });
    await fromMenu(page, 'A001C002.mp4', /Move to Folder/);
    const picker = dialog(page, 'Move 2 assets to folder');
    await picker.getByRole('treeitem', { name: 'Selects' }).click();
    await screenshot(page, 'walkthrough-06-move');
    await picker.getByRole('button', { name: 'Move' }).click();
    await expectRows(page, ['Selects'], 'the moved clips to leave');
    await row(page, 'Selects').dblclick();
    await page.waitForURL(/\/browse\/Day%2001\/Selects$/);
    await expectRows(page, ['A001C001.mov', 'A001C002.mp4']);
    expect(existsSync(join(lakeDir, 'Day 01/Selects/A001C001.mov'))).toBe(true);
    // In the lake chosen in Settings, not the one the server started with.
    expect(existsSync(join(server.lakeDir, 'Day 01'))).toBe(false);

    // 8. One clip to the edit volume and off again; its status follows.
    expect(await status(page, 'A001C002.mp4')).toMatch(/lake$/);
    await fromMenu(page, 'A001C002.mp4', 'Copy to Edit Volume…');
    await dialog(page, 'Copy 1 asset to an edit volume').getByRole('button', { name: 'Copy' }).click();
    await eventually(
      () => status(page, 'A001C002.mp4'),
      (text) => text.includes('lake + Edit'),
      { timeout: 30_000, message: 'the status to show the copy on Edit' },
    );
    expect(existsSync(join(volumeDir, 'Day 01/Selects/A001C002.mp4'))).toBe(true);
    await screenshot(page, 'walkthrough-07-on-edit-volume');
    await fromMenu(page, 'A001C002.mp4', 'Remove from Edit Volume…');
    await dialog(page, 'Remove 1 asset from an edit volume').getByRole('button', { name: 'Remove' }).click();
    await eventually(
      () => status(page, 'A001C002.mp4'),
      (text) => /lake$/.test(text) && !text.includes('Edit'),
      { timeout: 30_000, message: 'the status to be back to the lake only' },
    );
    expect(existsSync(join(volumeDir, 'Day 01/Selects/A001C002.mp4'))).toBe(false);

    // 9. The folder is kept to the grading group: editors lose it.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin' }).getByRole('link', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'New group' }).click();
    await dialog(page, 'New group').getByLabel('Name').fill('grading');
    await dialog(page, 'New group').getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('table', { name: 'Groups' }).getByText('grading').waitFor();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Media' }).click();
    await expectRows(page, ['Day 01']);
    await fromMenu(page, 'Day 01', 'Permissions…');
    const perms = dialog(page, 'Permissions for Day 01');
    await perms.getByRole('checkbox', { name: 'editors' }).uncheck();
    await perms.getByRole('checkbox', { name: 'grading' }).check();
    await screenshot(page, 'walkthrough-08-permissions');
    await perms.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    await context.close();

    // 10. An editor signs up and sees neither the folder nor its clips in a search.
    const editor = await newPage(browser, server.url);
    try {
      const p = editor.page;
      await p.goto('/');
      await p.getByRole('button', { name: 'Create an account' }).click();
      await p.getByLabel('Username').fill('eddie');
      await p.getByLabel('Password', { exact: true }).fill('eddie-password');
      await p.getByLabel('Repeat the password').fill('eddie-password');
      await p.getByRole('button', { name: 'Create account' }).click();
      await p.getByRole('navigation', { name: 'Breadcrumbs' }).waitFor();
      await p.getByText('This folder is empty').waitFor();
      expect(await rowNames(p)).toEqual([]);
      expect(await p.getByRole('tree', { name: 'Folders' }).innerText()).not.toContain('Day 01');
      await screenshot(p, 'walkthrough-09-editor-root');

      const box = p.getByRole('searchbox', { name: 'Search the lake' });
      await box.pressSequentially('A001', { delay: 40 });
      await p.waitForURL(/\/search\?.*q=A001/);
      await p.getByText('No assets match').waitFor();
      await expect.poll(() => statusBar(p).innerText()).toContain('0 matches in the lake');
      await screenshot(p, 'walkthrough-10-editor-search');

      await p.goto(browseUrl('/Day 01/Selects'));
      await p.getByText('This folder cannot be shown').waitFor();
    } finally {
      await editor.context.close();
    }
  }, 300_000);
});
