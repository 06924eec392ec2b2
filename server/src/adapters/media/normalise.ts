import {
  type AudioStream,
  type GeneralMetadata,
  type ImageMetadata,
  MediaError,
  type MediaKind,
  type TechnicalMetadata,
  type VideoStream,
} from '../../ports/media.js';
import { matrixName, primariesName, transferName } from './colour-names.js';
import { clockwiseQuarterTurn, displayGeometry } from './display-geometry.js';
import type { FfprobeOutput, FfprobeResult, FfprobeStream } from './ffprobe.js';
import type { MediainfoOutput, MediainfoTrack } from './mediainfo.js';

/**
 * Merges ffprobe and mediainfo into one record. Per field the tool that knows it best wins,
 * the other fills gaps: ffprobe for numbers it reads from the container (duration, size,
 * bitrates, dimensions, sample rates, colour tags, timecode with its drop-frame `;`),
 * mediainfo for names and what it parses from the bitstream (profiles, scan type, bit
 * depth, chroma subsampling, nominal frame rate as Num/Den, frame counts in MXF). Colour
 * comes from ffprobe when it reads it (it misses ProRes `colr` atoms) and uses its names.
 */
export function normalise(
  ffprobe: FfprobeResult,
  mediainfo: MediainfoOutput,
  sizeBytes: number,
): TechnicalMetadata {
  const tracks = mediainfo.media?.track ?? [];
  const miGeneral = tracks.find((t) => t['@type'] === 'General');
  const miOf = (type: string) => tracks.filter((t) => t['@type'] === type);
  const raw = { ffprobe: ffprobe.ok ? ffprobe.output : { error: ffprobe.reason }, mediainfo };

  const ff: FfprobeOutput = ffprobe.ok && !looksLikeGuess(ffprobe.output, tracks) ? ffprobe.output : {};
  const streams = (ff.streams ?? []).filter((s) => !s.disposition?.attached_pic);
  const ffVideo = streams.filter((s) => s.codec_type === 'video');
  const ffAudio = streams.filter((s) => s.codec_type === 'audio');
  const miVideo = miOf('Video');
  const miAudio = miOf('Audio');
  const miImage = miOf('Image');

  if (!ffprobe.ok && claimsToBeMedia(miGeneral, tracks)) {
    const format = text(miGeneral?.Format) ?? 'media';
    const truncated = miGeneral?.extra?.IsTruncated === 'Yes' ? ' (the file is truncated)' : '';
    throw new MediaError(`The file looks like ${format}${truncated} but cannot be read: ${ffprobe.reason}`, {
      tool: 'ffprobe',
      deterministic: true,
      output: raw,
    });
  }

  const imageContainer = /(^image2|_pipe)$/.test(ff.format?.format_name ?? '');
  let kind: MediaKind = 'other';
  if (miVideo.length > 0 || (ffVideo.length > 0 && !imageContainer && miImage.length === 0)) kind = 'video';
  // Before images: cover art can show up as an Image track in an audio file.
  else if (ffAudio.length > 0 || miAudio.length > 0) kind = 'audio';
  else if (miImage.length > 0 || ffVideo.length > 0) kind = 'image';

  const general: GeneralMetadata = {
    format: text(miGeneral?.Format) ?? ff.format?.format_long_name ?? null,
    formatProfile: text(miGeneral?.Format_Profile),
    durationSeconds: kind === 'image' ? null : (num(ff.format?.duration) ?? num(miGeneral?.Duration)),
    sizeBytes: num(ff.format?.size) ?? num(miGeneral?.FileSize) ?? sizeBytes,
    overallBitrate: kind === 'image' ? null : (num(ff.format?.bit_rate) ?? num(miGeneral?.OverallBitRate)),
    startTimecode: startTimecode(ff, tracks),
    reelName: reelName(ff, tracks),
  };

  const video = kind === 'video' ? pair(ffVideo, miVideo).map(([s, t]) => videoStream(s, t)) : [];
  const audio = kind === 'other' ? [] : pair(ffAudio, miAudio).map(([s, t]) => audioStream(s, t));
  const image = kind === 'image' ? imageMetadata(ffVideo[0], miImage[0] ?? miVideo[0], miGeneral) : null;
  return { kind, general, video, audio, image, raw };
}

