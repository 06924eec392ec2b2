/**
 * ASC MHL in the browser (issue 16): a camera card dropped into the lake with its history is
 * verified, and the preview shows each file's verdict: verified, or a mismatch naming the hash
 * for the one file whose bytes changed. Real: the server with an fs lake, the built web app,
 * Debian Chromium, axe.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { expectAccessible } from './support/axe.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames } from './support/ui.js';

const CARD = '/work/shared/reference/ascmhl/examples/scenario_01/travel_01/A002R2EC';

const app = appUnderTest({
  prepare: async (server) => {
    // The card as the camera assistant's offload left it, but one clip lost a bit since.
    const card = join(server.lakeDir, 'Day 01', 'A002R2EC');
    cpSync(CARD, card, { recursive: true });
    const victim = join(card, 'Clips', 'A002C007_141024_R2EC.mov');
    const bytes = readFileSync(victim);
    bytes[0]! ^= 0x01;
    writeFileSync(victim, bytes);
    await server.dailies.indexing.reconcile();
    await server.dailies.jobs.drain(60_000);
  },
});

describe('ASC MHL verdicts in the preview', () => {
  it('a verified clip and the one whose bytes changed, told apart', async () => {
    await app.page.goto(browseUrl('/Day 01/A002R2EC/Clips'));
    await expectRows(app.page, ['A002C006_141024_R2EC.mov', 'A002C007_141024_R2EC.mov']);

    await row(app.page, 'A002C006_141024_R2EC.mov').dblclick();
    let preview = dialog(app.page, 'A002C006_141024_R2EC.mov');
    const good = preview.locator('.mhl-badge');
    await good.waitFor();
    expect(await good.getAttribute('data-verdict')).toBe('verified');
    expect(await good.locator('.mhl-badge__label').innerText()).toBe('MHL verified');
    await screenshot(app.page, 'mhl-verified');
    await expectAccessible(app.page, 'preview with an MHL verdict');
    await app.page.keyboard.press('Escape');

    await row(app.page, 'A002C007_141024_R2EC.mov').dblclick();
    preview = dialog(app.page, 'A002C007_141024_R2EC.mov');
    const bad = preview.locator('.mhl-badge');
    await bad.waitFor();
    expect(await bad.getAttribute('data-verdict')).toBe('mismatch');
    expect(await bad.locator('.mhl-badge__label').innerText()).toBe('MHL mismatch');
    // The recorded hash is named for whoever checks the card.
    expect(await bad.getAttribute('title')).toContain('7680e5f98f4a80fd');
    await screenshot(app.page, 'mhl-mismatch');
    await app.page.keyboard.press('Escape');

    // The history is kept with the card, with the generation Dailies added on the way in.
    await app.page.goto(browseUrl('/Day 01/A002R2EC/ascmhl'));
    await eventually(
      () => rowNames(app.page),
      (names) =>
        names.length === 3 &&
        names[0] === '0001_A002R2EC_2020-01-16_091500Z.mhl' &&
        /^0002_A002R2EC_/.test(names[1]!),
      { message: 'the history files' },
    );
  });
});
