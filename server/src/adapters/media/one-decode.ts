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
    /**
     * Seconds after `start` the pick may look (four windows): past it the branch drops frames
     * before scaling them, rather than scale and test every frame to the end for nothing.
     */
    span: number;
    /** To the thumbnail's size. */
    scale: string;
    /** Picks one frame of the window. */
    pick: string;
    /** The look's LUT for the output pictures (without a burn-in the LUT runs on them alone). */
    lut: string[];
  };
  /** From proxy frames to one frame per filmstrip tile; null when the clip has no filmstrip. */
  filmstrip: string | null;
}

export interface OneDecodeGraph {
  text: string;
  outputs: { proxy: string; thumbnail: string; filmstrip: string | null };
}

/**
 * Without a burn-in the thumbnail branch splits off the decoded frames, as the thumbnail's own
 * run saw them, and grades only the frames it outputs. With one, the thumbnail is picked from
 * the proxy's graded and labelled frames: the text must be drawn after the LUT (or the LUT would
 * colour it) and on every frame (its timecode counts frames), and doing that twice at full size
 * would cost more than the thumbnail is worth.
 *
 * The thumbnail output gets the first frame at once, then the picked one (two pictures; the
 * second is the thumbnail, and its absence says every frame was black). ffmpeg reports no
 * progress before every output has its first frame, so none may wait for the window's end.
 * The filmstrip output gets one frame per tile; the sprite is laid out from them afterwards.
 */
export function oneDecodeGraph(parts: OneDecodeParts): OneDecodeGraph {
  const { thumbnail } = parts;
  const window = [
    `select='between(t,${thumbnail.start.toFixed(3)},${(thumbnail.start + thumbnail.span).toFixed(3)})'`,
  ];
  const chains: string[] = [];
  const proxyOut = parts.filmstrip ? ['[proxy]', '[strip_in]'] : ['[proxy]'];
  const proxyTail = (input: string, head: string[]) =>
    `${input}${[...head, parts.proxyPixels, ...(parts.filmstrip ? ['split=2'] : [])].join(',')}${proxyOut.join('')}`;
  const burnt = parts.burnIn.length > 0;
  if (!burnt) {
    chains.push('[0:v:0]split=2[proxy_in][thumb_in]');
    chains.push(proxyTail('[proxy_in]', parts.proxy));
  } else {
    chains.push(`[0:v:0]${[...parts.proxy, ...parts.burnIn, 'split=2'].join(',')}[proxy_in][thumb_in]`);
    chains.push(proxyTail('[proxy_in]', []));
  }
  chains.push('[thumb_in]split=2[first_in][pick_in]');
  chains.push(`[first_in]trim=end_frame=1,${thumbnail.scale}[first]`);
  chains.push(
    `[pick_in]${[...window, thumbnail.scale, thumbnail.pick, 'trim=end_frame=1'].join(',')}[picked]`,
  );
  // The LUT (already in the frames when there is a burn-in) on the two pictures only.
  chains.push(`[first][picked]${['concat=n=2:v=1:a=0', ...(burnt ? [] : thumbnail.lut)].join(',')}[thumb]`);
  if (parts.filmstrip) chains.push(`[strip_in]${parts.filmstrip}[strip]`);
  return {
    text: chains.join(';'),
    outputs: { proxy: 'proxy', thumbnail: 'thumb', filmstrip: parts.filmstrip ? 'strip' : null },
  };
}
