import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Media the tests make with ffmpeg: short and small so the suite stays fast on two cores.
 * Each is made once and kept in a directory named after its recipe, so test files running
 * in parallel processes share it and a changed recipe makes a new file.
 */
const lavfiVideo = (spec: string) => ['-f', 'lavfi', '-i', spec];
const tone = (seconds: number, rate = 48000) => [
  '-f',
  'lavfi',
  '-i',
  `sine=frequency=440:sample_rate=${rate}:duration=${seconds}`,
];

export const mediaFixtures = {
  /** ProRes 422 HQ, 24000/1001, timecode 01:00:00:00, 24-bit PCM stereo, BT.709 tags. */
  proresMov: {
    file: 'prores-hq.mov',
    args: [
      ...lavfiVideo('testsrc2=size=320x240:rate=24000/1001:duration=2'),
      ...tone(2),
      ...['-c:v', 'prores_ks', '-profile:v', '3', '-pix_fmt', 'yuv422p10le'],
      ...['-color_primaries', 'bt709', '-color_trc', 'bt709', '-colorspace', 'bt709'],
      ...['-c:a', 'pcm_s24le', '-ac', '2', '-timecode', '01:00:00:00'],
    ],
  },
  /** DNxHD 36 in MXF OP1a, 1920x1080 at 25p (one of the few sizes DNxHD allows), timecode 10:00:00:00. */
  dnxhdMxf: {
    file: 'dnxhd.mxf',
    args: [
      ...lavfiVideo('testsrc2=size=1920x1080:rate=25:duration=1'),
      ...tone(1),
      ...[
        '-c:v',
        'dnxhd',
        '-b:v',
        '36M',
        '-pix_fmt',
        'yuv422p',
        '-c:a',
        'pcm_s16le',
        '-timecode',
        '10:00:00:00',
      ],
    ],
  },
  /** H.264 MP4 that opens on one second of black, so a first-frame thumbnail would be black. */
  h264Mp4: {
    file: 'h264.mp4',
    args: [
      ...lavfiVideo('color=black:size=320x240:rate=25:duration=1'),
      ...lavfiVideo('testsrc2=size=320x240:rate=25:duration=2'),
      ...tone(3),
      ...['-filter_complex', '[0:v][1:v]concat=n=2:v=1:a=0[v]', '-map', '[v]', '-map', '2:a'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-ac', '2'],
    ],
  },
  /** Nothing but black: the thumbnail must still be made. */
  blackMp4: {
    file: 'black.mp4',
    args: [
      ...lavfiVideo('color=black:size=160x120:rate=25:duration=1'),
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
    ],
  },
  /** Interlaced (MBAFF, top field first) H.264 at 30000/1001. */
  interlacedMp4: {
    file: 'interlaced.mp4',
    args: [
      ...lavfiVideo('testsrc2=size=320x240:rate=30000/1001:duration=1'),
      ...['-vf', 'setfield=tff', '-flags', '+ildct+ilme', '-x264-params', 'tff=1'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ],
  },
  /** HEVC Main 10 with HDR10-style colour tags (BT.2020, PQ). */
  hevc10Mp4: {
    file: 'hevc10.mp4',
    args: [
      ...lavfiVideo('testsrc2=size=320x240:rate=30:duration=1'),
      ...[
        '-c:v',
        'libx265',
        '-preset',
        'ultrafast',
        '-pix_fmt',
        'yuv420p10le',
        '-x265-params',
        'log-level=error',
      ],
      ...[
        '-color_primaries',
        'bt2020',
        '-color_trc',
        'smpte2084',
        '-colorspace',
        'bt2020nc',
        '-tag:v',
        'hvc1',
      ],
    ],
  },
  /** 5.1 WAV, 24-bit, 48 kHz. */
  wav51: {
    file: 'surround-5.1.wav',
    args: [
      ...tone(1),
      ...[
        '-filter_complex',
        '[0:a]asplit=6[a][b][c][d][e][f];[a][b][c][d][e][f]join=inputs=6:channel_layout=5.1',
      ],
      ...['-c:a', 'pcm_s24le'],
    ],
  },
  mp3: {
    file: 'tone.mp3',
    args: [...tone(2, 44100), '-ac', '2', '-c:a', 'libmp3lame', '-b:a', '128k'],
  },
  png: {
    file: 'still.png',
    args: [...lavfiVideo('testsrc2=size=320x240'), '-frames:v', '1'],
  },
  tiff16: {
    file: 'still-16bit.tif',
    args: [...lavfiVideo('testsrc2=size=320x240'), '-frames:v', '1', '-pix_fmt', 'rgb48le'],
  },
  jpeg: {
    file: 'still.jpg',
    args: [...lavfiVideo('testsrc2=size=320x240'), '-frames:v', '1'],
  },
} satisfies Record<string, { file: string; args: string[] }>;

export type MediaFixture = keyof typeof mediaFixtures;

const made = new Map<MediaFixture, Promise<string>>();

/** Absolute path of the fixture, made on first use. */
export function mediaFixture(name: MediaFixture): Promise<string> {
  let path = made.get(name);
  if (!path) {
    path = make(name);
    made.set(name, path);
  }
  return path;
}

function make(name: MediaFixture): Promise<string> {
  return makeMedia(mediaFixtures[name]);
}

/** A file ffmpeg makes from `args`, kept under a directory named after the recipe (see above). */
export async function makeMedia({ file, args }: { file: string; args: string[] }): Promise<string> {
  const recipe = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 12);
  const dir = join(process.env.DAILIES_TEST_MEDIA_DIR ?? join(tmpdir(), 'dailies-test-media'), recipe);
  const path = join(dir, file);
  if (
    await stat(path).then(
      (info) => info.size > 0,
      () => false,
    )
  )
    return path;
  await mkdir(dir, { recursive: true });
  // Another test process may be making the same file: write aside, then rename into place.
  const temp = join(dir, `.${randomBytes(4).toString('hex')}-${file}`);
  try {
    await run('ffmpeg', ['-nostdin', '-hide_banner', '-v', 'error', '-y', ...args, temp], {
      timeout: 60_000,
    });
    await rename(temp, path);
  } finally {
    await rm(temp, { force: true });
  }
  return path;
}
