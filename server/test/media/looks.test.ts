import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTranscoder } from '../../src/adapters/media/ffmpeg-transcoder.js';
import {
  BURN_IN_FONT,
  BURN_IN_POSITION,
  BURN_IN_STYLE,
  filterValue,
} from '../../src/adapters/media/look-filters.js';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import { parseCube } from '../../src/features/looks/cube-lut.js';
import { defaultMediaSettings, type LookOptions, type TechnicalMetadata } from '../../src/ports/media.js';
import { boxDifference, meanRgb, rgbFrame, SPLIT_1D, WARM_3D, writeGreyStill } from '../support/looks.js';

const run = promisify(execFile);

// Real: ffmpeg (in its sandbox where bubblewrap works) on grey media made here; pixels read
// back and compared with what ffmpeg draws on its own with the same font and text.
const probe = new ToolsMediaProbe();
const transcoder = new FfmpegTranscoder();
let dir: string;
let greyClip: { file: string; source: TechnicalMetadata };
let greyStill: { file: string; source: TechnicalMetadata };

const noBurnIn = { clipName: null, timecode: false, frameCounter: false };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dailies-looks-'));
  const clip = join(dir, 'grey.mov');
  await run('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'color=c=0x808080:size=640x360:rate=25:duration=2'],
    ...[
      '-c:v',
      'libx264',
      '-preset',
      'ultrafast',
      '-qp',
      '0',
      '-pix_fmt',
      'yuv420p',
      '-timecode',
      '01:00:00:00',
      clip,
    ],
  ]);
  const still = join(dir, 'grey.png');
  await writeGreyStill(still);
  greyClip = { file: clip, source: await probe.probe(clip) };
  greyStill = { file: still, source: await probe.probe(still) };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A run directory with the LUT written into it, as the job does. */
async function runDir(name: string, cube: string | null): Promise<{ out: string; lut: LookOptions['lut'] }> {
  const out = join(dir, name);
  await mkdir(out, { recursive: true });
  if (!cube) return { out, lut: null };
  const parsed = parseCube(cube);
  const file = join(out, 'look.cube');
  await writeFile(file, parsed.cube);
  return { out, lut: { file, dimensions: parsed.dimensions } };
}

function near(actual: number[], expected: number[], tolerance = 8) {
  for (const [i, v] of actual.entries()) {
    expect(Math.abs(v - expected[i]), `channel ${i}: ${actual} vs ${expected}`).toBeLessThan(tolerance);
  }
}

describe('a LUT on thumbnails and proxies', () => {
  it('3D: grey becomes the colour the LUT says, on a still thumbnail and proxy', async () => {
    const { out, lut } = await runDir('still-3d', WARM_3D);
    const look = { lut, burnIn: noBurnIn };
    const thumbnail = await transcoder.thumbnail(greyStill.file, join(out, 'thumbnail.jpg'), {
      source: greyStill.source,
      look,
    });
    const proxy = await transcoder.proxy(greyStill.file, join(out, 'proxy.jpg'), {
      source: greyStill.source,
      look,
    });
    near(meanRgb(await rgbFrame(thumbnail.file)), [128, 64, 32]);
    near(meanRgb(await rgbFrame(proxy.file)), [128, 64, 32]);
    // Without the look the same still stays grey.
    const plain = await transcoder.thumbnail(greyStill.file, join(out, 'plain.jpg'), {
      source: greyStill.source,
    });
    near(meanRgb(await rgbFrame(plain.file)), [128, 128, 128]);
  });

  it("unsandboxed, a work dir named with ffmpeg's special characters still reaches the LUT, escaped", async () => {
    // Outside the sandbox the LUT's path is the work dir's own: `'`, `:`, `,`, `;`, `[`, `\`
    // and `%` in it must stay one path, never end the option or the filter.
    const plain = new FfmpegTranscoder({ ...defaultMediaSettings, toolSandbox: 'off' });
    const { out, lut } = await runDir("it's: a, [odd]; dir\\ %d", WARM_3D);
    const made = await plain.thumbnail(greyStill.file, join(out, 'thumbnail.jpg'), {
      source: greyStill.source,
      look: { lut, burnIn: { clipName: "A'1:2", timecode: false, frameCounter: false } },
    });
    // Read back from a plain name (the test's own tools would take `%d` as a pattern).
    const readable = join(dir, 'odd-dir-thumbnail.jpg');
    await copyFile(made.file, readable);
    near(meanRgb(await rgbFrame(readable), [0, 60, 320, 180]), [128, 64, 32]);
  });

  it('1D and 3D on a video made in one decode: thumbnail, proxy and filmstrip all graded', async () => {
    for (const [name, cube, colour] of [
      ['video-1d', SPLIT_1D, [128, 64, 127]],
      ['video-3d', WARM_3D, [128, 64, 32]],
    ] as const) {
      const { out, lut } = await runDir(name, cube);
      const set = await transcoder.videoSet(
        greyClip.file,
        {
          proxy: join(out, 'proxy.mp4'),
          thumbnail: join(out, 'thumbnail.jpg'),
          filmstripDir: join(out, 'filmstrip'),
        },
        { source: greyClip.source, look: { lut, burnIn: noBurnIn } },
      );
      near(meanRgb(await rgbFrame(set.thumbnail.file)), [...colour]);
      near(meanRgb(await rgbFrame(set.proxy.file, 10)), [...colour]);
      near(meanRgb(await rgbFrame(set.filmstrip!.sprite.file)), [...colour]);
      // Still what browsers play.
      const { stdout } = await run('ffprobe', [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=pix_fmt,profile',
        '-of',
        'csv=p=0',
        set.proxy.file,
      ]);
      expect(stdout.trim()).toBe('High,yuv420p');
    }
  });
});

