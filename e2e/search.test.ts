/**
 * Search over the whole lake from the toolbar: results from every folder with their folder
 * shown, filters with the server's facet counts, the query kept in the URL, a jump to an
 * asset's folder, and nothing from a folder the user may not see. Real: the server (SQLite
 * catalog, fs lake, in-process workers), the built web app, Debian Chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, eventually, expectRows, rowNames, statusBar } from './support/ui.js';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  // The editor below signs up herself: sign-ups join editors at once here (MAPS's way).
  server = await startServer({ signUp: 'open' });
  browser = await launchBrowser();
  await server.seed({
    'Search/Day 01/A003C012.mov': Buffer.alloc(1200, 1),
    'Search/Day 01/A003C013.mov': Buffer.alloc(1300, 2),
    'Search/Day 01/B001C001.mxf': Buffer.alloc(900, 3),
    'Search/Secret/A003C099.mov': Buffer.alloc(800, 4),
  });
  // The secret folder belongs to another group: editors may not see it.
  expect(await server.api('POST', '/api/groups', { name: 'project-x' })).toMatchObject({ status: 201 });
  const groups = await server.api('PUT', '/api/folders/groups', {
    path: '/Search/Secret',
    groups: ['admin', 'project-x'],
  });
  expect(groups.status).toBe(200);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const filterButton = (page: Page, name: string) =>
  page.getByRole('region', { name: 'Search filters' }).getByRole('button', { name: new RegExp(`^${name}`) });

/** The values a filter offers with their counts, e.g. ["MOV 3", "MXF 1"]. */
async function facetOptions(page: Page, name: string): Promise<string[]> {
  const panel = page.getByRole('group', { name: `${name} filter` });
  if (!(await panel.isVisible())) await filterButton(page, name).click();
  const options = await panel.locator('.filter__option').allInnerTexts();
  return options.map((o) => o.replace(/\s+/g, ' ').trim());
}

