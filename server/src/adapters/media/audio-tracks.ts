import type { AudioStream, TechnicalMetadata } from '../../ports/media.js';

/**
 * Every audio track of the source, each its own track in the proxy (an XDCAM clip's eight
 * mono tracks stay eight, so an editor can hear track 5). Mono stays mono and stereo stereo;
 * more channels (5.1, 7.1) are downmixed to stereo with ffmpeg's standard matrix (centre and
 * surrounds at -3 dB), the LFE added at -6 dB so nothing recorded is silent in the browser.
 */
export const MAX_PROXY_AUDIO_TRACKS = 32;

/** LFE's share in the stereo downmix (swresample's `lfe_mix_level`; its default 0 drops it). */
export const LFE_MIX_LEVEL = 0.5;

export interface ProxyAudio {
  /** `-filter_complex` chains, joined with `;` (empty when no track needs one). */
  filters: string[];
  /** `-map …` and the per-stream codec options, for every track in order. */
  args: string[];
}

export function proxyAudio(source: TechnicalMetadata, bitrateKbps: number): ProxyAudio {
  const tracks = source.audio.slice(0, MAX_PROXY_AUDIO_TRACKS);
  const filters: string[] = [];
  const args: string[] = [];
  tracks.forEach((track, i) => {
    const channels = outputChannels(track);
    if (channels === 2 && (track.channels ?? 2) > 2) {
      filters.push(
        `[0:a:${i}]aresample=lfe_mix_level=${LFE_MIX_LEVEL},aformat=channel_layouts=stereo[a${i}]`,
      );
      args.push('-map', `[a${i}]`);
    } else {
      args.push('-map', `0:a:${i}`, `-ac:a:${i}`, String(channels));
    }
    // A mono track needs half a stereo track's bits for the same quality.
    args.push(`-b:a:${i}`, `${channels === 1 ? Math.max(32, Math.round(bitrateKbps / 2)) : bitrateKbps}k`);
  });
  if (tracks.length > 0) {
    // The AAC encoder stops at 96 kHz and browsers expect 44.1 or 48 kHz.
    const rate = Math.max(...tracks.map((t) => t.sampleRate ?? 48000));
    args.push('-c:a', 'aac', ...(rate > 48000 ? ['-ar', '48000'] : []));
  }
  return { filters, args };
}

/** Mono for one channel, stereo for everything else. */
export function outputChannels(track: Pick<AudioStream, 'channels'>): 1 | 2 {
  return track.channels === 1 ? 1 : 2;
}
