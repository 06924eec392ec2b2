/**
 * The web app's second pass (issue 15), the parts a media manager asked for last: a column
 * chooser kept per account across a reload, columns resized by drag and by keys, the start
 * timecode / uploaded by / location chips / who can see columns; cards sorted; upload rows in
 * the folder while files are on their way (never "This folder is empty"); a taken name asks
 * keep both, skip or cancel, remembered for the batch, and keep both lands as `name (2).ext`;
 * "New folder" in the move picker; a whole folder copied to the edit volume and removed again.
 * At 390×844, 768×1024 and 1440×900 each new state is a screenshot in e2e/screenshots/
 * (second-pass-*), checked by axe-core, the page never wider than the window.
 *
 * Real: the server processing clips ffmpeg made (one with timecode 01:00:00:00), an fs lake and
 * edit volume, the built web app, Debian Chromium.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot, throttleUploads } from './support/browser.js';
import { editVolume, seedDayOne } from './support/edit-volume.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames } from './support/ui.js';

const volume = editVolume('Avid NEXIS (edit 1)');
const app = appUnderTest({
  config: volume.config,
  prepare: (server) =>
    seedDayOne(server, { 'Day 01/notes.txt': 'call sheet, a few bytes', 'Empty/': '' }, 3).then(() => {}),
  prepareTimeoutMs: 240_000,
  pagePerTest: false,
});

/** A page signed in as admin on a desktop, or on the screen given. */
const open = (viewport = { width: 1440, height: 900 }, hasTouch = false) =>
  app.openPage({ viewport, hasTouch });

const headers = (page: Page) => page.locator('thead [role=columnheader]').allInnerTexts();
const uploadPanel = (page: Page) => page.getByRole('region', { name: 'Uploads' });

/** Files made in the page (no file on disk) dropped on the folder view, as a desktop drop would. */
async function dropFiles(page: Page, files: Array<{ name: string; size: number }>) {
  await page.evaluate((files) => {
    const data = new DataTransfer();
    for (const f of files) data.items.add(new File([new Uint8Array(f.size).fill(7)], f.name));
    const target = document.querySelector('section.main')!;
    for (const type of ['dragenter', 'dragover', 'drop'])
      target.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
  }, files);
}

