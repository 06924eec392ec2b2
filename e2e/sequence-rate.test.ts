/**
 * An image sequence's frame rate, chosen in the asset's detail panel: its frames and gaps are
 * shown, a select offers the rates productions use, the choice is saved and the proxy made
 * again at that rate; a sequence gone meanwhile says so. Real: the server (SQLite, fs lake,
 * in-process workers, ffmpeg on PNG frames ffmpeg wrote), the built web app, Debian Chromium.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually } from './support/ui.js';

const app = appUnderTest({ config: () => ({ sequenceQuietSeconds: 1 }) });

/** PNG frames in the lake (`folder/plate.0001.png` …), processed into one ready sequence. */
async function plate(folder: string, numbers: number[]): Promise<string> {
  const dir = join(app.server.lakeDir, folder);
  mkdirSync(dir, { recursive: true });
  for (const n of numbers)
    execFileSync('ffmpeg', [
      ...[
        '-v',
        'error',
        '-f',
        'lavfi',
        '-i',
        `color=c=0x${(n * 40).toString(16).padStart(2, '0')}6080:size=160x90`,
      ],
      ...['-frames:v', '1', '-y', join(dir, `plate.${String(n).padStart(4, '0')}.png`)],
    ]);
  await app.server.dailies.indexing.reconcile();
  return eventually(
    async () => {
      const items = (await app.server.api('GET', `/api/assets?folder=${encodeURIComponent(`/${folder}`)}`))
        .body.items as Array<{ id: string; state: string }>;
      return items.length === 1 && items[0]!.state === 'ready' ? items[0]!.id : null;
    },
    (id) => id !== null,
    { timeout: 120_000, message: 'the sequence to be processed' },
  ) as Promise<string>;
}

const card = (name: string) => app.page.getByRole('gridcell', { name });

describe('a sequence’s frame rate in the detail panel', () => {
  it('shows the frames and gaps, saves a chosen rate and the proxy follows it', async () => {
    const id = await plate('Plates', [1, 2, 3, 5, 6]);
    await app.page.goto(browseUrl('/Plates', 'view=cards'));
    await card('plate.[0001-0006].png')
      .getByRole('button', { name: 'Preview plate.[0001-0006].png' })
      .click();
    const preview = dialog(app.page, 'plate.[0001-0006].png');
    const panel = preview.getByTestId('sequence-rate');
    await expect.poll(() => panel.innerText()).toContain('Frames 1–6 · 5 present · missing 4');
    const select = panel.getByLabel('Plays at');
    expect(await select.inputValue()).toBe('');
    const offered = await select.locator('option').allInnerTexts();
    expect(offered).toEqual([
      '24 fps (default)',
      ...['23.976', '24', '25', '29.97', '30', '48', '50', '59.94', '60'].map((r) => `${r} fps`),
    ]);
    const metadata = preview.getByRole('complementary', { name: 'Technical metadata' });
    await expect.poll(() => metadata.innerText()).toContain('24 fps (24/1)');

    await select.selectOption({ label: '29.97 fps' });
    await panel.getByRole('status').waitFor();
    expect(await panel.getByRole('status').innerText()).toContain('29.970 fps');
    const sequence = (await app.server.api('GET', `/api/assets/${id}/sequence`)).body as any;
    expect(sequence.chosenFrameRate).toBe('30000/1001');
    // The asset is processed again at the new rate, and the panel follows.
    await expect.poll(() => metadata.innerText(), { timeout: 60_000 }).toContain('29.970 fps (30000/1001)');
    await eventually(
      async () => (await app.server.api('GET', `/api/assets/${id}`)).body as any,
      (asset) => asset.state === 'ready' && asset.frameRate === '30000/1001',
      { timeout: 120_000, message: 'the proxy made again at 29.97' },
    );
    await preview.getByTestId('preview-video').waitFor({ timeout: 60_000 });
    await screenshot(app.page, 'sequence-rate');

    // Back to the default.
    await select.selectOption({ label: '24 fps (default)' });
    await expect
      .poll(
        async () => ((await app.server.api('GET', `/api/assets/${id}/sequence`)).body as any).chosenFrameRate,
      )
      .toBeNull();
  });

  it('says so when the sequence is gone before the rate is saved', async () => {
    const id = await plate('Gone', [1, 2, 3]);
    await app.page.goto(browseUrl('/Gone', 'view=cards'));
    await card('plate.[0001-0003].png')
      .getByRole('button', { name: 'Preview plate.[0001-0003].png' })
      .click();
    const panel = dialog(app.page, 'plate.[0001-0003].png').getByTestId('sequence-rate');
    const select = panel.getByLabel('Plays at');
    await select.waitFor();
    expect((await app.server.api('POST', '/api/assets/delete', { ids: [id] })).status).toBe(200);
    await select.selectOption({ label: '25 fps' });
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toMatch(/not found/i);
    await screenshot(app.page, 'sequence-rate-error');
  });
});