/**
 * ffprobe guesses from a few bytes and the extension; random data can "probe" as MP3 with a
 * score near zero. When mediainfo found nothing either, the guess is not media.
 */
function looksLikeGuess(output: FfprobeOutput, tracks: MediainfoTrack[]): boolean {
  const score = output.format?.probe_score ?? 100;
  const miFoundStreams = tracks.some((t) => t['@type'] !== 'General');
  return output.format?.format_name === 'tty' || (score <= 25 && !miFoundStreams);
}

/** Containers whose presence means the file was meant to be media, so unreadable is a failure, not `other`. */
const MEDIA_CONTAINERS = new Set([
  'MPEG-4',
  'QuickTime',
  'MXF',
  'Matroska',
  'WebM',
  'AVI',
  'Wave',
  'AIFF',
  'MPEG-TS',
  'MPEG-PS',
  'DV',
  'Flash Video',
  'Ogg',
  'FLAC',
  'MPEG Audio',
  'ADTS',
  'Windows Media',
  'BDAV',
  'R3D',
]);

function claimsToBeMedia(general: MediainfoTrack | undefined, tracks: MediainfoTrack[]): boolean {
  if (!general) return false;
  const mediaTrack = tracks.some((t) => ['Video', 'Audio', 'Image'].includes(t['@type']));
  const format = text(general.Format);
  return (
    mediaTrack || general.extra?.IsTruncated === 'Yes' || (format !== null && MEDIA_CONTAINERS.has(format))
  );
}

/** Matches ffprobe streams with mediainfo tracks by stream order, else by position within the type. */
function pair(
  streams: FfprobeStream[],
  tracks: MediainfoTrack[],
): [FfprobeStream | undefined, MediainfoTrack | undefined][] {
  const byOrder = (s: FfprobeStream) => tracks.find((t) => text(t.StreamOrder) === String(s.index));
  if (streams.length > 0) {
    const allMatch = streams.every((s) => byOrder(s));
    return streams.map((s, i) => [s, allMatch ? byOrder(s) : tracks[i]]);
  }
  return tracks.map((t) => [undefined, t]);
}

function videoStream(s: FfprobeStream | undefined, t: MediainfoTrack | undefined): VideoStream {
  const width = s?.width ?? num(t?.Width) ?? 0;
  const height = s?.height ?? num(t?.Height) ?? 0;
  const geometry = displayGeometry({
    width,
    height,
    sampleAspectRatio: s?.sample_aspect_ratio ?? pixelAspectRatio(num(t?.PixelAspectRatio)),
    displayAspectRatio: aspectRatio(s, width, height),
    rotation: rotationOf(s, t),
  });
  const frameRate = exactFrameRate(s, t);
  const scanType = text(t?.ScanType) ?? scanTypeFromFieldOrder(s?.field_order);
  return {
    index: s?.index ?? num(t?.StreamOrder) ?? 0,
    codec: s?.codec_name ?? text(t?.Format)?.toLowerCase() ?? 'unknown',
    format: text(t?.Format_Commercial_IfAny) ?? text(t?.Format),
    profile: text(t?.Format_Profile) ?? known(s?.profile),
    width,
    height,
    ...geometry,
    // mediainfo's figure when the picture is not turned (the tools agree on it); turned, the
    // turned ratio, which mediainfo does not give.
    displayAspect:
      geometry.rotation % 180 === 0
        ? (num(t?.DisplayAspectRatio) ?? geometry.displayAspect)
        : geometry.displayAspect,
    frameRate,
    frameRateValue: ratioValue(frameRate),
    frameRateMode: text(t?.FrameRate_Mode),
    frameCount: num(t?.FrameCount) ?? num(s?.nb_frames),
    durationSeconds: num(s?.duration) ?? num(t?.Duration),
    bitrate: num(s?.bit_rate) ?? num(t?.BitRate),
    scanType,
    fieldOrder: scanType === 'Progressive' ? null : fieldOrder(text(t?.ScanOrder), s?.field_order),
    bitDepth: num(t?.BitDepth) ?? num(s?.bits_per_raw_sample) ?? pixelFormatBitDepth(s?.pix_fmt),
    chromaSubsampling: text(t?.ChromaSubsampling) ?? pixelFormatChroma(s?.pix_fmt),
    colourPrimaries: known(s?.color_primaries) ?? primariesName(text(t?.colour_primaries)),
    colourTransfer: known(s?.color_transfer) ?? transferName(text(t?.transfer_characteristics)),
    colourMatrix: known(s?.color_space) ?? matrixName(text(t?.matrix_coefficients)),
    colourRange: known(s?.color_range) ?? colourRange(text(t?.colour_range)),
    pixelFormat: s?.pix_fmt ?? null,
  };
}

