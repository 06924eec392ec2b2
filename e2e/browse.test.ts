/**
 * The media manager's day in the browser: browse, create folders, sort, select, move, rename,
 * delete and restore, download. Real: the server (SQLite catalog, fs lake, in-process job
 * workers), the built web app, Debian Chromium. Each test works in its own folder.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row, statusBar } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let page: Page;
let closePage: () => Promise<void>;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  const opened = await newPage(browser, server.url);
  await signIn(opened.context, 'admin', ADMIN_PASSWORD);
  page = opened.page;
  closePage = () => opened.context.close();
});

afterEach(async () => {
  await closePage();
});

const bytes = (n: number, fill = 1) => Buffer.alloc(n, fill);

/** Catalog rows with no files behind them, in a new top-level folder: many rows, quickly. */
async function catalogRows(folderName: string, assets: Array<{ name: string; size: number }>): Promise<void> {
  await server.seed({ [`${folderName}/`]: '' });
  const folder = (await server.dailies.catalog.folders.getByPath(`/${folderName}`))!;
  const rows = assets.map(({ name, size }, i) =>
    newAsset(
      { key: `${folderName}/${name}`, size, etag: randomUUID(), mtime: i },
      folder.id,
      name,
      Date.now(),
    ),
  );
  await server.dailies.catalog.transaction((trx) => trx.assets.insertMany(rows));
}

