/**
 * Handing the day to the editors, start to end in the browser (issue 16): a media manager logs
 * a folder's clips (scene in bulk, a take in the preview), circles the take, adds a note at a
 * timecode, runs "Prepare for edit", and the edit volume then holds the media, the `ascmhl/`
 * history and the ALE + FCPXML bins, each checked by content. Then a selection spread over two
 * folders is prepared from search results under a bin name of one's own, and the checksums of a
 * folder and of a selection are downloaded from the menus and validated against the ASC schema.
 *
 * Real: the server processing clips ffmpeg made with a 25 fps timecode, an fs lake and edit
 * volume, the built web app, Debian Chromium, xmllint against the ASC MHL XSDs. Screenshots:
 * e2e/screenshots/handoff-*.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { parseAle } from '../server/test/bins/ale-parse.js';
import { timecodedClip } from '../server/test/bins/timecoded-media.js';
import { schemaErrors } from '../server/test/mhl/xmllint.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, expectRows, row, rowNames } from './support/ui.js';

const volumeDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-handoff-volume-'));
const DAY = ['A001C001.mov', 'A001C002.mov'];

const app = appUnderTest({
  config: () => ({
    volumes: [
      {
        id: 'edit',
        name: 'Cutting Room',
        path: volumeDir,
        displayPath: '/Volumes/CUTTING',
        groups: ['editors'],
      },
    ],
    volumeScanInterval: 0,
  }),
  prepare: async (server) => {
    const clip = await timecodedClip({ rate: '25', timecode: '10:00:00:00', seconds: 2 });
    for (const [folder, name] of [...DAY.map((n) => ['Day 07', n]), ['Day 08', 'C001C001.mov']]) {
      mkdirSync(join(server.lakeDir, folder!), { recursive: true });
      writeFileSync(join(server.lakeDir, folder!, name!), clip);
    }
    await server.dailies.indexing.reconcile();
    await eventually(
      async () => {
        const lists = await Promise.all(
          ['/Day 07', '/Day 08'].map((f) => server.api('GET', `/api/assets?folder=${encodeURIComponent(f)}`)),
        );
        return lists.flatMap((l) => l.body.items.map((a: { state: string }) => a.state));
      },
      (states) => states.length === 3 && states.every((s) => s === 'ready'),
      { timeout: 180_000, message: 'the clips to be processed' },
    );
  },
});

afterAll(() => rmSync(volumeDir, { recursive: true, force: true }));

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Actions' });

describe('handing the day to the editors', () => {
  it('logs, circles a take, notes a timecode and prepares the folder: media, ASC MHL, ALE and FCPXML on the volume', async () => {
    const { page } = app;
    await page.goto(browseUrl('/Day 07'));
    await expectRows(page, DAY);

    // Scene 7A on both clips at once.
    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await toolbar(page).getByRole('button', { name: 'Log ▾' }).click();
    await page.getByRole('menuitem', { name: 'Log 2 Selected…' }).click();
    const bulk = dialog(page, 'Log 2 assets');
    await bulk.getByLabel('Scene', { exact: true }).fill('7A');
    await bulk.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => bulk.count()).toBe(0);
    await page.getByRole('checkbox', { name: 'Select all' }).click();

    // The preview of the second clip: take 3, circled, and a note five frames in.
    await row(page, DAY[1]!).dblclick();
    const preview = dialog(page, DAY[1]);
    const log = preview.getByRole('form', { name: 'Log' });
    await expect.poll(() => log.getByLabel('Scene', { exact: true }).inputValue()).toBe('7A');
    await log.getByLabel('Take', { exact: true }).fill('3');
    await log.getByRole('button', { name: 'Save log' }).click();
    await expect.poll(() => log.getByRole('status').innerText()).toBe('Saved');
    await log.getByLabel('Circle take', { exact: true }).check();
    await expect.poll(() => log.getByLabel('Circled take', { exact: true }).isChecked()).toBe(true);

    const video = preview.getByTestId('preview-video');
    await video.waitFor();
    await video.evaluate((v) => {
      (v as HTMLVideoElement).pause();
      (v as HTMLVideoElement).currentTime = 0;
    });
    const timecode = () => preview.getByTestId('timecode').innerText();
    await eventually(timecode, (tc) => tc === '10:00:00:00', { message: 'the start timecode' });
    for (let i = 0; i < 5; i += 1) await preview.getByRole('button', { name: 'Next frame' }).click();
    await eventually(timecode, (tc) => tc === '10:00:00:05', { message: 'five frames on' });
    const notes = preview.getByRole('region', { name: 'Notes' });
    await notes.getByRole('textbox', { name: 'New note' }).fill('Boom in frame, use take 2 audio');
    await notes.getByRole('button', { name: 'Add note' }).click();
    await preview.getByRole('button', { name: /^Note at 10:00:00:05 by admin: Boom in frame/ }).waitFor();
    await screenshot(page, 'handoff-logged-and-noted');
    await preview.getByRole('button', { name: 'Close' }).click();
    await expect
      .poll(() => row(page, DAY[1]!).locator('.log-cell').innerText())
      .toMatch(/7A \/ 3\s*\(circled\)/);
    await screenshot(page, 'handoff-folder-logged');

    // Prepare for edit from the folder's menu.
    await page.goto(browseUrl('/'));
    await row(page, 'Day 07').click({ button: 'right' });
    await page.getByRole('menuitem', { name: 'Prepare for edit…' }).click();
    const prepare = dialog(page, 'Prepare Day 07 for edit');
    await prepare.getByRole('radio', { name: /Cutting Room/ }).check();
    await screenshot(page, 'handoff-prepare-dialog');
    await prepare.getByRole('button', { name: 'Prepare' }).click();
    await page.getByText(/Day 07 is ready for edit on Cutting Room: 2 assets/).waitFor({ timeout: 90_000 });
    await screenshot(page, 'handoff-prepared');

    // The media, byte for byte.
    for (const name of DAY)
      expect(readFileSync(join(volumeDir, 'Day 07', name))).toEqual(
        readFileSync(join(app.server.lakeDir, 'Day 07', name)),
      );
    // The ASC MHL history: a chain and generations that validate and record both clips.
    await app.server.dailies.jobs.drain(30_000);
    const history = readdirSync(join(volumeDir, 'Day 07/ascmhl'));
    expect(history).toContain('ascmhl_chain.xml');
    expect(schemaErrors(readFileSync(join(volumeDir, 'Day 07/ascmhl/ascmhl_chain.xml')), 'chain')).toBeNull();
    const generations = history.filter((f) => f.endsWith('.mhl'));
    expect(generations.length).toBeGreaterThanOrEqual(1);
    let recorded = '';
    for (const g of generations) {
      const text = readFileSync(join(volumeDir, 'Day 07/ascmhl', g), 'utf8');
      expect(schemaErrors(text, 'generation'), g).toBeNull();
      recorded += text;
    }
    for (const name of DAY) expect(recorded).toContain(`>${name}</path>`);
    // The ALE: scene on both, the circled take 3 and the note at its timecode on the second.
    const ale = parseAle(readFileSync(join(volumeDir, 'Day 07.ale'), 'utf8'));
    expect(ale.heading.FPS).toBe('25');
    expect(ale.rows.map((r) => [r.Name, r.Scene, r.Take, r.Circled])).toEqual([
      ['A001C001', '7A', '', ''],
      ['A001C002', '7A', '3', 'Yes'],
    ]);
    expect(ale.rows[1]!.Comments).toBe('10:00:00:05 Boom in frame, use take 2 audio (admin)');
    // The FCPXML: the marker on the note's frame (10:00:00:00 is frame 900,000 at 25 fps).
    const fcpxml = readFileSync(join(volumeDir, 'Day 07.fcpxml'), 'utf8');
    execFileSync('xmllint', ['--noout', '--nonet', join(volumeDir, 'Day 07.fcpxml')]);
    expect(fcpxml).toContain(
      '<marker start="900005/25s" duration="1/25s" value="Boom in frame, use take 2 audio"',
    );
    expect(fcpxml).toContain('src="Day%2007/A001C002.mov"');
  }, 240_000);

  it('prepares a selection spread over two folders from the search results, under a name of its own', async () => {
    const { page, server } = app;
    const day08 = (await server.api('GET', `/api/assets?folder=${encodeURIComponent('/Day 08')}`)).body
      .items[0];
    expect(
      (await server.api('PATCH', `/api/assets/${day08.id}/log`, { scene: '7A', take: '1' })).status,
    ).toBe(200);
    await page.goto('/search?q=scene%3A7A');
    await eventually(
      () => rowNames(page),
      (names) => names.length === 3,
      { message: 'the three clips of scene 7A' },
    );
    await page.getByRole('checkbox', { name: 'Select all' }).click();
    await toolbar(page).getByRole('button', { name: 'Edit Volume ▾' }).click();
    await page.getByRole('menuitem', { name: 'Prepare for Edit…' }).click();
    const prepare = dialog(page, 'Prepare 3 assets for edit');
    const name = prepare.getByLabel('Bin name');
    expect(await name.inputValue()).toMatch(/^Selection \d{4}-\d\d-\d\d \d\d-\d\d$/);
    await name.fill('Scene 7A');
    await screenshot(page, 'handoff-prepare-selection-dialog');
    await prepare.getByRole('button', { name: 'Prepare' }).click();
    await page
      .getByText('3 assets ready for edit on Cutting Room: ASC MHL, Scene 7A.ale and Scene 7A.fcpxml')
      .waitFor({ timeout: 90_000 });
    await screenshot(page, 'handoff-prepared-selection');

    expect(existsSync(join(volumeDir, 'Day 08/C001C001.mov'))).toBe(true);
    expect(readdirSync(join(volumeDir, 'Day 08/ascmhl'))).toContain('ascmhl_chain.xml');
    const ale = parseAle(readFileSync(join(volumeDir, 'Scene 7A.ale'), 'utf8'));
    expect(ale.rows.map((r) => [r.Name, r.Scene, r.Take, r.Circled])).toEqual([
      ['A001C001', '7A', '', ''],
      ['A001C002', '7A', '3', 'Yes'],
      ['C001C001', '7A', '1', ''],
    ]);
    const fcpxml = readFileSync(join(volumeDir, 'Scene 7A.fcpxml'), 'utf8');
    expect(fcpxml).toContain('<marker start="900005/25s"');
    // Each clip's media path, from the bin at the volume's root, finds the copy.
    const sources = [...fcpxml.matchAll(/src="([^"]+)"/g)].map((m) => decodeURIComponent(m[1]!));
    expect(sources).toEqual(['Day 07/A001C001.mov', 'Day 07/A001C002.mov', 'Day 08/C001C001.mov']);
    for (const src of sources) expect(existsSync(join(volumeDir, src)), src).toBe(true);
  }, 180_000);

  it('downloads the checksums of a folder and of a selection as ASC MHL files that validate', async () => {
    const { page } = app;
    await page.goto(browseUrl('/'));
    await row(page, 'Day 07').click({ button: 'right' });
    const [folderFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Download checksums (ASC MHL)' }).click(),
    ]);
    expect(folderFile.suggestedFilename()).toMatch(/\.mhl$/);
    const folderMhl = readFileSync((await folderFile.path())!, 'utf8');
    expect(schemaErrors(folderMhl, 'generation')).toBeNull();
    for (const name of DAY) expect(folderMhl).toContain(name);

    await page.goto(browseUrl('/Day 07'));
    await expectRows(page, DAY);
    await row(page, DAY[1]!).click();
    // With a selection, edit volumes and an admin's Settings, every action still fits on one row.
    expect((await toolbar(page).boundingBox())?.height).toBeLessThan(60);
    await toolbar(page).getByRole('button', { name: 'Edit Volume ▾' }).click();
    await screenshot(page, 'handoff-checksums-menu');
    const [selectionFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('menuitem', { name: 'Download checksums (ASC MHL)' }).click(),
    ]);
    const selectionMhl = readFileSync((await selectionFile.path())!, 'utf8');
    expect(schemaErrors(selectionMhl, 'generation')).toBeNull();
    expect(selectionMhl).toContain(DAY[1]);
    expect(selectionMhl).not.toContain(DAY[0]);
  }, 60_000);
});
