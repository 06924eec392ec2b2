import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FfmpegTranscoder } from '../../src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import { PROXY_KEYFRAME_SECONDS } from '../../src/ports/media.js';
import { type MediaFixture, mediaFixture } from '../support/media-fixtures.js';
import { ffprobeJson, keyframeTimes } from '../support/raw-media-tools.js';

const run = promisify(execFile);

// Real: ffmpeg on generated clips. One decode must give what the separate runs gave: the same
// thumbnail frame, the same proxy frames, the same filmstrip layout and (near) the same tiles.
const probe = new ToolsMediaProbe();
const transcoder = new FfmpegTranscoder();
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'dailies-one-decode-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

/** Decoded RGB bytes of a picture's first frame. */
async function pixels(file: string): Promise<Buffer> {
  const { stdout } = await run(
    'ffmpeg',
    ['-v', 'error', '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', 'pipe:1'],
    { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 },
  );
  return stdout;
}

function meanDifference(a: Buffer, b: Buffer): number {
  expect(a.length).toBe(b.length);
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - b[i]);
  return sum / a.length;
}

/** MD5 of every decoded video frame: equal when the pictures are, whatever the container says. */
async function frameHashes(file: string): Promise<string> {
  const { stdout } = await run('ffmpeg', ['-v', 'error', '-i', file, '-map', '0:v:0', '-f', 'framemd5', '-']);
  return stdout
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => line.split(',').at(-1)?.trim())
    .join('\n');
}

