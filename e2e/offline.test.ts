/**
 * Offline: when the server stops answering, a banner says so (from the dropped event stream and
 * from failed requests) and a folder opened meanwhile reads as not shown, never as empty; when
 * the server answers again the banner goes and the folder shows without a reload.
 * Real: the server's HTTP listener closed and opened again on the same port, Debian Chromium.
 */
import { expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, expectRows } from './support/ui.js';

const app = appUnderTest({
  prepare: (server) =>
    server.seed({
      'Offline/clip.mov': Buffer.alloc(100, 1),
      'Offline/Later/late.mov': Buffer.alloc(50, 1),
    }),
  pagePerTest: false,
});

it.each([
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
])('shows an offline banner while the server is down and drops it when it is back ($name)', async (size) => {
  const { server } = app;
  const page = await app.openPage();
  await page.setViewportSize({ width: size.width, height: size.height });
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
  const { server } = app;
  const page = await app.openPage();
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
