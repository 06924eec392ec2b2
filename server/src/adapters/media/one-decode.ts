/**
 * The filter graph that makes a video's proxy, thumbnail and filmstrip from one decode of the
 * original: the decoded frames are split, each branch ends at one output. Pure: the transcoder
 * gives each branch's filters and maps the graph's outputs to its files.
 */

export interface OneDecodeParts {
  /** The proxy's filters up to its look's LUT (deinterlace, scale, square pixels, LUT). */
  proxy: string[];
  /** The burn-in's drawtext filters, drawn on every proxy frame after the LUT; may be empty. */
  burnIn: string[];
  /** The proxy's final pixel format (what browsers play). */
  proxyPixels: string;
  thumbnail: {
    /** Seconds into the clip where the thumbnail's window starts. */
    start: number;
    /** To the thumbnail's size. */
    scale: string;
    /** Picks one frame of the window. */
    pick: string;
    /** The look's LUT for the picked frame (without a burn-in the LUT runs on that frame alone). */
    lut: string[];
  };
  /** From proxy frames to the sprite; null when the clip has no filmstrip. */
  filmstrip: string | null;
}

export interface OneDecodeGraph {
  text: string;
  outputs: { proxy: string; thumbnail: string; filmstrip: string | null };
}

/**
 * Without a burn-in the thumbnail branch splits off the decoded frames, as the thumbnail's own
 * run saw them, and grades only the frame it picks. With one, the thumbnail is picked from the
 * proxy's graded and labelled frames: the text must be drawn after the LUT (or the LUT would
 * colour it) and on every frame (its timecode counts frames), and doing that twice at full size
 * would cost more than the thumbnail is worth.
 */
export function oneDecodeGraph(parts: OneDecodeParts): OneDecodeGraph {
  const { thumbnail } = parts;
  const window = thumbnail.start > 0 ? [`select='gte(t,${thumbnail.start.toFixed(3)})'`] : [];
  const chains: string[] = [];
  const proxyOut = parts.filmstrip ? [`[proxy]`, `[strip_in]`] : ['[proxy]'];
  const proxyTail = (input: string, head: string[]) =>
    `${input}${[...head, parts.proxyPixels, ...(parts.filmstrip ? ['split=2'] : [])].join(',')}${proxyOut.join('')}`;
  if (parts.burnIn.length === 0) {
    chains.push('[0:v:0]split=2[proxy_in][thumb_in]');
    chains.push(proxyTail('[proxy_in]', parts.proxy));
    chains.push(
      `[thumb_in]${[...window, thumbnail.scale, thumbnail.pick, ...thumbnail.lut].join(',')}[thumb]`,
    );
  } else {
    chains.push(`[0:v:0]${[...parts.proxy, ...parts.burnIn, 'split=2'].join(',')}[proxy_in][thumb_in]`);
    chains.push(proxyTail('[proxy_in]', []));
    chains.push(`[thumb_in]${[...window, thumbnail.scale, thumbnail.pick].join(',')}[thumb]`);
  }
  if (parts.filmstrip) chains.push(`[strip_in]${parts.filmstrip}[strip]`);
  return {
    text: chains.join(';'),
    outputs: { proxy: 'proxy', thumbnail: 'thumb', filmstrip: parts.filmstrip ? 'strip' : null },
  };
}
