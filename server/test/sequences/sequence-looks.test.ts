import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { boxDifference, meanRgb, rgbFrame, WARM_3D } from '../support/looks.js';
import { untilSettled } from '../support/poll.js';

const run = promisify(execFile);

/** Grey frames `plate.0001.png` … of 320×240, as a scan or render writes them into the lake. */
async function greyFrames(dir: string, numbers: number[]): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const n of numbers)
    await run('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x808080:size=320x240', '-frames:v', '1'],
      ...['-pix_fmt', 'rgb24', '-y', join(dir, `plate.${String(n).padStart(4, '0')}.png`)],
    ]);
}

function near(actual: number[], expected: number[], tolerance = 8) {
  for (const [i, v] of actual.entries())
    expect(Math.abs(v - expected[i]!), `channel ${i}: ${actual} vs ${expected}`).toBeLessThan(tolerance);
}

// Real: the whole server on both catalogs, an fs lake, the settler on its timer, ffmpeg in its
// sandbox. A sequence's folder look is applied like a clip's: the LUT on the proxy's every frame
// and on the thumbnail, the burn-in counting the sequence's frames.
describe.each(CATALOGS)('a look on an image sequence (%s)', { timeout: 240_000 }, (catalog) => {
  let t: TestDailies | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('grades the proxy and the thumbnail with the LUT; the burn-in counts its frames', async () => {
    t = await startDailies({ catalog, config: { sequenceQuietSeconds: 1 } });
    expect((await t.api('POST', '/api/folders', { path: '/Plates' })).status).toBe(201);
    const set = await t.api('PUT', `/api/folders/look?path=${encodeURIComponent('/Plates')}`, {
      lut: { name: 'warm.cube', cube: WARM_3D },
      burnIn: { clipName: false, timecode: false, frameCounter: true },
    });
    expect(set.status).toBe(200);
    // A gap at 5: the frame before it is held, the counter still counts the sequence's frames.
    await greyFrames(join(t.dataDir, 'lake', 'Plates'), [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12, 13]);
    await t.dailies.indexing.reconcile();
    const [row] = (await t.api('GET', `/api/assets?folder=${encodeURIComponent('/Plates')}`)).body.items;
    expect(row.name).toBe('plate.[0001-0013].png');
    const asset: any = await untilSettled(
      async () => (await t!.api('GET', `/api/assets/${row.id}`)).body,
      200_000,
    );
    await t.dailies.jobs.drain(200_000);
    expect(asset.state).toBe('ready');

    const local = async (kind: 'proxy' | 'thumbnail') => {
      const derivative = await t!.dailies.catalog.processing.getDerivative(row.id, kind);
      return t!.dailies.derived.localPath!(derivative!.key);
    };
    const proxy = await local('proxy');
    // Grey 128 through the warm LUT is (128, 64, 32), away from the burn-in's corner.
    for (const n of [0, 6, 12]) {
      const frame = await rgbFrame(proxy, n);
      expect(frame.height).toBe(240);
      near(meanRgb(frame, [0, 0, 200, 150]), [128, 64, 32]);
    }
    near(meanRgb(await rgbFrame(await local('thumbnail'))), [128, 64, 32]);
    // The counter (bottom right) differs from frame to frame; the rest of the picture does not.
    const [a, b] = [await rgbFrame(proxy, 2), await rgbFrame(proxy, 11)];
    expect(boxDifference(a, b, [220, 200, 100, 40])).toBeGreaterThan(2);
    expect(boxDifference(a, b, [0, 0, 200, 150])).toBeLessThan(1);
  });
});
