/**
 * Offline: when the server stops answering, a banner says so (from the dropped event stream and
 * from failed requests) and a folder opened meanwhile reads as not shown, never as empty; when
 * the server answers again the banner goes and the folder shows without a reload.
 * Real: the server's HTTP listener closed and opened again on the same port, Debian Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, expectRows } from './support/ui.js';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await server.seed({
    'Offline/clip.mov': Buffer.alloc(100, 1),
    'Offline/Later/late.mov': Buffer.alloc(50, 1),
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

afterEach(async () => {
  await context?.close();
});

it.each([
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
])('shows an offline banner while the server is down and drops it when it is back ($name)', async (size) => {
  ({ context, page } = await newPage(browser, server.url));
  await page.setViewportSize({ width: size.width, height: size.height });
  await signIn(context, 'admin', ADMIN_PASSWORD);
  await page.goto(browseUrl('/Offline'));
  await expectRows(page, ['Later', 'clip.mov']);
  const banner = page.getByTestId('offline-banner');
  expect(await banner.count()).toBe(0);

  await server.stopListening();
  try {
    await expect.poll(() => banner.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await banner.innerText()).toContain('Dailies cannot be reached');
    await screenshot(page, `offline-banner-${size.name}`);
  } finally {
    await server.listenAgain();
  }
  // The event stream reconnects by itself (its retry is 3 s): no reload needed.
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
  await expectRows(page, ['Later', 'clip.mov']);
  expect(await banner.count()).toBe(0);
});

it('says offline when a request fails, and the folder reloads by itself when the server is back', async () => {
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
  await page.goto(browseUrl('/Offline'));
  await expectRows(page, ['Later', 'clip.mov']);
  const banner = page.getByTestId('offline-banner');

  await server.stopListening();
  try {
    // In-app navigation: the folder's request fails.
    await page.getByRole('tree', { name: 'Folders' }).getByRole('treeitem', { name: 'Later' }).click();
    await expect.poll(() => banner.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 20_000 })
      .toContainEqual(expect.stringContaining('This folder cannot be shown'));
    expect(await page.getByText('This folder is empty').count()).toBe(0);
    await screenshot(page, 'offline-folder');
  } finally {
    await server.listenAgain();
  }
  // The event stream reconnects (its retry is 3 s), the banner goes and the folder reloads.
  await expect.poll(() => banner.count(), { timeout: 20_000 }).toBe(0);
  await expectRows(page, ['late.mov'], 'the folder to reload once the server is back');
});
