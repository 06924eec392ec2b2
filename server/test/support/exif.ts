/**
 * A JPEG with an EXIF APP1 segment saying `Orientation = orientation` put right after its
 * start (as a camera writes it): the bytes a phone held upright stores for a landscape sensor.
 */
export function withExifOrientation(
  jpeg: Buffer,
  orientation: number,
  byteOrder: 'MM' | 'II' = 'MM',
): Buffer {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) throw new Error('not a JPEG');
  const le = byteOrder === 'II';
  const u16 = (n: number) => {
    const b = Buffer.alloc(2);
    le ? b.writeUInt16LE(n) : b.writeUInt16BE(n);
    return b;
  };
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    le ? b.writeUInt32LE(n) : b.writeUInt32BE(n);
    return b;
  };
  // TIFF header, one IFD with one entry: tag 0x0112 (Orientation), SHORT, count 1, value.
  const tiff = Buffer.concat([
    Buffer.from(byteOrder, 'latin1'),
    u16(42),
    u32(8),
    u16(1),
    u16(0x0112),
    u16(3),
    u32(1),
    u16(orientation),
    u16(0),
    u32(0),
  ]);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const segment = Buffer.concat([Buffer.from([0xff, 0xe1]), Buffer.from([0, 0]), payload]);
  segment.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), segment, jpeg.subarray(2)]);
}
