/**
 * Phone, tablet and desktop: the media manager's steps (browse, preview, upload, move, search)
 * at 390×844, 768×1024 and 1440×900. At every step the page never scrolls sideways (the
 * document is as wide as the viewport) and every control on screen lies inside it; on narrow
 * windows the controls are touch-sized (≥ 44 px), the tree is a drawer on a phone, the toolbar
 * a menu, the preview full-screen with the metadata under the player.
 * Real: the server processing a clip made by ffmpeg, the built web app, Debian Chromium.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { launchBrowser, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext | undefined;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  const key = 'Phone/A001C001.mp4';
  mkdirSync(join(server.lakeDir, 'Phone'), { recursive: true });
  copyFileSync(await mediaFixture('h264Mp4'), join(server.lakeDir, key));
  await server.seed({ 'Phone/Day 01/': '', 'Phone/Day 02/': '' });
  await eventually(
    async () => (await server.api('GET', '/api/assets?folder=/Phone')).body.items[0]?.state,
    (state) => state === 'ready',
    { timeout: 120_000, message: 'the clip to be processed' },
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
});

/** The page does not scroll sideways, and no visible control sticks out of the viewport. */
async function expectFits(page: Page, step: string): Promise<void> {
  const seen = await page.evaluate(() => {
    const width = window.innerWidth;
    const outside: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      'button, a[href], input:not([type=file]), select, [role=treeitem], [role=menuitem]',
    )) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if (rect.left < -1 || rect.right > width + 1)
        outside.push(`${el.tagName} "${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()}"`);
    }
    return {
      documentWidth: document.documentElement.scrollWidth,
      bodyWidth: document.body.scrollWidth,
      width,
      outside,
    };
  });
  expect(seen.documentWidth, `${step}: document width`).toBe(seen.width);
  expect(seen.bodyWidth, `${step}: body width`).toBeLessThanOrEqual(seen.width);
  expect(seen.outside, `${step}: controls outside the viewport`).toEqual([]);
}

/** Every visible control in `scope` is at least 44 px tall (and wide, for icon-only buttons). */
async function expectTouchSized(page: Page, selector: string, step: string): Promise<void> {
  const small = await page.evaluate((selector) => {
    const found: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(selector)) {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 || rect.height === 0) continue;
      if (rect.height < 43.5 || rect.width < 43.5)
        found.push(
          `${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim()} ${rect.width}×${rect.height}`,
        );
    }
    return found;
  }, selector);
  expect(small, `${step}: controls smaller than 44 px`).toEqual([]);
}

const SIZES = [
  { name: 'phone', width: 390, height: 844, narrow: true, drawer: true },
  { name: 'tablet', width: 768, height: 1024, narrow: true, drawer: false },
  { name: 'desktop', width: 1440, height: 900, narrow: false, drawer: false },
] as const;

