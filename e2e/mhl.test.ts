/**
 * ASC MHL in the browser (issue 16): a camera card dropped into the lake with its history is
 * verified, and the preview shows each file's verdict: verified, or a mismatch naming the hash
 * for the one file whose bytes changed. Real: the server with an fs lake, the built web app,
 * Debian Chromium, axe.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/axe.js';
import { launchBrowser, newPage, screenshot, signIn } from './support/browser.js';
import { ADMIN_PASSWORD, type RunningServer, startServer } from './support/server.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames } from './support/ui.js';

const CARD = '/work/shared/reference/ascmhl/examples/scenario_01/travel_01/A002R2EC';

let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let scratch: string;

beforeAll(async () => {
  server = await startServer({});
  browser = await launchBrowser();
  scratch = mkdtempSync(join(tmpdir(), 'dailies-e2e-mhl-'));
  // The card as the camera assistant's offload left it, but one clip lost a bit since.
  const card = join(server.lakeDir, 'Day 01', 'A002R2EC');
  cpSync(CARD, card, { recursive: true });
  const victim = join(card, 'Clips', 'A002C007_141024_R2EC.mov');
  const bytes = readFileSync(victim);
  bytes[0]! ^= 0x01;
  writeFileSync(victim, bytes);
  await server.dailies.indexing.reconcile();
  await server.dailies.jobs.drain(60_000);
  ({ context, page } = await newPage(browser, server.url));
  await signIn(context, 'admin', ADMIN_PASSWORD);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
  rmSync(scratch, { recursive: true, force: true });
});

describe('ASC MHL verdicts in the preview', () => {
  it('a verified clip and the one whose bytes changed, told apart', async () => {
    await page.goto(browseUrl('/Day 01/A002R2EC/Clips'));
    await expectRows(page, ['A002C006_141024_R2EC.mov', 'A002C007_141024_R2EC.mov']);

    await row(page, 'A002C006_141024_R2EC.mov').dblclick();
    let preview = dialog(page, 'A002C006_141024_R2EC.mov');
    const good = preview.locator('.mhl-badge');
    await good.waitFor();
    expect(await good.getAttribute('data-verdict')).toBe('verified');
    expect(await good.locator('.mhl-badge__label').innerText()).toBe('MHL verified');
    await screenshot(page, 'mhl-verified');
    await expectAccessible(page, 'preview with an MHL verdict');
    await page.keyboard.press('Escape');

    await row(page, 'A002C007_141024_R2EC.mov').dblclick();
    preview = dialog(page, 'A002C007_141024_R2EC.mov');
    const bad = preview.locator('.mhl-badge');
    await bad.waitFor();
    expect(await bad.getAttribute('data-verdict')).toBe('mismatch');
    expect(await bad.locator('.mhl-badge__label').innerText()).toBe('MHL mismatch');
    // The recorded hash is named for whoever checks the card.
    expect(await bad.getAttribute('title')).toContain('7680e5f98f4a80fd');
    await screenshot(page, 'mhl-mismatch');
    await page.keyboard.press('Escape');

    // The history is kept with the card, with the generation Dailies added on the way in.
    await page.goto(browseUrl('/Day 01/A002R2EC/ascmhl'));
    await eventually(
      () => rowNames(page),
      (names) =>
        names.length === 3 &&
        names[0] === '0001_A002R2EC_2020-01-16_091500Z.mhl' &&
        /^0002_A002R2EC_/.test(names[1]!),
      { message: 'the history files' },
    );
  });
});