describe('browsing', () => {
  it('lists folders first, opens them by double-click, tree and breadcrumbs', async () => {
    await server.seed({
      'Browse/Day 01/Cam A/A001C001.mov': bytes(1200),
      'Browse/Day 01/Cam A/A001C002.mov': bytes(1300),
      'Browse/Day 01/B001C001.mxf': bytes(900),
      'Browse/Day 02/': '',
    });
    await page.goto(browseUrl('/Browse'));
    await expectRows(page, ['Day 01', 'Day 02']);

    await row(page, 'Day 01').dblclick();
    await page.waitForURL(/\/browse\/Browse\/Day%2001$/);
    await expectRows(page, ['Cam A', 'B001C001.mxf'], 'folders before assets');
    const crumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
    expect(await crumbs.getByRole('link').allInnerTexts()).toEqual(['All media', 'Browse']);
    await expect.poll(() => crumbs.locator('[aria-current="page"]').innerText()).toBe('Day 01');

    const tree = page.getByRole('tree', { name: 'Folders' });
    await tree.getByRole('treeitem', { name: 'Cam A' }).click();
    await expectRows(page, ['A001C001.mov', 'A001C002.mov']);
    await expect.poll(() => statusBar(page).innerText()).toContain('2 assets');
    await screenshot(page, 'main-table');

    await crumbs.getByRole('link', { name: 'Browse' }).click();
    await page.waitForURL(/\/browse\/Browse$/);
    await expectRows(page, ['Day 01', 'Day 02']);

    // A reload of a deep link lands in the same place (the server falls back to the app).
    await page.goto(browseUrl('/Browse/Day 01/Cam A'));
    await expectRows(page, ['A001C001.mov', 'A001C002.mov']);
  });

  it('creates a folder, and shows the server message when it already exists', async () => {
    await server.seed({ 'Create/existing.mov': bytes(10) });
    await page.goto(browseUrl('/Create'));
    await expectRows(page, ['existing.mov']);

    await page.getByRole('button', { name: 'Create Folder' }).click();
    const create = dialog(page, 'Create folder');
    await create.getByLabel('Folder name').fill('Day 05');
    await create.getByRole('button', { name: 'Create Folder' }).click();
    await expectRows(page, ['Day 05', 'existing.mov']);
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(existsSync(join(server.lakeDir, 'Create/Day 05'))).toBe(true);

    await page.getByRole('button', { name: 'Create Folder' }).click();
    await create.getByLabel('Folder name').fill('Day 05');
    await create.getByRole('button', { name: 'Create Folder' }).click();
    await expect.poll(() => create.getByRole('alert').innerText()).toContain('"Day 05" is taken in /Create');
    await create.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
  });

  it('sorts every column on the server and keeps the sort in the URL', async () => {
    await server.seed({
      'Sort/b-small.mov': bytes(1000),
      'Sort/a-large.mxf': bytes(3000),
      'Sort/c-medium.wav': bytes(2000),
    });
    await page.goto(browseUrl('/Sort'));
    await expectRows(page, ['a-large.mxf', 'b-small.mov', 'c-medium.wav']);

    const sizeHeader = page.getByRole('columnheader', { name: 'Size' });
    await sizeHeader.getByRole('button').click();
    await expectRows(page, ['b-small.mov', 'c-medium.wav', 'a-large.mxf'], 'ascending size');
    expect(page.url()).toContain('sort=size');
    expect(await sizeHeader.getAttribute('aria-sort')).toBe('ascending');

    await sizeHeader.getByRole('button').click();
    await expectRows(page, ['a-large.mxf', 'c-medium.wav', 'b-small.mov'], 'descending size');
    expect(page.url()).toContain('order=desc');

    await page.reload();
    await expectRows(page, ['a-large.mxf', 'c-medium.wav', 'b-small.mov'], 'the sort after a reload');
    expect(await page.getByRole('columnheader', { name: 'Size' }).getAttribute('aria-sort')).toBe(
      'descending',
    );

    await page.getByRole('columnheader', { name: 'Format' }).getByRole('button').click();
    await expectRows(page, ['b-small.mov', 'a-large.mxf', 'c-medium.wav'], 'by format');
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await page.getByRole('columnheader', { name: 'Name' }).getByRole('button').click();
    await expectRows(page, ['c-medium.wav', 'b-small.mov', 'a-large.mxf'], 'name descending');
  });

  it('selects with checkboxes, shift-click ranges, select-all and the keyboard', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 1; i <= 6; i++) files[`Select/clip${i}.mov`] = bytes(100 * i);
    await server.seed(files);
    await page.goto(browseUrl('/Select'));
    await expectRows(page, ['clip1.mov', 'clip2.mov', 'clip3.mov', 'clip4.mov', 'clip5.mov', 'clip6.mov']);
    const selected = () => statusBar(page).innerText();

    await page.getByRole('checkbox', { name: 'Select clip1.mov' }).click();
    await page.getByRole('checkbox', { name: 'Select clip4.mov' }).click({ modifiers: ['Shift'] });
    await expect.poll(selected).toContain('4 selected');
    expect(await row(page, 'clip4.mov').getAttribute('aria-selected')).toBe('true');
    expect(await row(page, 'clip5.mov').getAttribute('aria-selected')).toBe('false');

    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await expect.poll(selected).toContain('6 selected');
    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await expect.poll(selected).not.toContain('selected');

    await row(page, 'clip2.mov').click();
    await row(page, 'clip5.mov').click({ modifiers: ['Shift'] });
    await expect.poll(selected).toContain('4 selected');
    await row(page, 'clip3.mov').click({ modifiers: ['Control'] });
    await expect.poll(selected).toContain('3 selected');

    const grid = page.getByRole('grid', { name: 'Folders and assets' });
    await grid.focus();
    await page.keyboard.press('Escape');
    await expect.poll(selected).not.toContain('selected');
    await page.keyboard.press('Control+a');
    await expect.poll(selected).toContain('6 selected');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press(' ');
    await expect.poll(selected).toContain('1 selected');
    expect(await row(page, 'clip2.mov').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Shift+ArrowDown');
    await page.keyboard.press('Shift+ArrowDown');
    await expect.poll(selected).toContain('3 selected');
  });
});

