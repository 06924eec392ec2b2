import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exifOrientation, withExifTurn } from '../../src/adapters/media/exif-orientation.js';
import type { TechnicalMetadata } from '../../src/ports/media.js';
import { withExifOrientation } from '../support/exif.js';

/** The smallest thing that starts like a JPEG: SOI, an APP0, then the start of scan. */
const JPEG = Buffer.from([
  0xff,
  0xd8,
  0xff,
  0xe0,
  0x00,
  0x10,
  ...Buffer.from('JFIF\0', 'latin1'),
  1,
  1,
  0,
  0,
  1,
  0,
  1,
  0,
  0,
  0xff,
  0xda,
  0x00,
  0x02,
  0x00,
]);

describe('EXIF orientation of a JPEG', () => {
  it('reads each of the eight orientations in either byte order', () => {
    for (const order of ['MM', 'II'] as const)
      for (let o = 1; o <= 8; o++) expect(exifOrientation(withExifOrientation(JPEG, o, order))).toBe(o);
  });

  it('has none without EXIF, outside 1–8, or in a file that is no JPEG', () => {
    expect(exifOrientation(JPEG)).toBeNull();
    expect(exifOrientation(withExifOrientation(JPEG, 0))).toBeNull();
    expect(exifOrientation(withExifOrientation(JPEG, 9))).toBeNull();
    expect(exifOrientation(withExifOrientation(JPEG, 0xffff))).toBeNull();
    expect(exifOrientation(Buffer.from('GIF89a'))).toBeNull();
    expect(exifOrientation(new Uint8Array())).toBeNull();
  });

  it('finds it after an XMP APP1 and past fill bytes', () => {
    const xmp = Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>', 'latin1');
    const segment = Buffer.concat([Buffer.from([0xff, 0xe1, 0, 0]), xmp]);
    segment.writeUInt16BE(xmp.length + 2, 2);
    const withExif = withExifOrientation(JPEG, 8);
    const file = Buffer.concat([withExif.subarray(0, 2), segment, Buffer.from([0xff]), withExif.subarray(2)]);
    expect(exifOrientation(file)).toBe(8);
  });

  it('never throws and never answers outside 1–8, whatever the bytes (truncated, mangled, random)', () => {
    const valid = withExifOrientation(JPEG, 6);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          // A real header cut anywhere, or with bytes overwritten anywhere.
          fc.nat(valid.length).map((n) => valid.subarray(0, n)),
          fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
            const copy = Buffer.from(valid);
            copy[at] = byte;
            return copy;
          }),
          fc
            .uint8Array({ maxLength: 200 })
            .map((tail) => Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1]), tail])),
        ),
        (bytes) => {
          const found = exifOrientation(bytes);
          expect(found === null || (Number.isInteger(found) && found >= 1 && found <= 8)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('turns a still’s shown size by a quarter for 5–8, never a clip’s', () => {
    const still = {
      kind: 'image',
      video: [],
      image: { format: 'JPEG', width: 4032, height: 3024, bitDepth: 8, colourSpace: 'YUV' },
    } as unknown as TechnicalMetadata;
    expect(withExifTurn(still, 6).image).toMatchObject({
      rotation: 90,
      displayWidth: 3024,
      displayHeight: 4032,
    });
    expect(withExifTurn(still, 8).image).toMatchObject({ rotation: 270, displayWidth: 3024 });
    expect(withExifTurn(still, 3).image).toMatchObject({ rotation: 180, displayWidth: 4032 });
    expect(withExifTurn(still, 1)).toBe(still);
    expect(withExifTurn(still, null)).toBe(still);
    const clip = { ...still, kind: 'video' } as TechnicalMetadata;
    expect(withExifTurn(clip, 6)).toBe(clip);
  });
});
