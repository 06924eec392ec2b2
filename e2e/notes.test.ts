/**
 * Notes at timecode in the player: a note added at the frame on screen of a 29.97 drop-frame
 * clip becomes a marker on the timeline; clicking the marker goes back to that frame, labelled
 * in the clip's own drop-frame timecode; a note another user adds arrives live.
 * Real: a clip made by ffmpeg with a drop-frame timecode, the server processing it, the built
 * web app, Debian Chromium.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { timecodedClip } from '../server/test/bins/timecoded-media.js';
import { appUnderTest } from './support/app.js';
import { screenshot } from './support/browser.js';
import { browseUrl, dialog, eventually, row } from './support/ui.js';

let assetId: string;
const app = appUnderTest({
  prepare: async (server) => {
    const clip = await timecodedClip({ rate: '30000/1001', timecode: '01:00:00;00', seconds: 3 });
    mkdirSync(join(server.lakeDir, 'Notes'), { recursive: true });
    writeFileSync(join(server.lakeDir, 'Notes/C003C004.mov'), clip);
    await server.dailies.indexing.reconcile();
    const items = await eventually(
      async () => (await server.api('GET', '/api/assets?folder=/Notes')).body.items,
      (items: any[]) => items.length === 1 && items[0].state === 'ready',
      { timeout: 120_000, message: 'the clip to be processed' },
    );
    assetId = items[0].id;
  },
});

const timecode = () => app.page.getByTestId('timecode').innerText();

describe('notes at timecode in the player', () => {
  it('adds a note at the frame on screen, shows its marker, and jumps back to it', async () => {
    await app.page.goto(browseUrl('/Notes', 'view=cards'));
    await app.page.getByRole('button', { name: 'Preview C003C004.mov' }).click();
    const preview = dialog(app.page, 'C003C004.mov');
    const video = preview.getByTestId('preview-video');
    await video.waitFor();
    await video.evaluate((v) => {
      (v as HTMLVideoElement).pause();
      (v as HTMLVideoElement).currentTime = 0;
    });
    await eventually(timecode, (tc) => tc === '01:00:00;00', { message: 'the drop-frame start timecode' });
    for (let i = 0; i < 3; i += 1) await preview.getByRole('button', { name: 'Next frame' }).click();
    await eventually(timecode, (tc) => tc === '01:00:00;03', { message: 'three frames on' });

    const notes = preview.getByRole('region', { name: 'Notes' });
    await notes.getByRole('textbox', { name: 'New note' }).fill('Boom dips into frame');
    expect(await notes.getByRole('checkbox').isChecked()).toBe(true);
    expect(await notes.locator('.notes__at').innerText()).toContain('01:00:00;03');
    await notes.getByRole('button', { name: 'Add note' }).click();

    const marker = preview.getByRole('button', {
      name: /^Note at 01:00:00;03 by admin: Boom dips into frame/,
    });
    await marker.waitFor();
    await notes.getByRole('button', { name: 'Go to 01:00:00;03' }).waitFor();

    // Somewhere else in the clip, then the marker brings the player back to the note's frame.
    await video.evaluate((v) => {
      (v as HTMLVideoElement).currentTime = 2.2;
    });
    await eventually(timecode, (tc) => tc !== '01:00:00;03', { message: 'the player to move away' });
    await marker.click();
    await eventually(timecode, (tc) => tc === '01:00:00;03', { message: 'the marker to jump to its frame' });
    expect(await video.evaluate((v) => (v as HTMLVideoElement).paused)).toBe(true);
    await screenshot(app.page, 'notes-marker');

    // Another user's note arrives while the preview is open.
    const added = await app.server.api('POST', `/api/assets/${assetId}/notes`, {
      text: 'Soft focus on the pull',
      timecode: '01:00:02;10',
    });
    expect(added.status).toBe(201);
    await preview.getByRole('button', { name: /^Note at 01:00:02;10 by admin: Soft focus/ }).waitFor();
    expect(await notes.locator('.notes__item').count()).toBe(2);
    // The scrub bar (and the markers under it) spans the player: the audio track select's class
    // once squeezed it to 11rem with a border.
    const scrub = (await preview.getByRole('slider', { name: 'Position' }).boundingBox())!;
    expect(scrub.width).toBeGreaterThan((await video.boundingBox())!.width / 2);
    await screenshot(app.page, 'notes-two-markers');
  });

  it("exports the folder as an FCPXML bin from the folder's menu, with the notes as markers", async () => {
    await app.server.api('POST', `/api/assets/${assetId}/notes`, {
      text: 'Marker for the bin',
      timecode: '01:00:01;00',
    });
    await app.page.goto(browseUrl('/'));
    await row(app.page, 'Notes').click({ button: 'right' });
    await app.page.getByRole('menuitem', { name: 'Export Bin…' }).click();
    const exportDialog = dialog(app.page, 'Export bin');
    await exportDialog.getByRole('radio', { name: /FCPXML/ }).check();
    await screenshot(app.page, 'bin-export-dialog');
    const [download] = await Promise.all([
      app.page.waitForEvent('download'),
      exportDialog.getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Notes.fcpxml');
    const xml = readFileSync(await download.path(), 'utf8');
    expect(xml).toContain('<fcpxml version="1.10">');
    // 01:00:00;00 at 29.97 DF is frame 107,892; the note is 30 frames in.
    expect(xml).toContain('start="107999892/30000s"');
    expect(xml).toContain(
      `<marker start="${(107_892 + 30) * 1001}/30000s" duration="1001/30000s" value="Marker for the bin"`,
    );
    expect(xml).toContain('src="Notes/C003C004.mov"');
  });
});
