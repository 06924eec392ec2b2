import { open } from 'node:fs/promises';
import type { TechnicalMetadata } from '../../ports/media.js';

/**
 * A camera held upright stores a landscape JPEG and says so in EXIF (`Orientation`, tag 0x0112)
 * rather than turning the pixels. ffprobe puts it on the decoded frame only, not on the stream
 * it is asked about, so the probe reads it here from the file's first bytes: a still whose
 * picture is turned is listed, searched and faceted with its shown size (ffmpeg turns the
 * pixels itself when it makes the thumbnail and the preview).
 */

/** EXIF sits in an APP1 segment near the start; a segment is at most 64 KiB. */
const HEAD_BYTES = 160 * 1024;

/** Clockwise degrees an EXIF orientation turns the picture (mirrored ones: the turn alone). */
const TURN: Record<number, number> = { 1: 0, 2: 0, 3: 180, 4: 180, 5: 270, 6: 90, 7: 90, 8: 270 };

/**
 * The EXIF orientation (1–8) of a JPEG from its first bytes; null when it is no JPEG, has no
 * EXIF or no valid orientation. Never throws and never reads outside `head`, whatever the bytes.
 */
export function exifOrientation(head: Uint8Array): number | null {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return null;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return null;
    const marker = bytes[at + 1]!;
    // Fill bytes before a marker.
    if (marker === 0xff) {
      at += 1;
      continue;
    }
    // Start of scan or end of image: no more metadata segments before the picture.
    if (marker === 0xda || marker === 0xd9) return null;
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2) return null;
    const start = at + 4;
    const end = at + 2 + length;
    if (marker === 0xe1 && end <= bytes.length) {
      const found = orientationInExif(bytes.subarray(start, end));
      if (found !== undefined) return found;
    }
    at = end;
  }
  return null;
}

/** `undefined`: this APP1 is not EXIF (XMP, say), look further; null: EXIF without a valid orientation. */
function orientationInExif(segment: Buffer): number | null | undefined {
  if (segment.length < 14 || segment.toString('latin1', 0, 6) !== 'Exif\0\0') return undefined;
  const tiff = segment.subarray(6);
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') return null;
  const le = order === 'II';
  const u16 = (at: number) => (le ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at));
  if (u16(2) !== 42) return null;
  const ifd = u32(4);
  if (ifd < 8 || ifd + 2 > tiff.length) return null;
  const count = u16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > tiff.length) return null;
    if (u16(entry) !== 0x0112) continue;
    // SHORT, one value, held in the entry itself.
    if (u16(entry + 2) !== 3 || u32(entry + 4) !== 1) return null;
    const value = u16(entry + 8);
    return value >= 1 && value <= 8 ? value : null;
  }
  return null;
}

/** The EXIF orientation of a file on disk (its first bytes only); null when it has none. */
export async function readExifOrientation(file: string): Promise<number | null> {
  const handle = await open(file, 'r').catch(() => null);
  if (!handle) return null;
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return exifOrientation(head.subarray(0, bytesRead));
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/**
 * A still's record with the turn its EXIF orientation says: rotation and the size it is shown
 * at (its stored size stays). Anything else is returned as it is.
 */
export function withExifTurn(record: TechnicalMetadata, orientation: number | null): TechnicalMetadata {
  const turn = orientation === null ? 0 : (TURN[orientation] ?? 0);
  const image = record.image;
  if (record.kind !== 'image' || !image || turn === 0) return record;
  const turned = turn === 90 || turn === 270;
  return {
    ...record,
    image: {
      ...image,
      rotation: turn,
      displayWidth: turned ? image.height : image.width,
      displayHeight: turned ? image.width : image.height,
    },
  };
}