function audioStream(s: FfprobeStream | undefined, t: MediainfoTrack | undefined): AudioStream {
  return {
    index: s?.index ?? num(t?.StreamOrder) ?? 0,
    codec: s?.codec_name ?? text(t?.Format)?.toLowerCase() ?? 'unknown',
    format: text(t?.Format),
    channels: s?.channels ?? num(t?.Channels),
    channelLayout: known(s?.channel_layout) ?? text(t?.ChannelLayout),
    channelPositions: text(t?.ChannelLayout),
    sampleRate: num(s?.sample_rate) ?? num(t?.SamplingRate),
    bitDepth: num(t?.BitDepth) ?? num(s?.bits_per_raw_sample) ?? (s?.bits_per_sample || null),
    durationSeconds: num(s?.duration) ?? num(t?.Duration),
    bitrate: num(s?.bit_rate) ?? num(t?.BitRate),
  };
}

function imageMetadata(
  s: FfprobeStream | undefined,
  t: MediainfoTrack | undefined,
  general: MediainfoTrack | undefined,
): ImageMetadata {
  return {
    // The Image track names the compression (TIFF says `PackBits`); General names the format.
    format: text(general?.Format) ?? text(t?.Format) ?? s?.codec_name?.toUpperCase() ?? null,
    width: s?.width ?? num(t?.Width) ?? 0,
    height: s?.height ?? num(t?.Height) ?? 0,
    bitDepth: num(t?.BitDepth) ?? pixelFormatBitDepth(s?.pix_fmt),
    colourSpace: text(t?.ColorSpace) ?? pixelFormatColourSpace(s?.pix_fmt),
  };
}

/** ffprobe keeps the drop-frame `;`; mediainfo also sees timecode tracks ffprobe does not expose. */
/** Tag names the reel or tape goes by: ffmpeg's for QuickTime and MXF, Final Cut's, Avid's. */
const REEL_TAGS = new Set(['reel_name', 'reel', 'tape_name', 'tape', 'com.apple.proapps.reel']);

/**
 * The reel (tape) name: ffprobe reads it from a QuickTime timecode track and an MXF tape
 * source package, as a tag of the stream or of the file; mediainfo's MXF `PackageName` of a
 * timecode track otherwise. Blank and over-long values are not names.
 */
