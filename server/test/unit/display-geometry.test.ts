import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clockwiseQuarterTurn, displayGeometry } from '../../src/adapters/media/display-geometry.js';
import { normalise } from '../../src/adapters/media/normalise.js';
import { summaryOf } from '../../src/features/processing/processing-state.js';

describe('display geometry', () => {
  it('turns a portrait phone clip to 1080×1920 9:16', () => {
    expect(displayGeometry({ width: 1920, height: 1080, rotation: 90 })).toEqual({
      rotation: 90,
      sampleAspectRatio: '1:1',
      displayWidth: 1080,
      displayHeight: 1920,
      displayAspectRatio: '9:16',
      displayAspect: 9 / 16,
    });
  });

  it('stretches anamorphic HDV to 1920 wide and keeps 16:9', () => {
    expect(displayGeometry({ width: 1440, height: 1080, displayAspectRatio: '16:9' })).toMatchObject({
      sampleAspectRatio: '4:3',
      displayWidth: 1920,
      displayHeight: 1080,
      displayAspectRatio: '16:9',
    });
    expect(displayGeometry({ width: 720, height: 576, sampleAspectRatio: '64:45' })).toMatchObject({
      displayWidth: 1024,
      displayAspectRatio: '16:9',
    });
  });

  it("reads ffprobe's counter-clockwise matrix and the clockwise tags the same way", () => {
    expect(clockwiseQuarterTurn(-90, 'counterclockwise')).toBe(90);
    expect(clockwiseQuarterTurn(90, 'clockwise')).toBe(90);
    expect(clockwiseQuarterTurn(90, 'counterclockwise')).toBe(270);
    expect(clockwiseQuarterTurn(-180, 'counterclockwise')).toBe(180);
    expect(clockwiseQuarterTurn(450, 'clockwise')).toBe(90);
    expect(clockwiseQuarterTurn(89.6, 'clockwise')).toBe(90);
    for (const odd of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(clockwiseQuarterTurn(odd, 'clockwise')).toBe(0);
  });

  it('refuses nonsense ratios and sizes instead of dividing by them', () => {
    for (const sampleAspectRatio of ['0:1', '1:0', '-4:3', 'N/A', '4:3:2', '', '1e3:1', '%:_']) {
      const g = displayGeometry({ width: 1440, height: 1080, sampleAspectRatio });
      expect(g.sampleAspectRatio).toBe('1:1');
      expect(g.displayWidth).toBe(1440);
    }
    for (const width of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      const g = displayGeometry({ width, height: 1080, rotation: 90 });
      expect(g.displayAspectRatio).toBeNull();
      expect(g.displayAspect).toBeNull();
      expect(Number.isFinite(g.displayWidth) && Number.isFinite(g.displayHeight)).toBe(true);
    }
  });

  it('stretches the height of tall pixels instead of shrinking the width (1×1 at 1:3 is 1×3)', () => {
    expect(displayGeometry({ width: 1, height: 1, sampleAspectRatio: '1:3' })).toMatchObject({
      displayWidth: 1,
      displayHeight: 3,
      displayAspectRatio: '1:3',
    });
  });

  it('is a quarter-turn of the unturned geometry, with width over height equal to the aspect', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 16384 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: 1, max: 64 }),
        fc.integer({ min: -1000, max: 1000 }),
        (width, height, n, d, degrees) => {
          const flat = displayGeometry({ width, height, sampleAspectRatio: `${n}:${d}` });
          const turned = displayGeometry({
            width,
            height,
            sampleAspectRatio: `${n}:${d}`,
            rotation: degrees,
          });
          expect([0, 90, 180, 270]).toContain(turned.rotation);
          const quarter = turned.rotation % 180 === 90;
          expect(turned.displayWidth).toBe(quarter ? flat.displayHeight : flat.displayWidth);
          expect(turned.displayHeight).toBe(quarter ? flat.displayWidth : flat.displayHeight);
          expect(turned.displayAspect).toBeCloseTo(
            quarter ? 1 / flat.displayAspect! : flat.displayAspect!,
            9,
          );
          // Never shrunk, and rounding the stretched side moves the aspect by at most half a pixel.
          expect(flat.displayWidth).toBeGreaterThanOrEqual(width);
          expect(flat.displayHeight).toBeGreaterThanOrEqual(height);
          expect(Math.abs(flat.displayWidth / flat.displayHeight - flat.displayAspect!)).toBeLessThanOrEqual(
            (0.5 * Math.max(1, flat.displayAspect!)) / flat.displayHeight + 1e-12,
          );
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('normalise: rotation', () => {
  const stream = {
    index: 0,
    codec_type: 'video',
    codec_name: 'hevc',
    width: 1920,
    height: 1080,
    sample_aspect_ratio: '1:1',
    display_aspect_ratio: '16:9',
    r_frame_rate: '30/1',
    avg_frame_rate: '30/1',
  };
  const probed = (s: object, tracks: object[] = [{ '@type': 'General' }]) =>
    normalise(
      {
        ok: true,
        output: { format: { format_name: 'mov,mp4', duration: '1' }, streams: [{ ...stream, ...s }] },
      },
      { media: { track: tracks as never } },
      10,
    );

  it("takes an iPhone's display matrix (-90) as a quarter-turn clockwise, listed 1080×1920", () => {
    const record = probed({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: -90 }] });
    expect(record.video[0]).toMatchObject({
      width: 1920,
      height: 1080,
      rotation: 90,
      displayWidth: 1080,
      displayHeight: 1920,
      displayAspectRatio: '9:16',
    });
    expect(summaryOf(record)).toMatchObject({ width: 1080, height: 1920 });
  });

  it('takes the old rotate tag, then mediainfo, and ignores rubbish in them', () => {
    expect(probed({ tags: { rotate: '270' } }).video[0].rotation).toBe(270);
    const fromMediainfo = probed({}, [
      { '@type': 'General' },
      { '@type': 'Video', StreamOrder: '0', Rotation: '90.000' },
    ]);
    expect(fromMediainfo.video[0]).toMatchObject({ rotation: 90, displayWidth: 1080 });
    expect(probed({ tags: { rotate: 'sideways' } }).video[0].rotation).toBe(0);
    expect(
      probed({ side_data_list: [{ side_data_type: 'Display Matrix', rotation: 'NaN' }] }).video[0].rotation,
    ).toBe(0);
    expect(summaryOf(probed({})).width).toBe(1920);
  });
});
