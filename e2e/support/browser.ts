import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expectAccessible } from './axe.js';

export const SCREENSHOTS = fileURLToPath(new URL('../screenshots/', import.meta.url));

/** Debian's Chromium, headless; never a downloaded browser build. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** The screen a page opens on: a desktop's by default; a phone's or a tablet's when asked. */
export interface PageScreen {
  viewport?: { width: number; height: number };
  hasTouch?: boolean;
}

export async function newPage(
  browser: Browser,
  baseURL: string,
  screen: PageScreen = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL,
    viewport: screen.viewport ?? { width: 1440, height: 900 },
    hasTouch: screen.hasTouch,
    acceptDownloads: true,
  });
  const page = await context.newPage();
  // Generous: the test machines are small and shared.
  page.setDefaultTimeout(20_000);
  return { context, page };
}

/**
 * Saves a screenshot for a reviewer: e2e/screenshots/<name>.png. Every screen the suite shows a
 * reviewer is also checked by axe-core: a serious or critical violation fails the test.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
  await expectAccessible(page, name);
}

/** Signs the browser context in through the API (the cookie is shared with its pages). */
export async function signIn(context: BrowserContext, username: string, password: string): Promise<void> {
  const reply = await context.request.post('/api/auth/login', { data: { username, password } });
  if (!reply.ok()) throw new Error(`sign-in as ${username} failed: ${reply.status()} ${await reply.text()}`);
}

/** Slows a page's uploads, so their progress can be seen or caught half-way; detaching the returned session ends it. */
export async function throttleUploads(page: Page, bytesPerSecond: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 0,
    downloadThroughput: -1,
    uploadThroughput: bytesPerSecond,
  });
  return cdp;
}
