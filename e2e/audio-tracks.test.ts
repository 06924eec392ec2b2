/**
 * Every audio track of a clip in the player: an MXF with eight mono tracks offers each in a
 * chooser; choosing one solos it (the picture is muted, that track plays in step with it) and
 * its waveform lane stands out. The preview also shows a warning when the content is not what
 * the name says, and a phone clip shot upright is listed portrait.
 * Real: media made by ffmpeg, the server's jobs, Debian Chromium playing the proxies.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { mediaFixture } from '../server/test/support/media-fixtures.js';
import { shootFixture } from '../server/test/support/shoot-fixtures.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually } from './support/ui.js';

const app = appUnderTest({
  prepare: async (server) => {
    mkdirSync(join(server.lakeDir, 'Shoot'), { recursive: true });
    copyFileSync(await shootFixture('eightMonoMxf'), join(server.lakeDir, 'Shoot/A001C001_8ch.mxf'));
    copyFileSync(await mediaFixture('jpeg'), join(server.lakeDir, 'Shoot/B001C001.mxf'));
    copyFileSync(await shootFixture('phoneRotatedMov'), join(server.lakeDir, 'Shoot/IMG_0042.MOV'));
    await server.dailies.indexing.reconcile();
    await eventually(
      async () => (await server.api('GET', '/api/assets?folder=/Shoot')).body.items,
      (items: any[]) => items?.length === 3 && items.every((a) => a.state === 'ready'),
      { timeout: 240_000, message: 'the shoot to be processed' },
    );
  },
  prepareTimeoutMs: 300_000,
});

async function openPreview(name: string) {
  await app.page.goto(browseUrl('/Shoot', 'view=cards'));
  await app.page
    .locator('.card')
    .getByRole('button', { name: `Preview ${name}` })
    .click();
  return dialog(app.page, name);
}

const videoState = () =>
  app.page.getByTestId('preview-video').evaluate((v) => {
    const video = v as HTMLVideoElement;
    return { muted: video.muted, paused: video.paused, time: video.currentTime };
  });
const soloState = () =>
  app.page.getByTestId('solo-track').evaluate((a) => {
    const audio = a as HTMLAudioElement;
    return { src: audio.currentSrc, paused: audio.paused, time: audio.currentTime, ready: audio.readyState };
  });

it('offers each of eight tracks, solos the one chosen in step with the picture, and draws each', async () => {
  const preview = await openPreview('A001C001_8ch.mxf');
  const chooser = preview.getByRole('combobox', { name: 'Audio track' });
  await chooser.waitFor();
  expect(await chooser.locator('option').allTextContents()).toEqual(
    Array.from({ length: 8 }, (_, i) => `Track ${i + 1} of 8${i === 0 ? '' : ' (solo)'}`),
  );
  // Track 1 is the picture's own sound: nothing extra plays, nothing is muted.
  expect(await app.page.getByTestId('solo-track').count()).toBe(0);
  expect((await videoState()).muted).toBe(false);

  const lanes = preview.getByRole('slider', { name: /Waveform of A001C001_8ch\.mxf, 8 tracks/ });
  await lanes.waitFor();
  expect(await lanes.locator('path[data-track]').count()).toBe(8);

  await chooser.selectOption({ label: 'Track 5 of 8 (solo)' });
  await expect.poll(async () => (await soloState()).src).toMatch(/\/audio\/5$/);
  expect((await videoState()).muted).toBe(true);
  expect(await lanes.locator('path.waveform__peaks--heard').getAttribute('data-track')).toBe('5');

  // Playing: the track plays with the picture, at the picture's time.
  await app.page.getByTestId('preview-video').evaluate((v) => {
    const video = v as HTMLVideoElement;
    video.currentTime = 0.5;
    return video.play();
  });
  await expect.poll(async () => (await soloState()).paused, { timeout: 10_000 }).toBe(false);
  const [picture, sound] = [await videoState(), await soloState()];
  expect(Math.abs(picture.time - sound.time)).toBeLessThan(0.4);
  await screenshot(app.page, 'audio-tracks-solo');

  // Pausing and seeking the picture takes the track along (the clip is 2 s: it may have ended).
  await app.page.getByTestId('preview-video').evaluate((v) => (v as HTMLVideoElement).pause());
  await expect.poll(async () => (await soloState()).paused).toBe(true);
  await app.page.getByTestId('preview-video').evaluate((v) => {
    (v as HTMLVideoElement).currentTime = 1.5;
  });
  await expect.poll(async () => Math.abs((await soloState()).time - 1.5)).toBeLessThan(0.2);

  // Back to track 1: the extra sound goes, the picture's own comes back.
  await chooser.selectOption({ label: 'Track 1 of 8' });
  await expect.poll(() => app.page.getByTestId('solo-track').count()).toBe(0);
  expect((await videoState()).muted).toBe(false);
});

it('the server serves each track with its own sound, and no track past the last', async () => {
  const asset = (await app.server.api('GET', '/api/assets?folder=/Shoot')).body.items.find(
    (a: any) => a.name === 'A001C001_8ch.mxf',
  );
  expect(asset.derivatives.audio).toHaveLength(8);
  expect((await app.server.api('GET', `/api/assets/${asset.id}/audio/9`)).status).toBe(404);
});

it('warns in the preview when a JPEG is named .mxf, and lists a portrait phone clip as 1080 × 1920', async () => {
  const preview = await openPreview('B001C001.mxf');
  const warning = preview.getByTestId('asset-warning');
  await warning.waitFor();
  expect(await warning.textContent()).toMatch(/content is JPEG, not what the name's "\.mxf" says/);
  await screenshot(app.page, 'content-name-warning');

  const phone = await openPreview('IMG_0042.MOV');
  await expect
    .poll(() => phone.locator('.metadata').textContent())
    .toMatch(/1080 × 1920 · 9:16 · stored 1920 × 1080, turned 90°/);
});
