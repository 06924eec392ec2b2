import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Config } from '../../server/src/config.js';
import { launchBrowser, newPage, type PageScreen, signIn } from './browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './server.js';

/** What a test file drives: one server and one browser for the file, a fresh page per test. */
export interface AppUnderTest {
  readonly server: RunningServer;
  readonly browser: Browser;
  /** The current test's context and page (from `openPage`, or opened before each test). */
  readonly context: BrowserContext;
  readonly page: Page;
  /** A fresh context and page for this test, signed in as admin unless told not to; closed after the test. */
  openPage(options?: { signedIn?: boolean } & PageScreen): Promise<Page>;
}

export interface AppOptions {
  /** The server's settings over the test defaults, asked for just before it starts (a volume made then). */
  config?: () => Partial<Config>;
  /** Runs once after the server starts: files into the lake, waiting for their processing. */
  prepare?: (server: RunningServer) => Promise<void>;
  /** How long the start and `prepare` may take together (processing a shoot takes minutes). */
  prepareTimeoutMs?: number;
  /**
   * Before each test: a page signed in as admin (the default), then `eachPage` on it. `false`:
   * tests open their own pages (another user, signed out, a set viewport).
   */
  pagePerTest?: boolean;
  eachPage?: (page: Page) => Promise<void>;
}

/**
 * Registers the file's hooks (server and browser up before all, a page before each test, all
 * closed after) so each e2e file states only what it needs on top.
 */
export function appUnderTest(options: AppOptions = {}): AppUnderTest {
  let server: RunningServer | undefined;
  let browser: Browser | undefined;
  let current: { context: BrowserContext; page: Page } | undefined;

  const app: AppUnderTest = {
    get server() {
      if (!server) throw new Error('the server is not started yet (use it inside a hook or test)');
      return server;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not launched yet (use it inside a hook or test)');
      return browser;
    },
    get context() {
      if (!current) throw new Error('no page is open in this test (call openPage first)');
      return current.context;
    },
    get page() {
      if (!current) throw new Error('no page is open in this test (call openPage first)');
      return current.page;
    },
    async openPage({ signedIn = true, ...screen } = {}) {
      await current?.context.close();
      current = await newPage(app.browser, app.server.url, screen);
      if (signedIn) await signIn(current.context, 'admin', ADMIN_PASSWORD);
      return current.page;
    },
  };

  beforeAll(async () => {
    server = await startServer(options.config?.());
    browser = await launchBrowser();
    await options.prepare?.(server);
  }, options.prepareTimeoutMs);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  if (options.pagePerTest !== false) {
    beforeEach(async () => {
      const page = await app.openPage();
      await options.eachPage?.(page);
    });
  }

  afterEach(async () => {
    await current?.context.close();
    current = undefined;
  });

  return app;
}