describe('a large folder', () => {
  it('shows the rows under a far jump of the scrollbar by fetching them by position', async () => {
    // 3,000 catalog rows (no files behind them): enough for a jump past the cursor pages.
    await catalogRows(
      'Large',
      Array.from({ length: 3000 }, (_, i) => ({
        name: `B${String(Math.floor(i / 1000)).padStart(3, '0')}C${String(i % 1000).padStart(3, '0')}.mov`,
        size: 100 + i,
      })),
    );

    const asked: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/api/assets?')) asked.push(new URL(request.url()).search);
    });
    await page.goto(browseUrl('/Large'));
    await page.locator('tbody tr[data-row-id]').first().waitFor();
    await page.locator('.data-table').evaluate((scroller) => {
      scroller.scrollTop = 2500 * 32;
    });
    const deep = page.locator('tbody tr[aria-rowindex="2502"][data-row-id]');
    await deep.waitFor();
    expect(await deep.locator('.name-cell__text').innerText()).toBe('B002C500.mov');
    // One request by position; not the pages in between.
    expect(asked.filter((q) => q.includes('offset=2000'))).toHaveLength(1);
    expect(asked.filter((q) => q.includes('cursor=')).length).toBeLessThanOrEqual(1);

    // A row loaded that way is a row like any other: it selects and opens its menu.
    await deep.click();
    await expect.poll(() => statusBar(page).innerText()).toContain('1 selected');
    await deep.click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Rename…' }).waitFor();
    await page.keyboard.press('Escape');
    await screenshot(page, 'large-folder-jump');

    // Back at the top, the first rows are still there.
    await page.locator('.data-table').evaluate((scroller) => {
      scroller.scrollTop = 0;
    });
    await eventually(
      async () => (await page.locator('tbody tr[data-row-id] .name-cell__text').allInnerTexts())[0],
      (first) => first === 'B000C000.mov',
      { message: 'the first row again' },
    );
  });

  it('asks for the first screen once, while the app’s code is still loading, and shows it', async () => {
    await catalogRows('Early Day', [
      { name: 'small.mov', size: 10 },
      { name: 'large.mov', size: 30 },
      { name: 'medium.mov', size: 20 },
    ]);

    const asked: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (url.pathname.startsWith('/api/')) asked.push(url.pathname + url.search);
    });
    // A sort in the address: the early request must ask for the page the app shows.
    await page.goto(browseUrl('/Early Day', 'sort=size&order=desc'));
    await expectRows(page, ['large.mov', 'medium.mov', 'small.mov']);

    const firstPage = '/api/assets?folder=%2FEarly+Day&sort=size&order=desc&limit=100';
    const timing = await page.evaluate((url) => {
      const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      const entry = performance.getEntriesByType('resource').find((r) => r.name.endsWith(url));
      return { asked: entry?.startTime ?? null, parsed: nav.domInteractive };
    }, firstPage);
    // Started by index.html's inline script: before the page was parsed, so before any module ran.
    expect(timing.asked).not.toBeNull();
    expect(timing.asked!).toBeLessThanOrEqual(timing.parsed);
    // And the app took those answers instead of asking again.
    expect(asked.filter((url) => url.startsWith('/api/assets?'))).toEqual([firstPage]);
    expect(asked.filter((url) => url === '/api/me')).toHaveLength(1);
    expect(asked.filter((url) => url === '/api/folders?path=%2FEarly+Day')).toHaveLength(1);
  });
});