describe('search', () => {
  it('searches the whole lake from the toolbar, filters with counts, keeps the URL and jumps to the folder', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signIn(context, 'admin', ADMIN_PASSWORD);
      await page.goto(browseUrl('/Search/Day 01'));
      await expectRows(page, ['A003C012.mov', 'A003C013.mov', 'B001C001.mxf']);

      await page.getByRole('searchbox', { name: 'Search the lake' }).fill('search');
      await page.waitForURL(/\/search\?.*q=search/);
      await eventually(
        () => rowNames(page),
        (names) => names.length === 4 && names.includes('A003C099.mov'),
        { message: 'every folder’s assets, the secret one too for an admin' },
      );
      await expect.poll(() => statusBar(page).innerText()).toContain('4 matches in the lake');
      const secretRow = page.locator('tbody tr[data-row-id]', { hasText: 'A003C099.mov' });
      expect(await secretRow.getByRole('button', { name: 'Open folder /Search/Secret' }).count()).toBe(1);

      await expect.poll(() => facetOptions(page, 'Format')).toEqual(['MOV 3', 'MXF 1']);
      await page.getByRole('group', { name: 'Format filter' }).getByLabel('MXF').check();
      await page.waitForURL(/format=MXF/);
      await expectRows(page, ['B001C001.mxf'], 'only the MXF');
      // The menu still offers the other format, counted without its own filter, and a
      // second value widens the result.
      await expect.poll(() => facetOptions(page, 'Format')).toEqual(['MOV 3', 'MXF 1']);
      await page.getByRole('group', { name: 'Format filter' }).getByLabel('MOV').check();
      await page.waitForURL(/format=MXF(%2C|,)MOV/);
      await eventually(
        () => rowNames(page),
        (names) => names.length === 4,
        { message: 'the MOV and the MXF' },
      );
      expect(await filterButton(page, 'Format').innerText()).toContain('Format: 2 chosen');
      await page.getByRole('group', { name: 'Format filter' }).getByLabel('MOV').uncheck();
      await expectRows(page, ['B001C001.mxf'], 'only the MXF again');
      await page.keyboard.press('Escape');
      await page.getByRole('button', { name: 'Remove filter Format: MXF' }).waitFor();
      expect(await filterButton(page, 'Format').innerText()).toContain('Format: MXF');
      await screenshot(page, 'search-filters');

      // The URL holds the search: a reload shows the same results.
      await page.reload();
      await expectRows(page, ['B001C001.mxf'], 'the same results after a reload');
      expect(await page.getByRole('searchbox', { name: 'Search the lake' }).inputValue()).toBe('search');

      // The card layout shows the results too, each with its folder.
      await page.getByRole('button', { name: 'Card layout' }).click();
      await page.waitForURL(/view=cards/);
      const card = page.getByRole('gridcell', { name: 'B001C001.mxf' });
      await card.getByRole('button', { name: 'Open folder /Search/Day 01' }).waitFor();
      await screenshot(page, 'search-cards');
      await page.getByRole('button', { name: 'Table layout' }).click();

      await page.getByRole('button', { name: 'Remove filter Format: MXF' }).click();
      await eventually(
        () => rowNames(page),
        (names) => names.length === 4,
      );
      await secretRow.getByRole('button', { name: 'Open folder /Search/Secret' }).click();
      await page.waitForURL(/\/browse\/Search\/Secret$/);
      await expectRows(page, ['A003C099.mov'], 'the folder the result lives in');
      expect(await page.getByRole('searchbox', { name: 'Search the lake' }).inputValue()).toBe('');
    } finally {
      await context.close();
    }
  });

  it('shows new, renamed and deleted assets live, without a reload', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      await signIn(context, 'admin', ADMIN_PASSWORD);
      await server.seed({
        'Live/Day 01/L001C001.mov': Buffer.alloc(500, 5),
        'Live/Other/take.mov': Buffer.alloc(10),
      });
      await page.goto('/search?q=L001');
      await expectRows(page, ['L001C001.mov'], 'the one match');

      // Arrives from outside (another tool writing into the lake).
      await server.seed({ 'Live/Day 02/L001C002.mov': Buffer.alloc(600, 6) });
      await eventually(
        async () => (await rowNames(page)).sort(),
        (names) => names.length === 2 && names[1] === 'L001C002.mov',
        { message: 'the new asset in the results' },
      );
      await expect.poll(() => statusBar(page).innerText()).toContain('2 matches in the lake');

      // An asset renamed so that it matches now.
      const other = await server.api('GET', '/api/assets?folder=/Live/Other');
      const take = other.body.items[0];
      expect((await server.api('PATCH', `/api/assets/${take.id}`, { name: 'L001C003.mov' })).status).toBe(
        200,
      );
      await eventually(
        () => rowNames(page),
        (names) => names.includes('L001C003.mov'),
        { message: 'the renamed asset in the results' },
      );

      // Deleted: it leaves.
      expect((await server.api('POST', '/api/assets/delete', { ids: [take.id] })).status).toBeLessThan(300);
      await eventually(
        () => rowNames(page),
        (names) => names.length === 2 && !names.includes('L001C003.mov'),
        { message: 'the deleted asset to leave the results' },
      );
      await screenshot(page, 'search-live');
    } finally {
      await context.close();
    }
  });

  it('an editor of another group neither finds nor counts the forbidden folder’s asset', async () => {
    const { context, page } = await newPage(browser, server.url);
    try {
      const signup = await context.request.post('/api/auth/signup', {
        data: { username: 'searching-ed', password: 'searching-ed-password' },
      });
      expect(signup.status()).toBe(201);
      await page.goto('/search?q=a003');
      await eventually(
        () => rowNames(page),
        (names) => names.length === 2,
        { message: 'the two visible A003 assets' },
      );
      expect((await rowNames(page)).sort()).toEqual(['A003C012.mov', 'A003C013.mov']);
      await expect.poll(() => statusBar(page).innerText()).toContain('2 matches in the lake');
      await expect.poll(() => facetOptions(page, 'Format')).toEqual(['MOV 2']);

      // A search that only the forbidden asset would match finds nothing.
      await page.keyboard.press('Escape');
      // Typed key by key: the search follows once typing pauses, and keeps every key.
      const box = page.getByRole('searchbox', { name: 'Search the lake' });
      await box.fill('');
      await box.pressSequentially('A003C099', { delay: 60 });
      await page.getByText('No assets match').waitFor();
      expect(await rowNames(page)).toEqual([]);
      await expect.poll(() => statusBar(page).innerText()).toContain('0 matches in the lake');
      expect(new URL(page.url()).searchParams.get('q')).toBe('A003C099');
      expect(await box.inputValue()).toBe('A003C099');
      await screenshot(page, 'search-empty');
    } finally {
      await context.close();
    }
  });
});
