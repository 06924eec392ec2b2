/**
 * Audio you can see: an audio asset's card shows its waveform, the preview draws it with a
 * playhead, and a click on it (or the arrow keys) seeks the sound.
 * Real: a 5.1 WAV made by ffmpeg, the server's waveform job, Debian Chromium playing the proxy.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually } from './support/ui.js';

const app = appUnderTest({
  prepare: async (server) => {
    mkdirSync(join(server.lakeDir, 'Sound'), { recursive: true });
    copyFileSync(await mediaFixture('wav51'), join(server.lakeDir, 'Sound/room-tone.wav'));
    await server.dailies.indexing.reconcile();
    await eventually(
      async () => (await server.api('GET', '/api/assets?folder=/Sound')).body.items[0],
      (asset: any) => asset?.state === 'ready' && asset.derivatives.waveform !== null,
      { timeout: 120_000, message: 'the audio to be processed with its waveform' },
    );
  },
});

const currentTime = () =>
  app.page.getByTestId('preview-video').evaluate((v) => (v as HTMLVideoElement).currentTime);

it('shows the waveform on the card and in the preview, where a click seeks', async () => {
  const { page } = app;
  await page.goto(browseUrl('/Sound', 'view=cards'));
  const cardWave = page.locator('.card').getByRole('img', { name: 'Waveform of room-tone.wav' });
  await cardWave.waitFor();
  // Drawn from the server's peaks: bars, not an empty box.
  expect((await cardWave.locator('path').getAttribute('d'))?.length).toBeGreaterThan(100);
  await screenshot(page, 'audio-card-waveform');

  await page.locator('.card').getByRole('button', { name: 'Preview room-tone.wav' }).click();
  const preview = dialog(page, 'room-tone.wav');
  const wave = preview.getByRole('slider', { name: /Waveform of room-tone.wav/ });
  await wave.waitFor();
  const box = (await wave.boundingBox())!;
  expect(box.height).toBeGreaterThan(60);
  // Stop the sound, then click three quarters of the way along: it plays from there.
  await preview.getByRole('button', { name: 'Pause' }).click();
  const duration = await page.getByTestId('preview-video').evaluate((v) => (v as HTMLVideoElement).duration);
  await wave.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
  await expect.poll(currentTime).toBeGreaterThan(duration * 0.7);
  expect(await currentTime()).toBeLessThan(duration * 0.8);
  // The playhead follows.
  const playhead = Number(await wave.locator('line').getAttribute('x1'));
  expect(playhead).toBeGreaterThan(0);
  await screenshot(page, 'audio-preview-waveform');

  // The keyboard seeks too: Home back to the start.
  await wave.focus();
  await page.keyboard.press('Home');
  await expect.poll(currentTime).toBeLessThan(0.2);
});