describe('organising', () => {
  it('moves selected assets into a folder through the context menu and the folder picker', async () => {
    await server.seed({
      'Move/Inbox/x1.mov': bytes(10),
      'Move/Inbox/x2.mov': bytes(20),
      'Move/Inbox/x3.mov': bytes(30),
      'Move/Target/': '',
    });
    await page.goto(browseUrl('/Move/Inbox'));
    await expectRows(page, ['x1.mov', 'x2.mov', 'x3.mov']);

    await row(page, 'x1.mov').click();
    await row(page, 'x2.mov').click({ modifiers: ['Control'] });
    await row(page, 'x2.mov').click({ button: 'right' });
    const menu = page.getByRole('menu');
    await menu.getByRole('menuitem', { name: /Move to Folder/ }).click();
    const picker = dialog(page, 'Move 2 assets to folder');
    await picker.getByRole('treeitem', { name: 'Target' }).click();
    await screenshot(page, 'move-picker');
    await picker.getByRole('button', { name: 'Move' }).click();

    await expectRows(page, ['x3.mov'], 'the moved assets to leave');
    await expect
      .poll(() => page.getByTestId('toast').allInnerTexts())
      .toContainEqual(expect.stringContaining('Moved 2 assets'));
    expect(existsSync(join(server.lakeDir, 'Move/Target/x1.mov'))).toBe(true);
    expect(existsSync(join(server.lakeDir, 'Move/Inbox/x1.mov'))).toBe(false);
    await page.goto(browseUrl('/Move/Target'));
    await expectRows(page, ['x1.mov', 'x2.mov']);
  });

  it('renames an asset with F2 and a folder from its context menu', async () => {
    await server.seed({ 'Rename/clip.mov': bytes(10), 'Rename/Old Name/inside.mov': bytes(5) });
    await page.goto(browseUrl('/Rename'));
    await expectRows(page, ['Old Name', 'clip.mov']);

    await row(page, 'clip.mov').click();
    await page.keyboard.press('F2');
    const renameAsset = dialog(page, 'Rename asset');
    const input = renameAsset.getByLabel('New name');
    expect(await input.inputValue()).toBe('clip.mov');
    await input.fill('shot 01.mov');
    await input.press('Enter');
    await expectRows(page, ['Old Name', 'shot 01.mov']);
    expect(existsSync(join(server.lakeDir, 'Rename/shot 01.mov'))).toBe(true);

    await row(page, 'Old Name').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Rename…' }).click();
    const renameFolder = dialog(page, 'Rename folder');
    await renameFolder.getByLabel('New name').fill('New Name');
    await renameFolder.getByRole('button', { name: 'Rename' }).click();
    await expectRows(page, ['New Name', 'shot 01.mov']);
    expect(existsSync(join(server.lakeDir, 'Rename/New Name/inside.mov'))).toBe(true);
  });

  it('deletes to the trash, restores, and empties the trash', async () => {
    await server.seed({ 'Bin/t1.mov': bytes(10), 'Bin/t2.mov': bytes(20), 'Bin/t3.mov': bytes(30) });
    await page.goto(browseUrl('/Bin'));
    await expectRows(page, ['t1.mov', 't2.mov', 't3.mov']);

    await row(page, 't1.mov').click();
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Delete' }).click();
    const confirm = dialog(page, 'Delete asset');
    expect(await confirm.innerText()).toContain('t1.mov');
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expectRows(page, ['t2.mov', 't3.mov']);

    // The Delete key does the same for the focused row.
    await row(page, 't2.mov').click();
    await page.keyboard.press('Delete');
    await dialog(page, 'Delete asset').getByRole('button', { name: 'Delete' }).click();
    await expectRows(page, ['t3.mov']);

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Trash' }).click();
    await page.waitForURL(/\/trash$/);
    const trash = page.getByRole('grid', { name: 'Deleted assets' });
    await eventually(
      () => trash.locator('tbody tr[data-row-id]').allInnerTexts(),
      (rows) => rows.some((r) => r.includes('t1.mov')) && rows.some((r) => r.includes('t2.mov')),
      { message: 'both deleted assets in the trash' },
    );
    await screenshot(page, 'trash');

    await trash.getByRole('checkbox', { name: 'Select t1.mov' }).click();
    await page.getByRole('button', { name: /^Restore/ }).click();
    await eventually(
      () => trash.locator('tbody tr[data-row-id]').allInnerTexts(),
      (rows) => !rows.some((r) => r.includes('t1.mov')),
      { message: 't1 to leave the trash' },
    );
    expect(existsSync(join(server.lakeDir, 'Bin/t1.mov'))).toBe(true);

    await page.getByRole('button', { name: 'Empty trash' }).click();
    await dialog(page, 'Empty the trash').getByRole('button', { name: 'Empty trash' }).click();
    await page.getByText('The trash is empty').waitFor();

    await page.goto(browseUrl('/Bin'));
    await expectRows(page, ['t1.mov', 't3.mov']);
  });

  it('sets a folder’s groups from its context menu, with admin fixed, says who can see it, and offers only this folder', async () => {
    await server.seed({ 'Perm/Project X/Sub/a.mov': bytes(10) });
    await page.goto(browseUrl('/Perm'));
    await expectRows(page, ['Project X']);
    // Found in the lake inside /Perm: the parent's groups, so editors see it; the row says so.
    await row(page, 'Project X').getByRole('img', { name: 'Visible to editors and admins' }).waitFor();
    await row(page, 'Project X').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Permissions…' }).click();
    const perms = dialog(page, 'Permissions for Project X');
    await perms.getByText('Same groups as the folder above').waitFor();
    await perms.getByText(/Who can see it now:/).waitFor();
    const admin = perms.getByRole('checkbox', { name: /admin/ });
    expect(await admin.isChecked()).toBe(true);
    expect(await admin.isDisabled()).toBe(true);
    expect(await perms.getByRole('radio', { name: 'This folder and everything in it' }).isChecked()).toBe(
      true,
    );
    await perms.getByRole('checkbox', { name: 'editors' }).uncheck();
    await perms.getByRole('radio', { name: /Only this folder/ }).check();
    await screenshot(page, 'permissions');
    await perms.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    const listing = await server.api('GET', '/api/folders?path=/Perm/Project%20X');
    expect(listing.body.folder.groups).toEqual(['admin']);
    // Only this folder: the subfolder keeps its groups, but the folder above now hides it from editors.
    const sub = await server.api('GET', '/api/folders?path=/Perm/Project%20X/Sub');
    expect(sub.body.folder.groups).toEqual(['admin', 'editors']);
    expect(sub.body.folder.access.limitedBy).toEqual([{ group: 'editors', folder: '/Perm/Project X' }]);
    await row(page, 'Project X').getByRole('img', { name: 'Only admins can see this folder' }).waitFor();
    await screenshot(page, 'permissions-table');
    await page.goto(browseUrl('/Perm/Project X'));
    await expectRows(page, ['Sub']);
    await row(page, 'Sub').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Permissions…' }).click();
    await dialog(page, 'Permissions for Sub')
      .getByText(/does not include it/)
      .waitFor();
    await screenshot(page, 'permissions-limited');
    await dialog(page, 'Permissions for Sub').getByRole('button', { name: 'Cancel' }).click();
  });
});

