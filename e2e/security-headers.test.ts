/**
 * The web app under its Content-Security-Policy (issue 11, finding 11): no `unsafe-inline`
 * script, yet the inline early-request script runs (allowed by its hash) and nothing the app
 * does is refused. Real: the server, the built web app, Debian Chromium.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newPage, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, expectRows } from './support/ui.js';

let browser: Browser;
let server: RunningServer;
let context: BrowserContext;
let page: Page;
const violations: string[] = [];

beforeAll(async () => {
  browser = await launchBrowser();
  server = await startServer();
  await server.seed({ 'Day 01/A001.mov': 'not really a movie', 'Day 01/notes.txt': 'notes' });
  ({ context, page } = await newPage(browser, server.url));
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`Refused to load: ${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  await signIn(context, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

describe('the web app under its content security policy', () => {
  it('runs the inline early-request script and the app with no policy violation', async () => {
    const response = await page.goto(browseUrl('/Day 01'));
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    expect(policy).not.toContain("unsafe-inline' ;");
    expect(policy.split(';').find((d) => d.includes('script-src'))).not.toContain('unsafe-inline');
    expect(policy).toContain("frame-ancestors 'none'");
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    await expectRows(page, ['A001.mov', 'notes.txt']);
    // Had the inline early-request script been refused, its violation would be listed here.
    expect(violations, violations.join('\n')).toEqual([]);
    // An injected inline script does not run.
    const injected = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.__injected = true;';
      document.body.append(script);
      // Deliberate: a moment for a script that was let in to run (it must not).
      await new Promise((r) => setTimeout(r, 50));
      return (window as { __injected?: boolean }).__injected === true;
    });
    expect(injected).toBe(false);
    // Exactly the one injected script was refused, nothing the app itself does.
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(violations.length, violations.join('\n')).toBeLessThanOrEqual(2);
  });
});
