/**
 * The keyboard: `/` jumps to the search box, `?` lists the shortcuts, a dialog or the preview
 * gives focus back to the row that opened it, and the preview keeps its frame and never shows
 * a made-up timecode while the asset and its metadata load.
 * Real: the server processing a ProRes clip with a 01:00:00:00 timecode, Debian Chromium.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, expectRows, row } from './support/ui.js';

const app = appUnderTest({
  prepare: async (server) => {
    mkdirSync(join(server.lakeDir, 'Keys'), { recursive: true });
    copyFileSync(await mediaFixture('proresMov'), join(server.lakeDir, 'Keys/A001C001.mov'));
    await server.seed({ 'Keys/notes.txt': 'hello', 'Keys/Day 01/': '' });
    await eventually(
      async () => (await server.api('GET', '/api/assets?folder=/Keys')).body.items.map((a: any) => a.state),
      (states: string[]) => states.length === 2 && states.every((s) => s === 'ready'),
      { timeout: 120_000, message: 'the clip to be processed' },
    );
  },
  eachPage: async (page) => {
    await page.goto(browseUrl('/Keys'));
    await expectRows(page, ['Day 01', 'A001C001.mov', 'notes.txt']);
  },
});

const table = () => app.page.getByRole('grid', { name: 'Folders and assets' });
/** The row the table's focus is on (it keeps one focused row, named by aria-activedescendant). */
const focusedRowName = () =>
  app.page.evaluate(() => {
    const active = document.activeElement;
    const id = active?.getAttribute('aria-activedescendant');
    const focusedRow = id ? document.getElementById(id) : null;
    return focusedRow?.querySelector('.name-cell__text')?.textContent ?? `(focus on ${active?.tagName})`;
  });

it('`/` focuses the search box without typing a slash; `?` shows the shortcuts', async () => {
  const { page } = app;
  await row(page, 'notes.txt').click();
  await page.keyboard.press('/');
  const search = page.getByRole('searchbox', { name: 'Search the lake' });
  await expect.poll(() => search.evaluate((el) => el === document.activeElement)).toBe(true);
  expect(await search.inputValue()).toBe('');
  // In the search box, `/` and `?` are text.
  await page.keyboard.type('a/b?');
  expect(await search.inputValue()).toBe('a/b?');

  await page.goto(browseUrl('/Keys'));
  await row(page, 'notes.txt').click();
  await page.keyboard.press('Shift+Slash');
  const shortcuts = dialog(page, 'Keyboard shortcuts');
  await expect.poll(() => shortcuts.isVisible()).toBe(true);
  expect(await shortcuts.innerText()).toContain('Search the lake');
  await screenshot(page, 'keyboard-shortcuts');
  await page.keyboard.press('Escape');
  await expect.poll(() => shortcuts.count()).toBe(0);
  await expect.poll(focusedRowName).toBe('notes.txt');
});

it('gives focus back to the row after the preview and after a dialog from the context menu', async () => {
  const { page } = app;
  await table().focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect.poll(focusedRowName).toBe('A001C001.mov');
  await page.keyboard.press('Enter');
  const preview = dialog(page, 'A001C001.mov');
  await expect.poll(() => preview.isVisible()).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => preview.count()).toBe(0);
  await expect.poll(focusedRowName).toBe('A001C001.mov');

  // Shift+F10 opens the row's menu; Rename…, then Escape: back on the same row.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Shift+F10');
  await page.getByRole('menu').getByRole('menuitem', { name: 'Rename…' }).click();
  const rename = dialog(page, 'Rename asset');
  await expect.poll(() => rename.isVisible()).toBe(true);
  await page.keyboard.press('Escape');
  await expect.poll(() => rename.count()).toBe(0);
  await expect.poll(focusedRowName).toBe('notes.txt');
  // And the keyboard goes on from there.
  await page.keyboard.press('ArrowUp');
  await expect.poll(focusedRowName).toBe('A001C001.mov');
});

it('the preview keeps its frame while loading and shows no timecode before the metadata', async () => {
  const { page } = app;
  const id = await row(page, 'A001C001.mov').getAttribute('data-row-id');
  // Hold the asset back, then its metadata, to see the preview before each arrives.
  const gate = () => {
    let open!: () => void;
    const opened = new Promise<void>((resolve) => {
      open = resolve;
    });
    return { open, opened };
  };
  const assetGate = gate();
  const metadataGate = gate();
  await page.route(`**/api/assets/${id}`, async (route) => {
    await assetGate.opened;
    await route.continue();
  });
  await page.route(`**/api/assets/${id}/metadata`, async (route) => {
    await metadataGate.opened;
    await route.continue();
  });
  await row(page, 'A001C001.mov').dblclick();
  const preview = dialog(page, 'Preview');
  await expect.poll(() => preview.locator('.preview[aria-busy="true"]').count()).toBe(1);
  const loadingStage = (await preview.locator('.player__screen').boundingBox())!;
  await screenshot(page, 'preview-loading');

  assetGate.open();
  const loaded = dialog(page, 'A001C001.mov');
  const timecode = loaded.getByTestId('timecode');
  await expect.poll(() => timecode.innerText()).toBe('--:--:--:--');
  const stage = (await loaded.locator('.player__screen').boundingBox())!;
  expect(Math.abs(stage.y - loadingStage.y)).toBeLessThanOrEqual(1);
  expect(Math.abs(stage.height - loadingStage.height)).toBeLessThanOrEqual(1);

  metadataGate.open();
  await expect.poll(() => timecode.innerText()).toMatch(/^01:00:00:\d\d$/);
});
