/**
 * What ffmpeg and ffprobe may open as input: a file, read by a demuxer for a self-contained
 * media format. Demuxers that open other files or URLs named inside the input (concat, HLS,
 * DASH, IMF, Magic Lantern's chunked MLV), that read numbered or globbed sequences of files
 * (image2 patterns), that render text as video (tty, bin) or grab devices are not listed, and
 * no protocol but `file` is allowed, so `concat:`, `subfile:`, `data:`, `http:` and the like
 * are refused wherever they appear.
 */
const DEMUXERS = [
  // Video containers and elementary streams.
  'mov',
  'matroska',
  'mxf',
  'avi',
  'mpegts',
  'mpeg',
  'flv',
  'asf',
  'dv',
  'gxf',
  'lxf',
  'nut',
  'ogg',
  'r3d',
  'ivf',
  'rm',
  'wtv',
  'cine',
  'yuv4mpegpipe',
  'mjpeg',
  'h264',
  'hevc',
  'm4v',
  'mpegvideo',
  'dnxhd',
  'vc1',
  'av1',
  'obu',
  'dirac',
  // Audio.
  'wav',
  'w64',
  'aiff',
  'caf',
  'mp3',
  'aac',
  'ac3',
  'eac3',
  'dts',
  'dtshd',
  'truehd',
  'mlp',
  'flac',
  'wv',
  'ape',
  'tta',
  'au',
  'amr',
  'loas',
  'mpc',
  'mpc8',
  'tak',
  'dsf',
  'oma',
  'xwma',
  // Still images: each read from the one file (image2 only ever sees a name without patterns).
  'image2',
  'apng',
  'gif',
  'gif_pipe',
  'ico',
  'png_pipe',
  'jpeg_pipe',
  'jpegls_pipe',
  'jpegxl_pipe',
  'tiff_pipe',
  'dpx_pipe',
  'exr_pipe',
  'bmp_pipe',
  'webp_pipe',
  'j2k_pipe',
  'psd_pipe',
  'qoi_pipe',
  'sgi_pipe',
  'sunrast_pipe',
  'pam_pipe',
  'pbm_pipe',
  'pgm_pipe',
  'ppm_pipe',
  'pfm_pipe',
  'phm_pipe',
  'pcx_pipe',
  'xwd_pipe',
];

/**
 * The options that go before ffmpeg's `-i` (and ffprobe's input) to hold it to one file.
 * image2 reads `%d` sequences and globs (`*?[{`) in a name unless told `-pattern_type none`,
 * an option ffprobe takes for any file but ffmpeg refuses for other demuxers. So ffmpeg gets
 * image2 forced with that option when the probe found image2 (`probedFormat`), and no image2
 * at all for a name with those characters otherwise (only possible outside the sandbox, which
 * names the input `input.<ext>`).
 */
export function inputPolicy(inputPath: string, tool: 'ffprobe' | 'ffmpeg', probedFormat?: string): string[] {
  const whitelist = (demuxers: string[]) => [
    '-protocol_whitelist',
    'file',
    '-format_whitelist',
    demuxers.join(','),
  ];
  if (tool === 'ffprobe') return [...whitelist(DEMUXERS), '-pattern_type', 'none'];
  if (probedFormat === 'image2') return [...whitelist(DEMUXERS), '-f', 'image2', '-pattern_type', 'none'];
  const patterned = /[%*?[{]/.test(inputPath);
  return whitelist(patterned ? DEMUXERS.filter((d) => d !== 'image2') : DEMUXERS);
}

/** How ffmpeg names an input file so that nothing in the name can select a protocol. */
export function fileUrl(path: string): string {
  return `file:${path}`;
}

/** Demuxers whose files name other files, and what a person calls them. */
const REFERENCE_FORMATS: Record<string, string> = {
  concat: 'an ffconcat list',
  hls: 'an HLS playlist',
  dash: 'a DASH manifest',
  imf: 'an IMF composition playlist',
  webm_dash_manifest: 'a WebM DASH manifest',
  mlv: 'a Magic Lantern MLV set',
  image2: 'an image sequence',
};

/**
 * A readable reason when ffmpeg refused the input because of the policy above; null when the
 * failure is something else.
 */
export function refusedInput(stderr: string): string | null {
  const format = /\[([\w,]+) @ 0x[0-9a-f]+\] Format not on whitelist/.exec(stderr)?.[1];
  if (format) {
    const what = REFERENCE_FORMATS[format] ?? `a ${format.split(',')[0]} file`;
    return `this is ${what}, a kind of file that points to other files or is not media Dailies reads; only media that holds its own pictures and sound is processed.`;
  }
  if (/Protocol '[^']*' not on whitelist/.test(stderr)) {
    return 'this file asks to read other files or addresses (a protocol other than the file itself), which Dailies never does.';
  }
  return null;
}