describe('one decode for the proxy, thumbnail and filmstrip', () => {
  const cases: MediaFixture[] = ['h264Mp4', 'interlacedMp4', 'proresMov'];
  for (const fixture of cases) {
    it(`${fixture}: the same outputs as the separate runs`, async () => {
      const file = await mediaFixture(fixture);
      const source = await probe.probe(file);
      const separate = join(out, `${fixture}-separate`);
      const together = join(out, `${fixture}-together`);
      await mkdir(join(separate, 'filmstrip'), { recursive: true });
      await mkdir(together, { recursive: true });

      const thumbnail = await transcoder.thumbnail(file, join(separate, 'thumbnail.jpg'), { source });
      const proxy = await transcoder.proxy(file, join(separate, 'proxy.mp4'), { source });
      const strip = await transcoder.filmstrip(proxy.file, join(separate, 'filmstrip'), {
        source,
        keyframeSeconds: PROXY_KEYFRAME_SECONDS,
      });

      const progress: number[] = [];
      // The thumbnail must come from the one decode, not from the fallback's own run.
      const ownRun = vi.spyOn(transcoder, 'thumbnail');
      const set = await transcoder.videoSet(
        file,
        {
          proxy: join(together, 'proxy.mp4'),
          thumbnail: join(together, 'thumbnail.jpg'),
          filmstripDir: join(together, 'filmstrip'),
        },
        { source },
        (fraction) => progress.push(fraction),
      );

      expect(ownRun).not.toHaveBeenCalled();
      ownRun.mockRestore();
      // The thumbnail: the same frame picked the same way, so the same JPEG.
      expect(meanDifference(await pixels(set.thumbnail.file), await pixels(thumbnail.file))).toBeLessThan(
        0.5,
      );
      // The proxy: the same pictures, keyframes and streams.
      expect(await frameHashes(set.proxy.file)).toBe(await frameHashes(proxy.file));
      expect(await keyframeTimes(set.proxy.file)).toEqual(await keyframeTimes(proxy.file));
      const a = await ffprobeJson(set.proxy.file);
      const b = await ffprobeJson(proxy.file);
      const streams = (p: typeof a) =>
        p.streams.map((s) => [
          s.codec_type,
          s.codec_name,
          s.width,
          s.height,
          s.pix_fmt,
          s.channels,
          s.nb_frames,
        ]);
      expect(streams(a)).toEqual(streams(b));
      // The filmstrip: the same layout and cues; tiles from the proxy's frames before encoding
      // rather than after, so close, not equal.
      expect(set.filmstrip).not.toBeNull();
      expect(await readFile(set.filmstrip!.vtt.file, 'utf8')).toBe(await readFile(strip.vtt.file, 'utf8'));
      expect(set.filmstrip!.tiles).toBe(strip.tiles);
      expect(
        meanDifference(await pixels(set.filmstrip!.sprite.file), await pixels(strip.sprite.file)),
      ).toBeLessThan(6);
      // Progress as the proxy's own run reports it, ending at 1; nothing half-written is left.
      expect(progress.at(-1)).toBe(1);
      expect(progress.every((p, i) => i === 0 || p >= progress[i - 1])).toBe(true);
      expect((await readdir(together)).sort()).toEqual(['filmstrip', 'proxy.mp4', 'thumbnail.jpg']);
      expect((await readdir(join(together, 'filmstrip'))).sort()).toEqual(['filmstrip.vtt', 'sprite.jpg']);
    });
  }

  it('an all-black clip still gets its thumbnail (the rare second run), and no filmstrip when none is asked', async () => {
    const file = await mediaFixture('blackMp4');
    const source = await probe.probe(file);
    const dir = join(out, 'black');
    await mkdir(dir, { recursive: true });
    const ownRun = vi.spyOn(transcoder, 'thumbnail');
    const set = await transcoder.videoSet(
      file,
      { proxy: join(dir, 'proxy.mp4'), thumbnail: join(dir, 'thumbnail.jpg'), filmstripDir: null },
      { source },
    );
    expect(ownRun).toHaveBeenCalledTimes(1);
    ownRun.mockRestore();
    expect(set.thumbnail.sizeBytes).toBeGreaterThan(0);
    expect(set.filmstrip).toBeNull();
    expect((await readdir(dir)).sort()).toEqual(['proxy.mp4', 'thumbnail.jpg']);
  });

  it('reports progress from the start, not only once every output has its frame', async () => {
    // ffmpeg holds its first progress report until every output has written its header: an
    // output that waited for the thumbnail's window (10% in) or the whole filmstrip would leave
    // the stall timer blind for that long, and kill a long clip's run.
    const file = join(out, 'long.mp4');
    await run('ffmpeg', [
      ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=25:duration=60'],
      ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', file],
    ]);
    const source = await probe.probe(file);
    const dir = join(out, 'long');
    await mkdir(dir, { recursive: true });
    const progress: number[] = [];
    await transcoder.videoSet(
      file,
      {
        proxy: join(dir, 'proxy.mp4'),
        thumbnail: join(dir, 'thumbnail.jpg'),
        filmstripDir: join(dir, 'filmstrip'),
      },
      { source },
      (fraction) => progress.push(fraction),
    );
    const early = progress.filter((p) => p < 0.5);
    expect(early.length, JSON.stringify(progress)).toBeGreaterThanOrEqual(2);
    expect(progress[0]).toBeLessThan(0.1);
  });

  it('a failed run leaves no partial file', async () => {
    const file = await mediaFixture('h264Mp4');
    const source = await probe.probe(file);
    const dir = join(out, 'aborted');
    await mkdir(dir, { recursive: true });
    const controller = new AbortController();
    // Stopped while it runs (a shutdown): every output was being written at once.
    setTimeout(() => controller.abort(), 150);
    await expect(
      transcoder.videoSet(
        file,
        {
          proxy: join(dir, 'proxy.mp4'),
          thumbnail: join(dir, 'thumbnail.jpg'),
          filmstripDir: join(dir, 'strip'),
        },
        { source, signal: controller.signal },
      ),
    ).rejects.toThrow();
    const files = (await readdir(dir, { recursive: true })).filter((name) => /\.(jpg|mp4|vtt)$/.test(name));
    expect(files).toEqual([]);
  });
});
