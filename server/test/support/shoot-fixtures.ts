import { makeMedia } from './media-fixtures.js';

/** The eight tones of `eightMonoMxf`, track by track (Hz): far apart, none a harmonic of another's bin. */
export const TRACK_TONES = [300, 500, 700, 1100, 1300, 1700, 1900, 2300];

const sine = (frequency: number, seconds: number) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`,
];

/**
 * Media a shoot brings that the basic fixtures do not: an XDCAM-style MXF with eight mono
 * tracks, a portrait phone clip, a 5.1 mix with a different tone on each channel.
 */
const recipes = {
  /** MPEG-2 in MXF OP1a with eight mono PCM tracks, each its own tone (TRACK_TONES). */
  eightMonoMxf: {
    file: 'eight-mono.mxf',
    args: [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=2'],
      ...TRACK_TONES.flatMap((f) => sine(f, 2)),
      '-map',
      '0:v',
      ...TRACK_TONES.flatMap((_, i) => ['-map', `${i + 1}:a`]),
      ...['-c:v', 'mpeg2video', '-q:v', '4', '-c:a', 'pcm_s16le', '-ac', '1'],
    ],
  },
  /** 1920×1080 H.264, made upright below. */
  phoneLandscapeMov: {
    file: 'phone-landscape.mov',
    args: [
      ...['-f', 'lavfi', '-i', 'testsrc2=size=1920x1080:rate=5:duration=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ],
  },
  /** 5.1 WAV whose six channels each carry their own tone (FL 300 … BR 1900 Hz; LFE 100 Hz). */
  surroundTonesWav: {
    file: 'surround-tones.wav',
    args: [
      ...[300, 500, 700, 100, 1300, 1900].flatMap((f) => sine(f, 2)),
      '-filter_complex',
      '[0:a][1:a][2:a][3:a][4:a][5:a]join=inputs=6:channel_layout=5.1[a]',
      ...['-map', '[a]', '-c:a', 'pcm_s24le'],
    ],
  },
  /** A 12000×12000 RGB PNG (432 MB decoded) and the same as a JPEG. */
  hugePng: {
    file: 'huge-12000.png',
    args: ['-f', 'lavfi', '-i', 'testsrc2=size=12000x12000', '-frames:v', '1', '-pix_fmt', 'rgb24'],
  },
  hugeJpeg: {
    file: 'huge-12000.jpg',
    args: ['-f', 'lavfi', '-i', 'testsrc2=size=12000x12000', '-frames:v', '1', '-q:v', '5'],
  },
} satisfies Record<string, { file: string; args: string[] }>;

export type ShootFixture = keyof typeof recipes;

const made = new Map<ShootFixture, Promise<string>>();

export function shootFixture(name: ShootFixture | 'phoneRotatedMov'): Promise<string> {
  if (name === 'phoneRotatedMov') return phoneRotated();
  let path = made.get(name);
  if (!path) {
    path = makeMedia(recipes[name]);
    made.set(name, path);
  }
  return path;
}

/**
 * A phone shot upright: the landscape clip with a display matrix that turns it a quarter
 * clockwise (ffprobe: rotation -90, as an iPhone's). ffmpeg 5.1 writes the matrix only when
 * copying the stream, hence a second run.
 */
async function phoneRotated(): Promise<string> {
  const landscape = await shootFixture('phoneLandscapeMov');
  return makeMedia({
    file: 'phone-portrait.mov',
    args: ['-i', landscape, '-c', 'copy', '-metadata:s:v:0', 'rotate=270'],
  });
}
