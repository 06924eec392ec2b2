import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { importSettled } from '../support/builders.js';
import { withExifOrientation } from '../support/exif.js';
import { CATALOGS, startDailies, type TestDailies } from '../support/harness.js';
import { meanRgb, rgbFrame, writeLavfiStill } from '../support/looks.js';

/** What a portrait phone photo stores: a 640×320 landscape picture, blue left half, red right. */
async function landscapeJpeg(dir: string): Promise<Buffer> {
  const file = join(dir, 'landscape.jpg');
  const source = 'color=c=red:s=640x320,drawbox=x=0:y=0:w=320:h=320:c=blue:t=fill';
  return readFile(await writeLavfiStill(file, source, ['-q:v', '2', '-y']));
}

const isBlue = (rgb: number[]) => rgb[2]! > 150 && rgb[0]! < 100;
const isRed = (rgb: number[]) => rgb[0]! > 150 && rgb[2]! < 100;

// Real: the whole server on each catalog, an fs lake, ffprobe/mediainfo/ffmpeg in their sandbox.
describe.each(CATALOGS)('a still with an EXIF orientation (%s)', { timeout: 120_000 }, (catalog) => {
  let t: TestDailies | null = null;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dailies-exif-'));
  });
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  it('Orientation 6 (a portrait phone photo) is listed, thumbnailed and previewed upright', async () => {
    t = await startDailies({ catalog });
    const file = join(dir, 'portrait.jpg');
    await writeFile(file, withExifOrientation(await landscapeJpeg(dir), 6));
    const asset = await importSettled(t, '/Stills', 'IMG_0001.JPG', file, 100_000);
    expect(asset.state).toBe('ready');
    // Display geometry: turned a quarter clockwise, 320 wide and 640 tall.
    expect(asset).toMatchObject({ width: 320, height: 640 });
    const metadata = (await t.api('GET', `/api/assets/${asset.id}/metadata`)).body;
    expect(metadata.record.image).toMatchObject({
      width: 640,
      height: 320,
      rotation: 90,
      displayWidth: 320,
      displayHeight: 640,
    });

    for (const kind of ['thumbnail', 'proxy'] as const) {
      const derivative = await t.dailies.catalog.processing.getDerivative(asset.id, kind);
      const frame = await rgbFrame(t.dailies.derived.localPath!(derivative!.key));
      // Upright: taller than wide, the stored left (blue) half on top, the right (red) below.
      expect(frame.height, kind).toBeGreaterThan(frame.width);
      expect(frame.height / frame.width, kind).toBeCloseTo(2, 1);
      const top = meanRgb(frame, [0, 0, frame.width, Math.floor(frame.height / 2) - 4]);
      const bottom = meanRgb(frame, [
        0,
        Math.ceil(frame.height / 2) + 4,
        frame.width,
        Math.floor(frame.height / 2) - 4,
      ]);
      expect(isBlue(top), `${kind} top ${top}`).toBe(true);
      expect(isRed(bottom), `${kind} bottom ${bottom}`).toBe(true);
    }
  });
});
