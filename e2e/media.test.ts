/**
 * Real media in the browser: cards with a lazy thumbnail and the technical summary, hover
 * scrubbing through the filmstrip, the preview playing the proxy with the source timecode,
 * frame steps and the metadata beside it, and a failed asset with its reason and Retry.
 * Real: clips made by ffmpeg, the server processing them with ffmpeg/ffprobe/mediainfo, the
 * built web app, Debian Chromium (which plays H.264/AAC MP4 proxies).
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, expectRows, row } from './support/ui.js';

const app = appUnderTest({
  prepare: async (server) => {
    const files: Array<[string, string]> = [
      [await mediaFixture('h264Mp4'), 'Media/A001C001.mp4'],
      [await mediaFixture('proresMov'), 'Media/A001C002.mov'],
    ];
    for (const [source, key] of files) {
      mkdirSync(join(server.lakeDir, key, '..'), { recursive: true });
      copyFileSync(source, join(server.lakeDir, key));
    }
    writeFileSync(join(server.lakeDir, 'Media/broken.mov'), 'not a movie at all');
    await server.dailies.indexing.reconcile();
    // Every job done: both clips ready with their filmstrips, the broken one failed.
    await eventually(
      async () => (await server.api('GET', '/api/assets?folder=/Media')).body.items.map((a: any) => a.state),
      (states: string[]) => states.length === 3 && states.every((s) => s === 'ready' || s === 'failed'),
      { timeout: 120_000, message: 'the clips to be processed' },
    );
  },
});

const card = (name: string) => app.page.getByRole('gridcell', { name });
const timecode = () => app.page.getByTestId('timecode').innerText();
const videoTime = () =>
  app.page.getByTestId('preview-video').evaluate((v) => (v as HTMLVideoElement).currentTime);

describe('cards and preview with real media', () => {
  it('shows cards with thumbnail and technical summary, and scrubs the filmstrip on hover', async () => {
    const { page } = app;
    await page.goto(browseUrl('/Media', 'view=cards'));
    const clip = card('A001C001.mp4');
    await clip.waitFor();
    const thumbnail = clip.locator('.card__thumb img');
    expect(await thumbnail.getAttribute('loading')).toBe('lazy');
    await eventually(
      () => thumbnail.evaluate((img) => (img as HTMLImageElement).naturalWidth),
      (width) => width > 0,
      { message: 'the thumbnail to load' },
    );
    const text = await clip.innerText();
    for (const part of ['A001C001.mp4', '0:03', 'MP4', 'h264', 'aac', '1 track'])
      expect(text).toContain(part);
    expect(await card('A001C002.mov').innerText()).toContain('prores');

    // Hovering the right end of the thumbnail shows the last tile of the sprite.
    const box = (await clip.locator('.card__thumb').boundingBox())!;
    await page.mouse.move(box.x + 5, box.y + box.height / 2);
    await page.mouse.move(box.x + box.width - 5, box.y + box.height / 2, { steps: 4 });
    const tile = clip.getByTestId('filmstrip-tile').locator('.filmstrip__tile');
    await tile.waitFor();
    const style = await tile.evaluate((el) => getComputedStyle(el));
    expect(style.backgroundImage).toContain('/filmstrip.jpg');
    const lastX = style.backgroundPosition;
    await page.mouse.move(box.x + 5, box.y + box.height / 2, { steps: 4 });
    await eventually(
      () => tile.evaluate((el) => getComputedStyle(el).backgroundPosition),
      (position) => position !== lastX,
      { message: 'another tile at the start of the clip' },
    );
    await screenshot(page, 'cards-media');
    await page.mouse.move(0, 0);
    await clip.getByTestId('filmstrip-tile').waitFor({ state: 'detached' });
  });

  it('plays the proxy with the source timecode, steps frames, and shows the frame rate', async () => {
    const { page } = app;
    await page.goto(browseUrl('/Media', 'view=cards'));
    await card('A001C002.mov').getByRole('button', { name: 'Preview A001C002.mov' }).click();
    const preview = dialog(page, 'A001C002.mov');
    const metadata = preview.getByRole('complementary', { name: 'Technical metadata' });
    await expect.poll(() => metadata.innerText()).toContain('23.976 fps (24000/1001)');
    await expect.poll(() => metadata.innerText()).toContain('01:00:00:00');

    const video = preview.getByTestId('preview-video');
    await video.waitFor();
    // It starts by itself: the click that opened the preview lets the page play media.
    await eventually(videoTime, (t) => t > 0.3, { message: 'the proxy to play' });
    await screenshot(page, 'preview-playing');

    // The clip is two seconds long: it may have ended already. Back to the first frame, paused.
    await video.evaluate((v) => {
      (v as HTMLVideoElement).pause();
      (v as HTMLVideoElement).currentTime = 0;
    });
    await eventually(timecode, (tc) => tc === '01:00:00:00', { message: 'the start timecode' });
    await preview.getByRole('button', { name: 'Next frame' }).click();
    await eventually(timecode, (tc) => tc === '01:00:00:01', { message: 'one frame on' });
    await preview.getByRole('button', { name: 'Next frame' }).click();
    await eventually(timecode, (tc) => tc === '01:00:00:02', { message: 'two frames on' });
    await preview.getByRole('button', { name: 'Previous frame' }).click();
    await eventually(timecode, (tc) => tc === '01:00:00:01', { message: 'one frame back' });
  });

  it('shows why a failed asset failed, with Retry', async () => {
    const { page } = app;
    await page.goto(browseUrl('/Media'));
    await expectRows(page, ['A001C001.mp4', 'A001C002.mov', 'broken.mov']);
    expect(await row(page, 'broken.mov').getByTestId('asset-status').innerText()).toContain('Failed');
    await row(page, 'broken.mov').dblclick();
    const failed = dialog(page, 'broken.mov').getByRole('alert');
    await failed.getByText('Processing failed').waitFor();
    const reason = await failed.locator('.preview__failed-reason').innerText();
    expect(reason.length).toBeGreaterThan(5);
    expect(reason).not.toBe('No reason was recorded.');
    await screenshot(page, 'preview-failed');

    const retried = page.waitForResponse(
      (r) => r.url().endsWith('/retry') && r.request().method() === 'POST',
    );
    await failed.getByRole('button', { name: 'Retry processing' }).click();
    expect((await retried).status()).toBe(202);
    await page.locator('.toast', { hasText: 'Processing 1 asset again' }).waitFor();
  });
});
