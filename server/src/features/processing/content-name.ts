/**
 * Whether a file's content is what its name says. Dailies processes a file as what the tools
 * read (a JPEG named `.mxf` gets an image's thumbnail and proxy), but an editor's NLE or a
 * lab's tool trusts the extension, so a mismatch is shown as a warning on the asset.
 */
import { extensionOf } from '../../lib/paths.js';
import type { TechnicalMetadata } from '../../ports/media.js';

/**
 * The container names mediainfo gives (`general.format`) that each extension may hold. An
 * extension not listed here, or a format name not among these values (a tool's long name, an
 * unusual container), says nothing: no warning rather than a wrong one.
 */
const EXPECTED: Record<string, readonly string[]> = {
  MOV: ['MPEG-4', 'QuickTime'],
  MP4: ['MPEG-4'],
  M4V: ['MPEG-4'],
  M4A: ['MPEG-4'],
  '3GP': ['MPEG-4'],
  MXF: ['MXF'],
  AVI: ['AVI'],
  MKV: ['Matroska'],
  WEBM: ['WebM', 'Matroska'],
  MTS: ['BDAV', 'MPEG-TS'],
  M2TS: ['BDAV', 'MPEG-TS'],
  TS: ['MPEG-TS', 'BDAV'],
  MPG: ['MPEG-PS', 'MPEG-TS', 'MPEG Video'],
  MPEG: ['MPEG-PS', 'MPEG-TS', 'MPEG Video'],
  DV: ['DV'],
  FLV: ['Flash Video'],
  WMV: ['Windows Media'],
  WMA: ['Windows Media'],
  WAV: ['Wave', 'Wave64', 'RF64'],
  BWF: ['Wave', 'Wave64', 'RF64'],
  AIF: ['AIFF'],
  AIFF: ['AIFF'],
  MP3: ['MPEG Audio'],
  AAC: ['ADTS', 'ADIF'],
  FLAC: ['FLAC'],
  OGG: ['Ogg'],
  OPUS: ['Ogg'],
  PNG: ['PNG'],
  JPG: ['JPEG'],
  JPEG: ['JPEG'],
  TIF: ['TIFF'],
  TIFF: ['TIFF'],
  DPX: ['DPX'],
  EXR: ['EXR'],
  GIF: ['GIF'],
  BMP: ['BMP'],
  WEBP: ['WebP'],
};

const KNOWN_FORMATS = new Set(Object.values(EXPECTED).flat());

/** The container to keep for an asset: the tools' name for it. */
export function contentFormatOf(record: Pick<TechnicalMetadata, 'general'>): string | null {
  return record.general.format;
}

/**
 * The warning for `name` holding `format` (mediainfo's container name), or null when they
 * agree or nothing is sure.
 */
export function contentNameWarning(name: string, format: string | null | undefined): string | null {
  const extension = extensionOf(name);
  const expected = Object.hasOwn(EXPECTED, extension) ? EXPECTED[extension] : undefined;
  if (!expected || !format || !KNOWN_FORMATS.has(format) || expected.includes(format)) return null;
  const written = name.slice(name.lastIndexOf('.'));
  return `The content is ${format}, not what the name's "${written}" says (${expected[0]}): it was processed as ${format}, but tools that trust the name may not open it. Rename it with the right extension.`;
}
