import { frameDuration, framesToRational, type Rate } from '../../lib/timecode.js';
import { type BinClip, effectiveDropFrame } from './bin-clip.js';
import { type BinTiming, binTiming, clipSpan } from './bin-rate.js';

export const FCPXML_VERSION = '1.10';

/**
 * Final Cut Pro XML (1.10), which Final Cut, Premiere Pro and DaVinci Resolve import: one event
 * holding an asset-clip per video or audio clip. Every time is an exact rational of the clip's
 * own rate (`86486400/24000s` for 01:00:00:00 at 23.976), never a decimal, so the tools land on
 * the frame; notes become markers at their frame, logging fields keywords and metadata, a
 * circled take a favourite.
 */
export function writeFcpxml(
  clips: BinClip[],
  options: { eventName: string; timing?: BinTiming; mediaBase?: string },
): string {
  const timing = options.timing ?? binTiming(clips);
  const placed = clips.filter((c) => c.kind === 'video' || c.kind === 'audio');
  const formats = new Map<string, { id: string; rate: Rate; width: number; height: number }>();
  const resources: string[] = [];
  const events: string[] = [];
  let nextId = 1;
  const newId = () => `r${nextId++}`;

  for (const clip of placed) {
    const own = clip.kind === 'video' && clip.rate !== null;
    // Audio has no rate of its own: it is counted in the bin's.
    const rate = own ? clip.rate! : timing.rate;
    const dropFrame = own ? effectiveDropFrame(clip) : timing.dropFrame;
    const span = own
      ? { start: clip.startFrame, frames: clip.frames ?? clipSpan(clip, timing).frames }
      : clipSpan(clip, timing);
    const time = (frames: number) => framesToRational(Math.max(0, frames), rate);

    let formatId: string | null = null;
    if (own && clip.width && clip.height) {
      const key = `${rate.num}/${rate.den} ${clip.width}x${clip.height}`;
      let format = formats.get(key);
      if (!format) {
        format = { id: newId(), rate, width: clip.width, height: clip.height };
        formats.set(key, format);
        resources.push(
          `    <format id="${format.id}" frameDuration="${frameDuration(rate)}" width="${format.width}" height="${format.height}"/>`,
        );
      }
      formatId = format.id;
    }

    const assetId = newId();
    const hasAudio = clip.audioChannels > 0;
    resources.push(
      `    <asset id="${assetId}" name="${attr(clip.name)}" start="${time(span.start)}" duration="${time(span.frames)}"` +
        ` hasVideo="${clip.kind === 'video' ? 1 : 0}"${formatId ? ` format="${formatId}"` : ''}` +
        ` hasAudio="${hasAudio ? 1 : 0}"${hasAudio ? ` audioSources="1" audioChannels="${clip.audioChannels}"` : ''}` +
        `${hasAudio && clip.audioRate ? ` audioRate="${clip.audioRate}"` : ''}>`,
      `      <media-rep kind="original-media" src="${attr(mediaUrl(clip.relativePath, options.mediaBase))}"/>`,
      '    </asset>',
    );

    const inner: string[] = [];
    const log = clip.log ?? {};
    if (log.description) inner.push(`        <note>${text(log.description)}</note>`);
    for (const note of clip.notes) {
      if (note.frame === null) continue;
      const length = Math.max(1, (note.endFrame ?? note.frame + 1) - note.frame);
      inner.push(
        `        <marker start="${time(span.start + note.frame)}" duration="${time(length)}"` +
          ` value="${attr(note.text)}" note="${attr(`${note.author}`)}"/>`,
      );
    }
    const whole = `start="${time(span.start)}" duration="${time(span.frames)}"`;
    const keywords = keywordsOf(clip);
    if (keywords.length > 0) inner.push(`        <keyword ${whole} value="${attr(keywords.join(', '))}"/>`);
    if (log.circled) inner.push(`        <rating ${whole} value="favorite"/>`);
    const metadata = metadataOf(clip);
    if (metadata.length > 0) inner.push('        <metadata>', ...metadata, '        </metadata>');

    events.push(
      `      <asset-clip ref="${assetId}" name="${attr(clip.name)}" ${whole}` +
        `${formatId ? ` format="${formatId}"` : ''} tcFormat="${dropFrame ? 'DF' : 'NDF'}"${inner.length ? '>' : '/>'}`,
      ...(inner.length ? [...inner, '      </asset-clip>'] : []),
    );
  }

  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE fcpxml>',
    `<fcpxml version="${FCPXML_VERSION}">`,
    '  <resources>',
    ...resources,
    '  </resources>',
    '  <library>',
    `    <event name="${attr(options.eventName)}">`,
    ...events,
    '    </event>',
    '  </library>',
    '</fcpxml>',
    '',
  ].join('\n');
}

/** Keywords are a comma-separated list in FCPXML: a comma inside a value would split it. */
function keywordsOf(clip: BinClip): string[] {
  const log = clip.log ?? {};
  const out: string[] = [];
  const add = (label: string, value: unknown) => {
    if (value === null || value === undefined || value === '') return;
    out.push(`${label}${String(value)}`.replace(/,/g, ';').trim());
  };
  add('Camera ', log.camera);
  add('Reel ', log.reel);
  add('Scene ', log.scene);
  add('Take ', log.take);
  if (log.circled) out.push('Circled');
  for (const [name, value] of Object.entries(log.custom ?? {})) add(`${name}: `, value);
  return out;
}

/** Final Cut's own metadata keys for the logging fields it has. */
function metadataOf(clip: BinClip): string[] {
  const log = clip.log ?? {};
  const pairs: Array<[string, string | null | undefined]> = [
    ['com.apple.proapps.studio.reel', log.reel],
    ['com.apple.proapps.studio.scene', log.scene],
    ['com.apple.proapps.studio.shot', log.take],
    ['com.apple.proapps.studio.angle', log.camera],
  ];
  return pairs
    .filter(([, value]) => value !== null && value !== undefined && value !== '')
    .map(([key, value]) => `          <md key="${key}" value="${attr(value!)}"/>`);
}

/** The file's URL: relative to the bin (bins are written beside the media), or under `base`. */
export function mediaUrl(relativePath: string, base?: string): string {
  const encoded = relativePath.split('/').map(encodeURIComponent).join('/');
  if (!base) return encoded;
  return `${base.endsWith('/') ? base : `${base}/`}${encoded}`;
}

/** Characters XML 1.0 cannot hold at all: most C0 controls and lone surrogates. */
function xmlSafe(value: string): string {
  return value.replace(NOT_XML, '').replace(LONE_SURROGATES, '');
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const LONE_SURROGATES = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function text(value: string): string {
  return xmlSafe(value).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value; line breaks and tabs kept as references (a parser would fold them to spaces). */
function attr(value: string): string {
  return text(value)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}
