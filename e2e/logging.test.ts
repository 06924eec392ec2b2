/**
 * Logging a shoot day in the browser: a media manager logs a folder in bulk (scene), sets a
 * take and circles it in the preview, imports the script supervisor's CSV with its preview,
 * and finds the circled takes by `scene:12 circled:yes`. Real: the server (SQLite catalog, fs
 * lake, in-process workers probing real ffmpeg media), the built web app, Debian Chromium.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames } from './support/ui.js';

const CLIPS = ['A001C001_220314_R1AB.mp4', 'A001C002_220314_R1AB.mp4', 'A001C003_220314_R1AB.mp4'];

const app = appUnderTest({
  prepare: async (server) => {
    const clip = readFileSync(await mediaFixture('h264Mp4'));
    await server.seed(Object.fromEntries(CLIPS.map((name) => [`Shoot/Day 05/${name}`, clip])));
  },
});

const logOf = async (name: string) => {
  const found = await app.server.api('GET', `/api/search?q=${encodeURIComponent(name.slice(0, 8))}`);
  return found.body.items.find((a: { name: string }) => a.name === name)?.log;
};

describe('logging', () => {
  it('logs a folder in bulk, circles a take in the preview, imports a CSV and searches the circled takes', async () => {
    const { page } = app;
    // The production's own field: the lens on each take.
    await page.goto('/admin/logging');
    await page.getByRole('button', { name: 'New field' }).click();
    const newField = dialog(page, 'New logging field');
    await newField.getByLabel('Label').fill('Lens');
    await newField.getByRole('button', { name: 'Add field' }).click();
    await expect
      .poll(() => page.getByRole('table', { name: 'Custom logging fields' }).locator('tbody').innerText())
      .toContain('lens');
    await page.goto(browseUrl('/Shoot/Day 05'));
    await expectRows(page, CLIPS);

    // Bulk: every clip of the folder is scene 12.
    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Log ▾' }).click();
    await page.getByRole('menuitem', { name: 'Log 3 Selected…' }).click();
    const bulk = dialog(page, 'Log 3 assets');
    await bulk.getByLabel('Scene', { exact: true }).fill('12');
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => bulk.count()).toBe(0);
    await eventually(
      () => page.locator('tbody tr[data-row-id] .log-cell').allInnerTexts(),
      (cells) => cells.length === 3 && cells.every((c) => c.trim() === '12'),
      { message: 'scene 12 on every row' },
    );
    for (const name of CLIPS)
      expect(await logOf(name)).toMatchObject({ scene: '12', camera: 'A', reel: 'A001' });

    // The preview: take 2, then circle it.
    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await row(page, CLIPS[1]).dblclick();
    const preview = dialog(page, CLIPS[1]);
    const log = preview.getByRole('form', { name: 'Log' });
    await expect.poll(() => log.getByLabel('Scene', { exact: true }).inputValue()).toBe('12');
    expect(await log.getByLabel('Camera', { exact: true }).inputValue()).toBe('A');
    expect(await log.getByText('from the file').count()).toBe(2);
    await log.getByLabel('Take', { exact: true }).fill('2');
    await log.getByLabel('Description', { exact: true }).fill('Best performance; slight boom dip at the end');
    await log.getByLabel('Lens', { exact: true }).fill('35mm');
    await log.getByRole('button', { name: 'Save log' }).click();
    await expect.poll(() => log.getByRole('status').innerText()).toBe('Saved');
    await log.getByLabel('Circle take', { exact: true }).check();
    await expect.poll(() => log.getByLabel('Circled take', { exact: true }).isChecked()).toBe(true);
    expect(await logOf(CLIPS[1])).toMatchObject({
      scene: '12',
      take: '2',
      circled: true,
      description: 'Best performance; slight boom dip at the end',
      custom: { lens: '35mm' },
    });
    await screenshot(page, 'logging-preview');
    await preview.getByRole('button', { name: 'Close' }).click();
    await expect
      .poll(() => row(page, CLIPS[1]).locator('.log-cell__circled').innerText())
      .toContain('12 / 2');

    // The script supervisor's CSV: C001 take 1, C003 take 3 circled, a clip shot elsewhere.
    await page.getByRole('toolbar', { name: 'Actions' }).getByRole('button', { name: 'Log ▾' }).click();
    await page.getByRole('menuitem', { name: 'Import Log CSV…' }).click();
    const importing = dialog(page, 'Import log from CSV');
    await importing.getByLabel('CSV file').setInputFiles({
      name: 'day05.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(
        'Clip;Scene;Take;Circled;Notes\r\nA001C001;12;1;;NG - focus\r\nA001C003;12;3;Y;=HYPERLINK("x")\r\nB004C001;40;1;Y;\r\n',
      ),
    });
    const matches = importing.getByRole('table', { name: 'Rows that match' });
    await expect.poll(() => matches.locator('tbody tr').count()).toBe(2);
    expect(await importing.innerText()).toContain('No clip here for rows: 4 (B004C001)');
    expect(await importing.innerText()).toContain(`No row for: ${CLIPS[1]}`);
    await screenshot(page, 'logging-import-preview');
    await importing.getByRole('button', { name: 'Apply to 2 rows' }).click();
    await expect.poll(() => importing.getByText('Logged 2 assets.').count()).toBe(1);
    await importing.getByRole('button', { name: 'Close' }).last().click();
    expect(await logOf(CLIPS[2])).toMatchObject({
      take: '3',
      circled: true,
      description: '=HYPERLINK("x")',
    });
    expect(await logOf(CLIPS[0])).toMatchObject({ take: '1', circled: false, description: 'NG - focus' });
    await eventually(
      () => page.locator('tbody tr[data-row-id] .log-cell').allInnerTexts(),
      (cells) =>
        JSON.stringify(cells.map((c) => c.replace(/\s+/g, ' ').trim())) ===
        JSON.stringify(['12 / 1', '12 / 2 (circled)', '12 / 3 (circled)']),
      { message: 'scene and take on every row, the circled ones marked' },
    );
    // Everything of the toolbar fits one line at this width.
    const toolbar = await page.getByRole('toolbar', { name: 'Actions' }).boundingBox();
    expect(toolbar?.height).toBeLessThan(60);
    await screenshot(page, 'logging-folder');

    // Search: the circled takes of scene 12, with the logging facets.
    await page.getByRole('searchbox', { name: 'Search the lake' }).fill('scene:12 circled:yes');
    await page.waitForURL(/\/search\?/);
    await eventually(
      () => rowNames(page),
      (names) => JSON.stringify([...names].sort()) === JSON.stringify([CLIPS[1], CLIPS[2]]),
      { message: 'the circled takes of scene 12' },
    );
    await screenshot(page, 'logging-search');
  });
});