describe('desktop (1440×900)', () => {
  it('chooses and resizes columns, kept for the account across a reload; timecode and location chips shown', async () => {
    const page = await open();
    await page.goto(browseUrl('/Day 01'));
    await expectRows(page, ['Cam B', 'A001C001.mov', 'notes.txt']);
    expect(await headers(page)).toEqual([
      '',
      'Name',
      'Scene / Take',
      'Format',
      'Status',
      'Location',
      'Resolution',
      'Frame rate',
      'Duration',
      'Size',
    ]);
    const chooser = page.locator('details.column-chooser');
    await chooser.locator('summary').click();
    const panel = page.getByRole('group', { name: 'Columns to show' });
    await panel.getByRole('checkbox', { name: 'Start timecode' }).check();
    await panel.getByRole('checkbox', { name: 'Who can see' }).check();
    await panel.getByRole('checkbox', { name: 'Uploaded by' }).check();
    await panel.getByRole('checkbox', { name: 'Scene / Take' }).uncheck();
    expect(await panel.getByRole('checkbox', { name: 'Name' }).isDisabled()).toBe(true);
    await screenshot(page, 'second-pass-desktop-column-chooser');
    await page.keyboard.press('Escape');
    expect(await chooser.getAttribute('open')).toBeNull();

    expect(await headers(page)).toContain('Start TC');
    expect(await headers(page)).not.toContain('Scene / Take');
    expect(await row(page, 'A001C001.mov').innerText()).toContain('01:00:00:00');
    expect(await row(page, 'A001C001.mov').innerText()).toContain('23.976');

    // Wider by keys: the Name column's edge takes ← →.
    const nameHeader = page.locator('thead [role=columnheader]').nth(1);
    const before = (await nameHeader.boundingBox())!.width;
    await page.getByRole('separator', { name: 'Width of Name column' }).focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowRight');
    await eventually(
      async () => (await nameHeader.boundingBox())!.width,
      (w) => Math.abs(w - (before + 256)) < 4,
      {
        message: 'the Name column 256 px wider',
      },
    );
    // And by dragging the Format column's edge.
    const format = page.locator('thead [role=columnheader]').nth(2);
    const formatBox = (await format.boundingBox())!;
    const edge = (await page.getByRole('separator', { name: 'Width of Format column' }).boundingBox())!;
    await page.mouse.move(edge.x + edge.width / 2, edge.y + edge.height / 2);
    await page.mouse.down();
    await page.mouse.move(edge.x + edge.width / 2 + 60, edge.y + edge.height / 2, { steps: 5 });
    await page.mouse.up();
    await eventually(
      async () => (await format.boundingBox())!.width,
      (w) => Math.abs(w - (formatBox.width + 60)) < 4,
      {
        message: 'the Format column 60 px wider',
      },
    );
    const widths = await page
      .locator('thead [role=columnheader]')
      .evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width)));

    await page.reload();
    await expectRows(page, ['Cam B', 'A001C001.mov', 'notes.txt']);
    expect(await headers(page)).toEqual([
      '',
      'Name',
      'Format',
      'Status',
      'Location',
      'Who can see',
      'Resolution',
      'Frame rate',
      'Start TC',
      'Duration',
      'Size',
      'Uploaded by',
    ]);
    expect(
      await page
        .locator('thead [role=columnheader]')
        .evaluateAll((cells) => cells.map((c) => Math.round(c.getBoundingClientRect().width))),
    ).toEqual(widths);

    // Kept under this account's name: another account on this browser has its own.
    expect(
      await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('dailies.columns.'))),
    ).toEqual(['dailies.columns.admin']);

    // Reset brings the defaults back.
    await page.goto(browseUrl('/Day 01'));
    await chooser.locator('summary').click();
    await panel.getByRole('button', { name: 'Reset columns and widths' }).click();
    expect(await headers(page)).toContain('Scene / Take');
    expect(await headers(page)).not.toContain('Start TC');
  });

  it('copies a folder with its subfolders to the edit volume and removes it; location chips never cut a name', async () => {
    const page = await open();
    await page.goto(browseUrl('/'));
    await row(page, 'Day 01').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Copy folder to edit volume…' }).click();
    const copy = dialog(page, 'Copy Day 01 to an edit volume');
    await copy.getByRole('radio', { name: /Avid NEXIS \(edit 1\)/ }).waitFor();
    await screenshot(page, 'second-pass-desktop-copy-folder');
    await copy.getByRole('button', { name: 'Copy' }).click();
    await page
      .getByText(/Copying Day 01 to Avid NEXIS \(edit 1\): 3 assets done/)
      .waitFor({ timeout: 60_000 });
    expect(existsSync(join(volume.dir, 'Day 01/Cam B/B001C001.mp4'))).toBe(true);
    expect(readFileSync(join(volume.dir, 'Day 01/notes.txt'), 'utf8')).toBe('call sheet, a few bytes');

    await page.goto(browseUrl('/Day 01'));
    const chips = row(page, 'A001C001.mov').locator('.location-chip');
    await eventually(
      () => row(page, 'A001C001.mov').locator('.location-chip:not(.location-chip--more)').allTextContents(),
      (t) => t.join('|') === 'lake|Avid NEXIS (edit 1)',
      { message: 'both locations as chips' },
    );
    const where = row(page, 'A001C001.mov').getByRole('img', { name: 'In lake and Avid NEXIS (edit 1)' });
    expect(await where.getAttribute('title')).toBe('In lake and Avid NEXIS (edit 1)');
    /** Each chip is whole inside the cell's line, or wholly out of sight below it. */
    const placed = () =>
      chips.evaluateAll((all) =>
        all.map((c) => {
          if (c.classList.contains('location-chip--more')) return c.textContent;
          const line = c.parentElement!.getBoundingClientRect();
          const r = c.getBoundingClientRect();
          const whole =
            r.top >= line.top - 0.5 && r.bottom <= line.bottom + 0.5 && r.right <= line.right + 0.5;
          const gone = r.top >= line.bottom - 0.5;
          return `${c.textContent}:${whole ? 'whole' : gone ? 'hidden' : `cut ${JSON.stringify(r)} in ${JSON.stringify(line)}`}`;
        }),
      );
    // Wide enough: both whole, nothing counted.
    const handle = page.getByRole('separator', { name: 'Width of Location column' });
    await handle.focus();
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowRight');
    await eventually(placed, (p) => p.join() === 'lake:whole,Avid NEXIS (edit 1):whole', {
      message: 'both chips whole in a wide column',
    });
    await screenshot(page, 'second-pass-desktop-location-chips-wide');
    // Narrowed until both do not fit: the volume's chip goes whole and "+1" says so.
    for (let i = 0; i < 2; i++) await page.keyboard.press('Shift+ArrowLeft');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    await eventually(placed, (p) => p.join() === 'lake:whole,Avid NEXIS (edit 1):hidden,+1', {
      message: 'lake whole, the volume out of sight and counted',
    });
    await screenshot(page, 'second-pass-desktop-location-chips');

    await page.goto(browseUrl('/'));
    await row(page, 'Day 01').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Remove folder from edit volume…' }).click();
    await dialog(page, 'Remove Day 01 from an edit volume').getByRole('button', { name: 'Remove' }).click();
    await page
      .getByText(/Removing Day 01 from Avid NEXIS \(edit 1\): 3 assets done/)
      .waitFor({ timeout: 60_000 });
    expect(readdirSync(volume.dir, { recursive: true }).filter((f) => String(f).endsWith('.mp4'))).toEqual(
      [],
    );
  });

  it('sorts cards, and the order survives a reload', async () => {
    const page = await open();
    await page.goto(browseUrl('/Day 01', 'view=cards'));
    const names = () => page.locator('.card .card__name').allInnerTexts();
    await eventually(names, (n) => n.join('|') === 'Cam B|A001C001.mov|notes.txt', {
      message: 'cards by name',
    });
    await page.getByRole('combobox', { name: 'Sort by' }).selectOption('size');
    await eventually(names, (n) => n.join('|') === 'Cam B|notes.txt|A001C001.mov', {
      message: 'cards by size',
    });
    await page.getByRole('button', { name: 'Ascending; sort descending' }).click();
    await eventually(names, (n) => n.slice(1).join('|') === 'A001C001.mov|notes.txt', {
      message: 'cards by size, largest first',
    });
    await page.reload();
    await eventually(names, (n) => n.slice(1).join('|') === 'A001C001.mov|notes.txt', {
      message: 'after reload',
    });
    expect(await page.getByRole('combobox', { name: 'Sort by' }).inputValue()).toBe('size');
    await screenshot(page, 'second-pass-desktop-cards-sorted');
  });

  it('asks about a taken name: keep both lands "name (2).ext"; skip holds for the rest of the batch', async () => {
    await app.server.seed({ 'Dupes/take.wav': 'first take', 'Dupes/b.wav': 'b', 'Dupes/c.wav': 'c' });
    const page = await open();
    await page.goto(browseUrl('/Dupes'));
    await expectRows(page, ['b.wav', 'c.wav', 'take.wav']);

    await dropFiles(page, [{ name: 'take.wav', size: 2048 }]);
    const ask = dialog(page, 'A file with this name is already there');
    await ask.waitFor();
    expect(await ask.innerText()).toContain('take (2).wav');
    await screenshot(page, 'second-pass-desktop-duplicate-name');
    await ask.getByRole('button', { name: 'Keep both' }).click();
    await expectRows(
      page,
      ['b.wav', 'c.wav', 'take (2).wav', 'take.wav'],
      'the second take kept beside the first',
    );
    expect(readFileSync(join(app.server.lakeDir, 'Dupes/take.wav'), 'utf8')).toBe('first take');
    expect(readFileSync(join(app.server.lakeDir, 'Dupes/take (2).wav')).length).toBe(2048);

    // Three at once, two of them taken: one question, "skip" holds for the other, the new one lands.
    await dropFiles(page, [
      { name: 'b.wav', size: 10 },
      { name: 'new.wav', size: 10 },
      { name: 'c.wav', size: 10 },
    ]);
    await ask.waitFor();
    await ask.getByRole('button', { name: 'Skip' }).click();
    await expectRows(page, ['b.wav', 'c.wav', 'new.wav', 'take (2).wav', 'take.wav']);
    await eventually(
      () => uploadPanel(page).getByTestId('upload-item').allInnerTexts(),
      (items) => items.filter((t) => t.includes('Skipped')).length === 2,
      { message: 'both taken names skipped with one answer' },
    );
    expect(await dialog(page).count()).toBe(0);
    expect(readFileSync(join(app.server.lakeDir, 'Dupes/b.wav'), 'utf8')).toBe('b');

    // Cancel stops the batch.
    await dropFiles(page, [{ name: 'c.wav', size: 10 }]);
    await ask.getByRole('button', { name: 'Cancel upload' }).click();
    await eventually(
      () => uploadPanel(page).getByTestId('upload-item').last().innerText(),
      (t) => t.includes('Cancelled'),
      { message: 'the upload cancelled' },
    );
    expect(await rowNames(page)).toEqual(['b.wav', 'c.wav', 'new.wav', 'take (2).wav', 'take.wav']);
  });

  it('makes a new folder inside the move picker and moves there', async () => {
    await app.server.seed({ 'Pick/clip.mov': 'clip' });
    const page = await open();
    await page.goto(browseUrl('/Pick'));
    await row(page, 'clip.mov').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Move to Folder/ }).click();
    const picker = dialog(page, 'Move 1 asset to folder');
    await picker.getByRole('button', { name: 'New folder' }).click();
    const name = picker.getByRole('textbox', { name: /New folder in/ });
    await name.fill('Cam A/B roll');
    await name.press('Enter');
    expect(await picker.getByRole('alert').innerText()).toMatch(/cannot contain “\/”/);
    await name.fill('Selects 50%_v2');
    await screenshot(page, 'second-pass-desktop-move-new-folder');
    await name.press('Enter');
    await picker.getByRole('treeitem', { name: /Selects 50%_v2/ }).waitFor();
    expect(await picker.innerText()).toContain('/Pick/Selects 50%_v2');
    await picker.getByRole('button', { name: 'Move' }).click();
    await expectRows(page, ['Selects 50%_v2'], 'the asset gone into the new folder');
    expect(readFileSync(join(app.server.lakeDir, 'Pick/Selects 50%_v2/clip.mov'), 'utf8')).toBe('clip');
  });
});