/** What ffmpeg draws by itself: the same grey, font, size, box and place, the text given literally. */
async function rendered(
  text: string,
  at: { x: string; y: string },
  name: string,
): Promise<Awaited<ReturnType<typeof rgbFrame>>> {
  const file = join(dir, `${name}.png`);
  const draw = [
    `fontfile=${filterValue(BURN_IN_FONT)}`,
    `fontsize=${BURN_IN_STYLE.fontSize}`,
    `fontcolor=${BURN_IN_STYLE.colour}`,
    'box=1',
    `boxcolor=${BURN_IN_STYLE.box}`,
    `text=${filterValue(text)}`,
    'expansion=none',
    `x=${at.x}`,
    `y=${at.y}`,
  ].join(':');
  await run('ffmpeg', [
    ...['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x808080:size=640x360:rate=25'],
    ...['-vf', `format=yuv420p,drawtext=${draw}`, '-frames:v', '1', file],
  ]);
  return rgbFrame(file);
}

describe('a burn-in', () => {
  it('draws the source timecode of each frame: frame 30 of a 25 fps clip from 01:00:00:00 reads 01:00:01:05', async () => {
    const { out } = await runDir('burn-in', null);
    const set = await transcoder.videoSet(
      greyClip.file,
      {
        proxy: join(out, 'proxy.mp4'),
        thumbnail: join(out, 'thumbnail.jpg'),
        filmstripDir: join(out, 'filmstrip'),
      },
      {
        source: greyClip.source,
        look: { lut: null, burnIn: { clipName: null, timecode: true, frameCounter: true } },
      },
    );
    const frame = await rgbFrame(set.proxy.file, 30);
    // The bottom-left box, where the timecode is drawn.
    const box = [0, 300, 320, 60];
    const candidates = await Promise.all(
      [3, 4, 5, 6, 7].map(async (f) => ({
        f,
        difference: boxDifference(
          frame,
          await rendered(`01:00:01:0${f}`, BURN_IN_POSITION.timecode, `tc-${f}`),
          box,
        ),
      })),
    );
    const best = candidates.reduce((a, b) => (b.difference < a.difference ? b : a));
    expect(best.f, JSON.stringify(candidates)).toBe(5);
    expect(best.difference).toBeLessThan(4);
    // And the frame counter, bottom right, says 30.
    const counter = [480, 300, 160, 60];
    const thirty = boxDifference(frame, await rendered('30', BURN_IN_POSITION.frame, 'n-30'), counter);
    const thirtyOne = boxDifference(frame, await rendered('31', BURN_IN_POSITION.frame, 'n-31'), counter);
    expect(thirty).toBeLessThan(thirtyOne);
  });

  it('draws a hostile clip name as it is: no filter option, expansion or quote gets through', async () => {
    const names = [
      "A001:fontcolor=red:x=0'",
      "it's %{pts} %{localtime} %{eif\\:1/0\\:d}",
      'back\\slash\\\\ , ; [out] ]',
      "'''::\\\\%{",
    ];
    for (const [i, clipName] of names.entries()) {
      const { out } = await runDir(`hostile-${i}`, null);
      const look = { lut: null, burnIn: { clipName, timecode: false, frameCounter: false } };
      const thumbnail = await transcoder.thumbnail(greyClip.file, join(out, 'thumbnail.jpg'), {
        source: greyClip.source,
        look,
      });
      const proxy = await transcoder.proxy(greyClip.file, join(out, 'proxy.mp4'), {
        source: greyClip.source,
        look,
      });
      const frame = await rgbFrame(proxy.file, 12);
      const box = [0, 0, 640, 40];
      const literal = boxDifference(frame, await rendered(clipName, BURN_IN_POSITION.name, `name-${i}`), box);
      const other = boxDifference(
        frame,
        await rendered(`${clipName}x`, BURN_IN_POSITION.name, `name-${i}-x`),
        box,
      );
      expect(literal, clipName).toBeLessThan(3);
      expect(literal, clipName).toBeLessThan(other);
      // Nothing turned red: an injected fontcolor would have.
      const [r, g] = meanRgb(frame, box);
      expect(r - g).toBeLessThan(4);
      expect(thumbnail.sizeBytes).toBeGreaterThan(0);
    }
  });
});