describe.each(SIZES)('$name ($width×$height)', (size) => {
  const shot = (page: Page, step: string) => screenshot(page, `responsive-${size.name}-${step}`);

  async function open(): Promise<Page> {
    context = await browser.newContext({
      baseURL: server.url,
      viewport: { width: size.width, height: size.height },
      hasTouch: size.narrow,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(20_000);
    await signIn(context, 'admin', ADMIN_PASSWORD);
    return page;
  }

  /** The toolbar's action, from the menu on narrow windows or the button on a desktop. */
  async function toolbarAction(page: Page, menuItem: RegExp, button: string): Promise<void> {
    if (size.narrow) {
      await page
        .getByRole('toolbar', { name: 'Actions' })
        .getByRole('button', { name: /^Actions/ })
        .click();
      const menu = page.getByRole('menu');
      await expectFits(page, `menu for ${menuItem}`);
      await expectTouchSized(page, '[role=menuitem]', 'toolbar menu');
      await menu.getByRole('menuitem', { name: menuItem }).click();
    } else await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: button }).click();
  }

  it('browses, opens folders from the tree, and reaches every toolbar action', async () => {
    const page = await open();
    await page.goto(browseUrl('/Phone'));
    await row(page, 'A001C001.mp4').waitFor();
    await expectFits(page, 'folder');
    await shot(page, 'folder');
    if (size.narrow) {
      await expectTouchSized(page, '.topnav a, .toolbar button, .main__head button', 'top of the page');
      // Compact rows: name, status and duration; tall enough to tap.
      const height = await row(page, 'A001C001.mp4').evaluate((r) => r.getBoundingClientRect().height);
      expect(height).toBeGreaterThanOrEqual(44);
      await expect
        .poll(() => page.locator('thead [role=columnheader]').allInnerTexts())
        .toEqual(['', 'Name', 'Status', 'Duration']);
    }

    const tree = page.getByRole('tree', { name: 'Folders' });
    if (size.drawer) {
      expect(await tree.isVisible()).toBe(false);
      await page.getByRole('button', { name: 'Folders' }).click();
      await expect.poll(() => tree.isVisible()).toBe(true);
      await expectFits(page, 'drawer');
      await expectTouchSized(page, '.sidebar .tree__item', 'tree');
      await shot(page, 'drawer');
    }
    await tree.getByRole('treeitem', { name: 'Day 02' }).click();
    await page.waitForURL(/\/browse\/Phone\/Day%2002/);
    if (size.drawer) await expect.poll(() => tree.isVisible()).toBe(false);
    await page.goBack();
    await row(page, 'A001C001.mp4').waitFor();

    // Every action of the toolbar can be reached: on narrow windows through its menu.
    await toolbarAction(page, /^Create Folder/, 'Create Folder');
    const create = dialog(page, 'Create folder');
    await create.getByLabel('Folder name').fill(`Selects ${size.name}`);
    await expectFits(page, 'create folder dialog');
    await create.getByRole('button', { name: 'Create Folder' }).click();
    await row(page, `Selects ${size.name}`).waitFor();

    await toolbarAction(page, /layout/, 'Card layout');
    await page.waitForURL(/view=cards/);
    await expect.poll(() => page.getByRole('gridcell', { name: 'A001C001.mp4' }).count()).toBe(1);
    await expectFits(page, 'cards');
    await shot(page, 'cards');
  });

  it('previews the clip: visible, playing, metadata reachable', async () => {
    const page = await open();
    await page.goto(browseUrl('/Phone'));
    await row(page, 'A001C001.mp4').waitFor();
    // A tap opens a row on narrow windows; a desktop opens it with a double-click.
    if (size.narrow) await row(page, 'A001C001.mp4').locator('.name-cell__text').click();
    else await row(page, 'A001C001.mp4').dblclick();
    const preview = dialog(page, 'A001C001.mp4');
    const video = preview.getByTestId('preview-video');
    await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).currentTime)).toBeGreaterThan(0);
    const box = (await video.boundingBox())!;
    expect(box.width).toBeGreaterThan(size.width / 3);
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(size.width);
    expect(box.y + box.height).toBeLessThanOrEqual(size.height);
    const metadata = preview.getByRole('complementary', { name: 'Technical metadata' });
    const side = (await metadata.boundingBox())!;
    if (size.narrow) {
      // Full screen, the metadata under the player.
      const dialogBox = (await preview.boundingBox())!;
      expect(dialogBox.width).toBe(size.width);
      expect(side.y).toBeGreaterThanOrEqual(box.y + box.height);
      await expectTouchSized(page, '.player__controls button', 'player');
    } else expect(side.x).toBeGreaterThanOrEqual(box.x + box.width);
    await expectFits(page, 'preview');
    await shot(page, 'preview');
    await metadata.getByText('Duration').scrollIntoViewIfNeeded();
    expect(await metadata.getByText('Duration').isVisible()).toBe(true);
    await preview.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => preview.count()).toBe(0);
  });

  it('uploads a file, moves it to another folder, and finds it by search', async () => {
    const page = await open();
    const name = `${size.name}-note.txt`;
    const file = join(mkdtempSync(join(tmpdir(), 'dailies-e2e-')), name);
    writeFileSync(file, `hello from the ${size.name}`);
    await page.goto(browseUrl('/Phone/Day 01'));
    await expect.poll(() => page.getByText('This folder is empty').isVisible()).toBe(true);
    await expectFits(page, 'empty folder');

    await toolbarAction(page, /^Upload files/, 'Create New');
    const upload = dialog(page, 'Upload media');
    await expectFits(page, 'upload dialog');
    await shot(page, 'upload-dialog');
    await upload.getByTestId('upload-files-input').setInputFiles(file);
    await upload.getByRole('button', { name: 'Upload 1 file' }).click();
    await expectRows(page, [name], 'the upload to land');

    // Select it (the checkbox cell on narrow windows, a click on a desktop), then Move.
    if (size.narrow) await row(page, name).getByRole('checkbox').click();
    else await row(page, name).click();
    await expect.poll(() => row(page, name).getAttribute('aria-selected')).toBe('true');
    if (size.narrow) await toolbarAction(page, /^Move to Folder/, '');
    else {
      await row(page, name).click({ button: 'right' });
      await page
        .getByRole('menu')
        .getByRole('menuitem', { name: /Move to Folder/ })
        .click();
    }
    const picker = dialog(page, 'Move 1 asset to folder');
    await picker.getByRole('treeitem', { name: 'Day 02' }).click();
    await expectFits(page, 'move picker');
    await shot(page, 'move-picker');
    await picker.getByRole('button', { name: 'Move' }).click();
    await expect.poll(() => page.getByText('This folder is empty').isVisible()).toBe(true);

    const search = page.getByRole('searchbox');
    await search.fill(name.replace('.txt', ''));
    await search.press('Enter');
    await page.waitForURL(/\/search\?/);
    await expectRows(page, [name], 'the search result');
    await expectFits(page, 'search');
    await shot(page, 'search');
  });
});