function reelName(ff: FfprobeOutput, tracks: MediainfoTrack[]): string | null {
  const fromTags = (tags?: Record<string, string>) => {
    const entry = Object.entries(tags ?? {}).find(([key]) => REEL_TAGS.has(key.toLowerCase()));
    return typeof entry?.[1] === 'string' ? entry[1] : null;
  };
  const found =
    fromTags(ff.format?.tags) ??
    (ff.streams ?? []).map((s) => fromTags(s.tags)).find((name) => name) ??
    text(tracks.find((t) => t['@type'] === 'Other' && t.Type === 'Time code' && t.PackageName)?.PackageName);
  const name = found?.trim();
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a name with control characters is not one
  return name && name.length <= 64 && !/[\u0000-\u001f]/.test(name) ? name : null;
}

function startTimecode(ff: FfprobeOutput, tracks: MediainfoTrack[]): string | null {
  const fromTags = (tags?: Record<string, string>) =>
    tags ? (Object.entries(tags).find(([key]) => key.toLowerCase() === 'timecode')?.[1] ?? null) : null;
  const streams = ff.streams ?? [];
  const ordered = [
    ...streams.filter((s) => s.codec_type === 'video'),
    ...streams.filter((s) => s.codec_type === 'data'),
    ...streams.filter((s) => s.codec_type !== 'video' && s.codec_type !== 'data'),
  ];
  const fromFfprobe =
    fromTags(ff.format?.tags) ?? ordered.map((s) => fromTags(s.tags)).find((tc) => tc) ?? null;
  if (fromFfprobe) return fromFfprobe;
  const timecodeTrack = tracks.find(
    (t) => t['@type'] === 'Other' && t.Type === 'Time code' && t.TimeCode_FirstFrame,
  );
  return (
    text(timecodeTrack?.TimeCode_FirstFrame) ??
    text(tracks.find((t) => t.TimeCode_FirstFrame)?.TimeCode_FirstFrame)
  );
}

/**
 * The nominal rate as an exact ratio. mediainfo's Num/Den is what the stream declares.
 * Otherwise ffprobe's `r_frame_rate`, except where it is the field rate of interlaced video
 * (twice `avg_frame_rate`); `avg_frame_rate` alone is a noisy ratio for variable-rate video.
 */
function exactFrameRate(s: FfprobeStream | undefined, t: MediainfoTrack | undefined): string | null {
  const miNum = num(t?.FrameRate_Num);
  const miDen = num(t?.FrameRate_Den);
  if (miNum && miDen) return reduce(miNum, miDen);
  const r = parseRatio(s?.r_frame_rate);
  const avg = parseRatio(s?.avg_frame_rate);
  if (avg && (!r || r[0] * avg[1] === 2 * avg[0] * r[1])) return reduce(avg[0], avg[1]);
  return r ? reduce(r[0], r[1]) : null;
}

function aspectRatio(s: FfprobeStream | undefined, width: number, height: number): string | null {
  const dar = parseRatio(s?.display_aspect_ratio?.replace(':', '/'));
  if (dar) return `${dar[0]}:${dar[1]}`;
  if (!width || !height) return null;
  const sar = parseRatio(s?.sample_aspect_ratio?.replace(':', '/')) ?? [1, 1];
  const [num, den] = reduce(width * sar[0], height * sar[1]).split('/');
  return `${num}:${den}`;
}

/**
 * Clockwise degrees from ffprobe's display matrix (counter-clockwise), else the old `rotate`
 * tag or mediainfo's `Rotation` (both clockwise).
 */
function rotationOf(s: FfprobeStream | undefined, t: MediainfoTrack | undefined): number {
  const matrix = s?.side_data_list?.find((d) => d.rotation !== undefined && d.rotation !== '');
  const fromMatrix = num(matrix?.rotation);
  if (fromMatrix !== null) return clockwiseQuarterTurn(fromMatrix, 'counterclockwise');
  const tagged = num(s?.tags?.rotate) ?? num(t?.Rotation);
  return tagged === null ? 0 : clockwiseQuarterTurn(tagged, 'clockwise');
}