const SIZES = [
  { name: 'phone', width: 390, height: 844, touch: true },
  { name: 'tablet', width: 768, height: 1024, touch: true },
  { name: 'desktop', width: 1440, height: 900, touch: false },
] as const;

describe.each(SIZES)('new states at $name ($width×$height)', (size) => {
  async function fits(page: Page, step: string) {
    const seen = await page.evaluate(() => ({
      document: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(seen.document, `${step}: document width`).toBe(seen.width);
  }

  it('shows upload rows in the folder while files are on their way, then the files', async () => {
    const folder = `Incoming ${size.name}`;
    await app.server.seed({ [`${folder}/`]: '' });
    const page = await open({ width: size.width, height: size.height }, size.touch);
    await page.goto(browseUrl(`/${folder}`));
    await page.getByText('This folder is empty').waitFor();
    await throttleUploads(page, 256 * 1024);
    await dropFiles(page, [
      { name: 'A002C001.mov', size: 1_500_000 },
      { name: 'A002C002.mov', size: 600_000 },
    ]);
    const placeholders = page.getByRole('list', { name: 'Uploads into this folder' });
    await placeholders.getByTestId('upload-placeholder').first().waitFor();
    expect(await page.getByText('This folder is empty').count()).toBe(0);
    await eventually(
      () => placeholders.getByTestId('upload-placeholder').first().innerText(),
      (t) => /\d+%/.test(t),
      { message: 'a placeholder with its progress' },
    );
    await fits(page, 'uploading');
    await screenshot(page, `second-pass-${size.name}-upload-placeholders`);
    await expectRows(page, ['A002C001.mov', 'A002C002.mov'], 'the uploaded files');
    expect(await placeholders.count()).toBe(0);
  });

  it('sorts cards and offers a new folder in the move picker, within the window', async () => {
    const page = await open({ width: size.width, height: size.height }, size.touch);
    await page.goto(browseUrl('/Day 01', 'view=cards&sort=size&order=desc'));
    await page.getByRole('combobox', { name: 'Sort by' }).waitFor();
    await eventually(
      () => page.locator('.card .card__name').allInnerTexts(),
      (n) => n.includes('A001C001.mov'),
      { message: 'the cards' },
    );
    await fits(page, 'cards sorted');
    // On every card, a place is shown whole or not at all ("+N" counts it).
    const cut = await page.locator('.card .location-chip').evaluateAll((all) =>
      all
        .filter(
          (c) => !c.classList.contains('location-chip--more') && !c.classList.contains('location-chip--out'),
        )
        .filter((c) => {
          const line = c.parentElement!.getBoundingClientRect();
          const r = c.getBoundingClientRect();
          return r.top < line.bottom - 0.5 && (r.right > line.right + 0.5 || r.left < line.left - 0.5);
        })
        .map((c) => c.textContent),
    );
    expect(cut, 'chips shown in part').toEqual([]);
    await screenshot(page, `second-pass-${size.name}-cards-sorted`);

    await page.goto(browseUrl('/Day 01'));
    await row(page, 'notes.txt').click({ button: 'right' });
    await page.getByRole('menuitem', { name: /^Move to Folder/ }).click();
    const picker = dialog(page, 'Move 1 asset to folder');
    await picker.getByRole('button', { name: 'New folder' }).click();
    await picker.getByRole('textbox', { name: /New folder in/ }).waitFor();
    await fits(page, 'move picker');
    await screenshot(page, `second-pass-${size.name}-move-new-folder`);
  });
});
