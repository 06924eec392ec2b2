import type { TechnicalMetadata } from '../../ports/media.js';

/**
 * The tools' output names the file by its lake key: never a server path (the lake's or the
 * work directory's), nor the sandbox's name for it.
 */
export function namedByKey(raw: TechnicalMetadata['raw'], key: string): TechnicalMetadata['raw'] {
  const ffprobe = raw.ffprobe as { format?: Record<string, unknown> } | null;
  const mediainfo = raw.mediainfo as { media?: Record<string, unknown> | null } | null;
  return {
    ffprobe: ffprobe?.format ? { ...ffprobe, format: { ...ffprobe.format, filename: key } } : raw.ffprobe,
    mediainfo: mediainfo?.media
      ? { ...mediainfo, media: { ...mediainfo.media, '@ref': key } }
      : raw.mediainfo,
  };
}