/** mediainfo's decimal pixel aspect (`1.333`) as the nearest common ratio; null when square or unknown. */
function pixelAspectRatio(value: number | null): string | null {
  if (!value || Math.abs(value - 1) < 0.001) return null;
  const common = ['4:3', '3:2', '2:1', '64:45', '16:15', '8:9', '10:11', '12:11', '40:33', '32:27'];
  const close = common.find((r) => {
    const [n, d] = r.split(':').map(Number);
    return Math.abs(n / d - value) < 0.002;
  });
  return close ?? null;
}

function scanTypeFromFieldOrder(order: string | undefined): string | null {
  if (!order || order === 'unknown') return null;
  return order === 'progressive' ? 'Progressive' : 'Interlaced';
}

/** ffprobe names coded-then-displayed order: `tt` and `bt` show the top field first. */
function fieldOrder(mediainfo: string | null, ffprobe: string | undefined): 'TFF' | 'BFF' | null {
  if (mediainfo === 'TFF' || mediainfo === 'BFF') return mediainfo;
  if (ffprobe === 'tt' || ffprobe === 'bt') return 'TFF';
  if (ffprobe === 'bb' || ffprobe === 'tb') return 'BFF';
  return null;
}

function colourRange(mediainfo: string | null): string | null {
  if (mediainfo === 'Limited') return 'tv';
  if (mediainfo === 'Full') return 'pc';
  return mediainfo;
}

/** Bits per component from an FFmpeg pixel format name: `yuv422p10le` → 10, `rgb48le` → 16. */
export function pixelFormatBitDepth(pixFmt: string | undefined): number | null {
  if (!pixFmt) return null;
  const packed = /^(rgb|bgr)(48|24)|^(rgba|bgra)(64)/.exec(pixFmt);
  if (packed) return Number(packed[2] ?? packed[4]) / (packed[2] ? 3 : 4);
  const planar = /(?:p|gray|ya)(\d{1,2})(le|be)$/.exec(pixFmt);
  if (planar) return Number(planar[1]);
  return /^(yuvj?\d|nv12|rgb|bgr|argb|abgr|gray|pal8|ya8|gbrap?$)/.test(pixFmt) ? 8 : null;
}

function pixelFormatChroma(pixFmt: string | undefined): string | null {
  const match = /^yuva?j?(4\d\d)/.exec(pixFmt ?? '');
  if (!match) return pixFmt?.startsWith('nv12') ? '4:2:0' : null;
  return match[1].split('').join(':');
}

function pixelFormatColourSpace(pixFmt: string | undefined): string | null {
  if (!pixFmt) return null;
  if (/^(rgba|bgra|argb|abgr|gbrap)/.test(pixFmt)) return 'RGBA';
  if (/^(rgb|bgr|gbr)/.test(pixFmt)) return 'RGB';
  if (pixFmt.startsWith('ya')) return 'YA';
  if (pixFmt.startsWith('gray')) return 'Y';
  if (pixFmt.startsWith('yuva')) return 'YUVA';
  return /^(yuv|nv)/.test(pixFmt) ? 'YUV' : null;
}

function parseRatio(value: string | undefined): [number, number] | null {
  const match = /^(\d+)\/(\d+)$/.exec(value ?? '');
  if (!match) return null;
  const [n, d] = [Number(match[1]), Number(match[2])];
  return n > 0 && d > 0 ? [n, d] : null;
}

function reduce(n: number, d: number): string {
  const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
  const g = gcd(n, d) || 1;
  return `${n / g}/${d / g}`;
}

function ratioValue(ratio: string | null | undefined): number | null {
  const parsed = parseRatio(ratio ?? undefined);
  return parsed ? parsed[0] / parsed[1] : null;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

/** ffprobe writes `unknown` (and `reserved`) where it means "not said". */
function known(value: string | undefined): string | null {
  return value && value !== 'unknown' && value !== 'reserved' ? value : null;
}

function num(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string' || value.trim() === '' || value === 'N/A') return null;
  const parsed = Number(value);
  return Number.isFinite(parsed) ? parsed : null;
}
