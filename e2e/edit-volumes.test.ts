/**
 * Edit volumes from the browser: Copy to Edit Volume and Remove from Edit Volume on the
 * context menu, the status column following each change live (no reload), and a file an
 * editor changed on the volume kept and reported until an admin forces its removal. Real:
 * the server with an fs lake and an edit volume directory, real ffmpeg processing, the built
 * web app, Debian Chromium.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let volumeDir: string;

beforeAll(async () => {
  volumeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-volume-'));
  server = await startServer({
    volumes: [
      { id: 'edit', name: 'Edit', path: volumeDir, displayPath: '\\\\fsx\\share', groups: ['editors'] },
    ],
  });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(volumeDir, { recursive: true, force: true });
});

beforeEach(async () => {
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
});

afterEach(async () => {
  await context.close();
});

/** The status cell and the location chips beside it, read as one: `Ready lake + Edit`. */
const status = async (name: string) =>
  `${await row(page, name).getByTestId('asset-status').innerText()} ${(
    await row(page, name).locator('.location-chip:not(.location-chip--more)').allTextContents()
  ).join(' + ')}`;

/** Seeds a real clip into the lake and waits until it is processed (checksums known). */
async function seedClip(folder: string, name: string) {
  const source = await mediaFixture('h264Mp4');
  const target = join(server.lakeDir, folder, name);
  mkdirSync(join(target, '..'), { recursive: true });
  copyFileSync(source, target);
  await server.dailies.indexing.reconcile();
  await page.goto(browseUrl(`/${folder}`));
  await expectRows(page, [name]);
  await eventually(
    () => status(name),
    (text) => text.includes('Ready'),
    { timeout: 60_000, message: `${name} to be processed` },
  );
}

async function fromMenu(name: string, item: string) {
  await row(page, name).click({ button: 'right' });
  await page.getByRole('menuitem', { name: item }).click();
}

describe('edit volumes', () => {
  it('copies to the volume and removes again; the status follows live', async () => {
    await seedClip('Volume Day', 'clip.mp4');
    expect(await status('clip.mp4')).toMatch(/Ready\s*lake$/);

    await fromMenu('clip.mp4', 'Copy to Edit Volume…');
    const copy = dialog(page, 'Copy 1 asset to an edit volume');
    expect(await copy.getByRole('radio', { name: /Edit/ }).isChecked()).toBe(true);
    await screenshot(page, 'volume-dialog');
    await copy.getByRole('button', { name: 'Copy' }).click();
    await eventually(
      () => status('clip.mp4'),
      (text) => text.includes('lake + Edit'),
      { timeout: 30_000, message: 'the status to show the copy on Edit' },
    );
    // The folder path is kept under the volume root.
    expect(existsSync(join(volumeDir, 'Volume Day', 'clip.mp4'))).toBe(true);
    await screenshot(page, 'volume-copied');

    await fromMenu('clip.mp4', 'Remove from Edit Volume…');
    await dialog(page, 'Remove 1 asset from an edit volume').getByRole('button', { name: 'Remove' }).click();
    await eventually(
      () => status('clip.mp4'),
      (text) => /lake$/.test(text) && !text.includes('Edit'),
      { timeout: 30_000, message: 'the status to be back to the lake only' },
    );
    expect(existsSync(join(volumeDir, 'Volume Day', 'clip.mp4'))).toBe(false);
  });

  it('keeps a file changed on the volume and reports it; an admin may force its removal', async () => {
    await seedClip('Changed Day', 'take.mp4');
    await row(page, 'take.mp4').click();
    const toolbar = page.getByRole('toolbar', { name: 'Actions' });
    await toolbar.getByRole('button', { name: 'Edit Volume' }).click();
    await page.getByRole('menuitem', { name: 'Copy to Edit Volume…' }).click();
    await dialog(page, 'Copy 1 asset to an edit volume').getByRole('button', { name: 'Copy' }).click();
    await eventually(
      () => status('take.mp4'),
      (text) => text.includes('lake + Edit'),
      { timeout: 30_000 },
    );

    const onVolume = join(volumeDir, 'Changed Day', 'take.mp4');
    writeFileSync(onVolume, 'an editor saved over it');
    await toolbar.getByRole('button', { name: 'Edit Volume' }).click();
    await page.getByRole('menuitem', { name: 'Remove from Edit Volume…' }).click();
    await dialog(page, 'Remove 1 asset from an edit volume').getByRole('button', { name: 'Remove' }).click();
    const report = page.locator('.toast', { hasText: 'Kept 1 file on Edit' });
    await report.waitFor();
    await screenshot(page, 'volume-kept');
    expect(await report.innerText()).toContain('Kept');
    expect(existsSync(onVolume)).toBe(true);

    await report.getByRole('button', { name: 'Force removal' }).click();
    await eventually(
      async () => existsSync(onVolume),
      (exists) => !exists,
      { message: 'the forced removal to delete the changed file' },
    );
    await eventually(
      () => status('take.mp4'),
      (text) => !text.includes('Edit'),
    );
  });
});