describe('delivery and viewing', () => {
  it('downloads the original through a signed link', async () => {
    const content = Buffer.from('original camera bytes '.repeat(100));
    await server.seed({ 'Deliver/d.mov': content });
    await page.goto(browseUrl('/Deliver'));
    await expectRows(page, ['d.mov']);
    await row(page, 'd.mov').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Download' }).click(),
    ]);
    expect(download.url()).toMatch(/\/api\/downloads\//);
    expect(download.suggestedFilename()).toBe('d.mov');
    const saved = await download.path();
    expect(readFileSync(saved).equals(content)).toBe(true);
  });

  it('shows cards and opens the preview with the technical metadata', async () => {
    await server.seed({ 'Cards/A002C003.mov': bytes(4000), 'Cards/Sub/': '' });
    await page.goto(browseUrl('/Cards'));
    await expectRows(page, ['Sub', 'A002C003.mov']);
    await page.getByRole('button', { name: 'Card layout' }).click();
    expect(page.url()).toContain('view=cards');
    const card = page.getByRole('gridcell', { name: 'A002C003.mov' });
    await card.waitFor();
    await screenshot(page, 'main-cards');

    await card.getByRole('button', { name: 'Preview A002C003.mov' }).click();
    const preview = dialog(page, 'A002C003.mov');
    const metadata = preview.getByRole('complementary', { name: 'Technical metadata' });
    await expect.poll(() => metadata.innerText()).toContain('Asset ID');
    expect(await metadata.innerText()).toContain('MOV');
    expect(page.url()).toContain('preview=');
    await screenshot(page, 'preview');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('dialog[open]').count()).toBe(0);
    expect(page.url()).not.toContain('preview=');
  });
});
