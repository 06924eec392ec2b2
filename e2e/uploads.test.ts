/**
 * Uploads in the browser through tus: many files with progress, whole folders with their
 * structure, drag and drop, cancel, and a resume after the page reloads mid-upload. Real:
 * the server (tus into an fs lake), the built web app, Debian Chromium (throttled through
 * DevTools where an upload must be caught half-way).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn, throttleUploads } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, rowNames } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let files: string;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  files = mkdtempSync(join(tmpdir(), 'dailies-e2e-files-'));
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(files, { recursive: true, force: true });
});

beforeEach(async () => {
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
});

afterEach(async () => {
  await context.close();
});

function makeFile(relative: string, size: number): { path: string; bytes: Buffer } {
  const bytes = randomBytes(size);
  const path = join(files, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return { path, bytes };
}

const uploadPanel = () => page.getByRole('region', { name: 'Uploads' });
const uploadStates = () => uploadPanel().getByTestId('upload-item').allInnerTexts();

describe('uploads', () => {
  it('uploads several files with per-file and overall progress; rows appear without a reload', async () => {
    const a = makeFile('many/A001C001.mov', 3 * 1024 * 1024);
    const b = makeFile('many/A001C002.mov', 2 * 1024 * 1024);
    await server.seed({ 'Upload/': '' });
    await page.goto(browseUrl('/Upload'));
    await page.getByText('This folder is empty').waitFor();
    await throttleUploads(page, 2 * 1024 * 1024);

    await page.getByRole('button', { name: 'Create New' }).click();
    const upload = dialog(page, 'Upload media');
    await upload.getByTestId('upload-files-input').setInputFiles([a.path, b.path]);
    await expect.poll(() => upload.innerText()).toContain('2 files');
    await upload.getByRole('button', { name: 'Upload 2 files' }).click();

    const overall = uploadPanel().getByRole('progressbar', { name: 'Overall upload progress' });
    await eventually(
      async () => Number(await overall.getAttribute('aria-valuenow')),
      (value) => value > 0 && value < 100,
      { message: 'overall progress between 0 and 100' },
    );
    // Counted before the screenshot: axe over the page takes long enough for the upload to finish.
    expect(await uploadPanel().getByRole('progressbar', { name: 'Upload of A001C001.mov' }).count()).toBe(1);
    await screenshot(page, 'upload-progress');

    await eventually(uploadStates, (s) => s.length === 2 && s.every((t) => t.includes('Done')), {
      timeout: 60_000,
      message: 'both uploads done',
    });
    await expectRows(page, ['A001C001.mov', 'A001C002.mov'], 'the uploaded rows, without a reload');
    expect(readFileSync(join(server.lakeDir, 'Upload/A001C001.mov')).equals(a.bytes)).toBe(true);
    expect(readFileSync(join(server.lakeDir, 'Upload/A001C002.mov')).equals(b.bytes)).toBe(true);
  });

  it('uploads a whole folder and keeps its structure', async () => {
    makeFile('card/A001/CLIP/A001C001.mov', 4096);
    makeFile('card/A001/CLIP/A001C002.mov', 4096);
    makeFile('card/A001/A001.xml', 200);
    await server.seed({ 'Cards In/': '' });
    await page.goto(browseUrl('/Cards In'));
    await page.getByRole('button', { name: 'Create New' }).click();
    const upload = dialog(page, 'Upload media');
    await upload.getByTestId('upload-folder-input').setInputFiles(join(files, 'card/A001'));
    await expect.poll(() => upload.innerText()).toContain('A001/CLIP/A001C001.mov');
    await upload.getByRole('button', { name: 'Upload 3 files' }).click();
    await eventually(uploadStates, (s) => s.length === 3 && s.every((t) => t.includes('Done')), {
      timeout: 60_000,
      message: 'all three uploads done',
    });
    expect(existsSync(join(server.lakeDir, 'Cards In/A001/CLIP/A001C002.mov'))).toBe(true);
    expect(existsSync(join(server.lakeDir, 'Cards In/A001/A001.xml'))).toBe(true);
    await expectRows(page, ['A001'], 'the new folder');
  });

  it('uploads files dropped on the folder view', async () => {
    await server.seed({ 'Dropped/': '' });
    await page.goto(browseUrl('/Dropped'));
    await page.getByText('This folder is empty').waitFor();
    await page.evaluate(() => {
      const data = new DataTransfer();
      data.items.add(new File(['first dropped clip'], 'drop1.mov'));
      data.items.add(new File(['second dropped clip'], 'drop2.wav'));
      const target = document.querySelector('section.main')!;
      for (const type of ['dragenter', 'dragover', 'drop'])
        target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await expectRows(page, ['drop1.mov', 'drop2.wav'], 'the dropped files');
    expect(readFileSync(join(server.lakeDir, 'Dropped/drop2.wav'), 'utf8')).toBe('second dropped clip');
  });

  it('closing the file picker without a choice keeps the dialog and the files chosen; Escape closes it', async () => {
    const clip = makeFile('picker/clip.mov', 1024);
    await server.seed({ 'Picker/': '' });
    await page.goto(browseUrl('/Picker'));
    await page.getByRole('button', { name: 'Create New' }).click();
    const upload = dialog(page, 'Upload media');
    await upload.getByTestId('upload-files-input').setInputFiles(clip.path);
    // What Chromium does when the picker is closed without a choice: a cancel event that bubbles
    // from the input to the dialog (it closed the dialog, whose own cancel is Escape).
    await upload.getByTestId('upload-files-input').dispatchEvent('cancel');
    await page.waitForTimeout(200);
    expect(await upload.isVisible()).toBe(true);
    await upload.getByRole('button', { name: 'Upload 1 file' }).waitFor();
    await page.keyboard.press('Escape');
    await upload.waitFor({ state: 'hidden' });
  });

  it('cancels an upload: no asset, nothing left in the folder', async () => {
    const big = makeFile('cancel/big.mov', 6 * 1024 * 1024);
    await server.seed({ 'Cancel/': '' });
    await page.goto(browseUrl('/Cancel'));
    await throttleUploads(page, 512 * 1024);
    await page.getByRole('button', { name: 'Create New' }).click();
    await dialog(page, 'Upload media').getByTestId('upload-files-input').setInputFiles(big.path);
    await dialog(page, 'Upload media').getByRole('button', { name: 'Upload 1 file' }).click();
    const bar = uploadPanel().getByRole('progressbar', { name: 'Upload of big.mov' });
    await eventually(
      async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0),
      (v) => v > 0,
      {
        message: 'the upload to start',
      },
    );
    await uploadPanel().getByRole('button', { name: 'Cancel big.mov' }).click();
    await eventually(uploadStates, (s) => s.length === 1 && s[0].includes('Cancelled'), {
      message: 'cancelled',
    });
    await page.waitForTimeout(500);
    expect(existsSync(join(server.lakeDir, 'Cancel/big.mov'))).toBe(false);
    const listing = await server.api('GET', '/api/assets?folder=/Cancel');
    expect(listing.body.total).toBe(0);
  });

  it('resumes an upload interrupted by a page reload', async () => {
    const clip = makeFile('resume/long take.mov', 8 * 1024 * 1024);
    await server.seed({ 'Resume/': '' });
    await page.goto(browseUrl('/Resume'));
    await throttleUploads(page, 1024 * 1024);
    await page.getByRole('button', { name: 'Create New' }).click();
    await dialog(page, 'Upload media').getByTestId('upload-files-input').setInputFiles(clip.path);
    await dialog(page, 'Upload media').getByRole('button', { name: 'Upload 1 file' }).click();
    const bar = uploadPanel().getByRole('progressbar', { name: 'Upload of long take.mov' });
    await eventually(
      async () => Number((await bar.getAttribute('aria-valuenow')) ?? 0),
      (v) => v >= 25,
      {
        timeout: 30_000,
        message: 'a quarter of the upload',
      },
    );

    await page.reload();
    await throttleUploads(page, 4 * 1024 * 1024);
    const patches: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH' && request.url().includes('/api/uploads/'))
        patches.push(Number(request.headers()['upload-offset']));
    });
    await page.getByRole('button', { name: 'Create New' }).click();
    const upload = dialog(page, 'Upload media');
    await expect.poll(() => upload.getByRole('note').innerText()).toContain('long take.mov');
    await screenshot(page, 'upload-resume');
    await upload.getByTestId('upload-files-input').setInputFiles(clip.path);
    await upload.getByRole('button', { name: 'Upload 1 file' }).click();
    await eventually(uploadStates, (s) => s.length === 1 && s[0].includes('Done'), {
      timeout: 60_000,
      message: 'the resumed upload to finish',
    });
    expect(patches.length).toBeGreaterThan(0);
    expect(patches[0]).toBeGreaterThan(0);
    expect(readFileSync(join(server.lakeDir, 'Resume/long take.mov')).equals(clip.bytes)).toBe(true);
    await eventually(
      () => rowNames(page),
      (names) => names.includes('long take.mov'),
      { message: 'the row' },
    );
  });
});
