import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FfmpegTranscoder } from '../../src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import {
  defaultMediaSettings,
  PROXY_KEYFRAME_SECONDS,
  type TechnicalMetadata,
  type WaveformPeaks,
} from '../../src/ports/media.js';
import { type MediaFixture, mediaFixture } from '../support/media-fixtures.js';
import {
  brighteningClip,
  ffprobeJson,
  keyframeTimes,
  meanLuma,
  topLevelBoxes,
} from '../support/raw-media-tools.js';

// Real: ffmpeg, ffprobe, mediainfo on generated media; outputs in a temp directory.
const probe = new ToolsMediaProbe();
const transcoder = new FfmpegTranscoder();
let out: string;

beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), 'dailies-derivatives-'));
});
afterAll(async () => {
  await rm(out, { recursive: true, force: true });
});

const probed = new Map<MediaFixture, Promise<{ file: string; source: TechnicalMetadata }>>();

/** The fixture and its record; the record is read-only here, so one probe per fixture will do. */
function source(name: MediaFixture): Promise<{ file: string; source: TechnicalMetadata }> {
  if (!probed.has(name)) {
    probed.set(
      name,
      mediaFixture(name).then(async (file) => ({ file, source: await probe.probe(file) })),
    );
  }
  return probed.get(name)!;
}

const fraction = (ratio: string) => {
  const [n, d] = ratio.split('/').map(Number);
  return n / d;
};

describe('proxy', () => {
  it.each([
    ['proresMov', 240, '01:00:00:00'],
    ['dnxhdMxf', 720, '10:00:00:00'],
    ['interlacedMp4', 240, null],
    ['hevc10Mp4', 240, null],
  ] as const)(
    '%s → H.264 MP4 at the source frame rate, ≤720p, never upscaled, faststart',
    async (name, height, timecode) => {
      const { file, source: src } = await source(name);
      const output = join(out, `${name}.proxy.mp4`);
      const progress: number[] = [];
      const result = await transcoder.proxy(file, output, { source: src }, (p) => progress.push(p));
      expect(result).toMatchObject({ file: output, contentType: 'video/mp4' });

      const proxy = await ffprobeJson(output);
      const video = proxy.streams.find((s) => s.codec_type === 'video');
      const srcVideo = src.video[0];
      expect(video.codec_name).toBe('h264');
      expect(video.pix_fmt).toBe('yuv420p');
      expect(video.avg_frame_rate).toBe(srcVideo.frameRate);
      expect(video.r_frame_rate).toBe(srcVideo.frameRate);
      expect(Number(video.nb_frames)).toBe(srcVideo.frameCount);
      const frame = 1 / fraction(srcVideo.frameRate!);
      expect(Math.abs(Number(video.duration) - srcVideo.durationSeconds!)).toBeLessThanOrEqual(frame + 1e-6);
      expect(video.height).toBe(height);
      expect(video.height).toBeLessThanOrEqual(defaultMediaSettings.proxyHeight);
      expect(video.width / video.height).toBeCloseTo(srcVideo.displayAspect!, 2);
      expect(video.field_order ?? 'progressive').toBe('progressive');

      const audio = proxy.streams.filter((s) => s.codec_type === 'audio');
      // Every source track, mono kept mono, anything wider as stereo.
      expect(audio).toHaveLength(src.audio.length);
      for (const [i, track] of src.audio.entries())
        expect(audio[i]).toMatchObject({ codec_name: 'aac', channels: track.channels === 1 ? 1 : 2 });
      const boxes = await topLevelBoxes(output);
      expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0);
      expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
      const timecodes = [proxy.format.tags?.timecode, ...proxy.streams.map((s) => s.tags?.timecode)].filter(
        Boolean,
      );
      if (timecode) expect(timecodes).toContain(timecode);
      else expect(timecodes).toEqual([]);

      expect(progress.at(-1)).toBe(1);
      expect(progress).toEqual([...progress].sort((a, b) => a - b));
    },
  );

  it('audio → AAC stereo in MP4, 5.1 folded down', async () => {
    const { file, source: src } = await source('wav51');
    const output = join(out, 'wav51.m4a');
    expect(await transcoder.proxy(file, output, { source: src })).toMatchObject({ contentType: 'audio/mp4' });
    const proxy = await ffprobeJson(output);
    expect(proxy.streams).toHaveLength(1);
    expect(proxy.streams[0]).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
    expect(Number(proxy.format.duration)).toBeCloseTo(src.general.durationSeconds!, 1);
    const boxes = await topLevelBoxes(output);
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'));
  });

  it('16-bit TIFF → web JPEG of the same size (small images are not enlarged)', async () => {
    const { file, source: src } = await source('tiff16');
    const output = join(out, 'tiff16.jpg');
    expect(await transcoder.proxy(file, output, { source: src })).toMatchObject({
      contentType: 'image/jpeg',
    });
    const proxy = await ffprobeJson(output);
    expect(proxy.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
  });

  it('a large image is fitted inside imageProxyMaxSize', async () => {
    const { file, source: src } = await source('png');
    const small = new FfmpegTranscoder({ ...defaultMediaSettings, imageProxyMaxSize: 100 });
    const output = join(out, 'png-small.jpg');
    await small.proxy(file, output, { source: src });
    const proxy = await ffprobeJson(output);
    expect(proxy.streams[0]).toMatchObject({ width: 100, height: 75 });
  });
});

describe('thumbnail', () => {
  it('skips the black opening and is a JPEG no wider than the source', async () => {
    const { file, source: src } = await source('h264Mp4');
    const output = join(out, 'h264.thumb.jpg');
    expect(await transcoder.thumbnail(file, output, { source: src })).toMatchObject({
      contentType: 'image/jpeg',
    });
    const thumb = await ffprobeJson(output);
    expect(thumb.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 320, height: 240 });
    expect(await meanLuma(output)).toBeGreaterThan(40);
  });

  it('an all-black clip still gets one', async () => {
    const { file, source: src } = await source('blackMp4');
    const output = join(out, 'black.thumb.jpg');
    await transcoder.thumbnail(file, output, { source: src });
    expect((await ffprobeJson(output)).streams[0]).toMatchObject({ width: 160, height: 120 });
  });

  it('is thumbnailWidth wide for a large source, with its display aspect', async () => {
    const { file, source: src } = await source('dnxhdMxf');
    const output = join(out, 'dnxhd.thumb.jpg');
    await transcoder.thumbnail(file, output, { source: src });
    const thumb = await ffprobeJson(output);
    expect(thumb.streams[0]).toMatchObject({ width: 640, height: 360 });
  });

  it.each([['tiff16'], ['mp3']] as const)(
    '%s gets a picture too (the image, or the sound drawn)',
    async (name) => {
      const { file, source: src } = await source(name);
      const output = join(out, `${name}.thumb.jpg`);
      await transcoder.thumbnail(file, output, { source: src });
      const thumb = await ffprobeJson(output);
      expect(thumb.streams[0].codec_name).toBe('mjpeg');
      expect(thumb.streams[0].width).toBeLessThanOrEqual(defaultMediaSettings.thumbnailWidth);
    },
  );
});

describe('filmstrip', () => {
  it('a sprite sheet and a WebVTT whose cues cover the duration and point inside the sprite', async () => {
    const { file, source: src } = await source('proresMov');
    const dir = join(out, 'filmstrip');
    const strip = await transcoder.filmstrip(file, dir, { source: src });
    expect((await readdir(dir)).sort()).toEqual(['filmstrip.vtt', 'sprite.jpg']);
    const sprite = (await ffprobeJson(strip.sprite.file)).streams[0];
    const vtt = await readFile(strip.vtt.file, 'utf8');

    const lines = vtt.split('\n');
    expect(lines[0]).toBe('WEBVTT');
    const cues = [...vtt.matchAll(/^(\S+) --> (\S+)\n(\S+)#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)].map((m) => ({
      start: seconds(m[1]),
      end: seconds(m[2]),
      image: m[3],
      box: m.slice(4, 8).map(Number),
    }));
    expect(cues).toHaveLength(strip.tiles);
    expect(strip.tiles).toBeGreaterThanOrEqual(10);
    expect(cues[0].start).toBe(0);
    expect(cues.at(-1)!.end).toBeCloseTo(src.general.durationSeconds!, 3);
    cues.forEach((cue, i) => {
      expect(cue.image).toBe('sprite.jpg');
      expect(cue.end).toBeGreaterThan(cue.start);
      if (i > 0) expect(cue.start).toBeCloseTo(cues[i - 1].end, 3);
      const [x, y, w, h] = cue.box;
      expect(x + w).toBeLessThanOrEqual(sprite.width);
      expect(y + h).toBeLessThanOrEqual(sprite.height);
    });
    expect(cues[0].box[2]).toBe(defaultMediaSettings.filmstripTileWidth);
  });

  it("from a proxy, decodes only its keyframes (one a second) and still shows each tile's moment", async () => {
    // A source with one keyframe in ten seconds; its proxy gets one every second.
    const original = join(out, 'brightening.mp4');
    await brighteningClip(original, 24);
    expect(await keyframeTimes(original)).toHaveLength(3);
    const src = await probe.probe(original);
    const proxy = join(out, 'brightening.proxy.mp4');
    await transcoder.proxy(original, proxy, { source: src });
    const keyframes = await keyframeTimes(proxy);
    expect(keyframes).toHaveLength(24);
    for (const [i, t] of keyframes.entries()) expect(t).toBeCloseTo(i * PROXY_KEYFRAME_SECONDS, 1);

    const strip = await transcoder.filmstrip(proxy, join(out, 'brightening-strip'), {
      source: src,
      keyframeSeconds: PROXY_KEYFRAME_SECONDS,
    });
    const vtt = await readFile(strip.vtt.file, 'utf8');
    const cues = [...vtt.matchAll(/^(\S+) --> \S+\n\S+#xywh=(\d+),(\d+),(\d+),(\d+)$/gm)].map((m) => ({
      start: seconds(m[1]),
      box: m.slice(2, 6).map(Number),
    }));
    expect(cues).toHaveLength(strip.tiles);
    for (const cue of cues) {
      // Video luma 16 + 8/s, full range in the JPEG (×255/219 from 0): each tile is the picture at its
      // cue's start; a tile one keyframe late or repeated would be 9 or more off.
      const expected = ((8 * cue.start) / 219) * 255;
      expect(Math.abs((await meanLuma(strip.sprite.file, cue.box)) - expected)).toBeLessThan(5);
    }
  });

  it('refuses audio', async () => {
    const { file, source: src } = await source('mp3');
    await expect(transcoder.filmstrip(file, join(out, 'no-strip'), { source: src })).rejects.toThrow(
      /Only video/,
    );
  });
});

describe('waveform', () => {
  it.each([['wav51'], ['proresMov'], ['mp3']] as const)('%s → peaks JSON', async (name) => {
    const { file, source: src } = await source(name);
    const output = join(out, `${name}.waveform.json`);
    expect(await transcoder.waveform(file, output, { source: src })).toMatchObject({
      contentType: 'application/json',
    });
    const waveform = JSON.parse(await readFile(output, 'utf8')) as WaveformPeaks;
    expect(waveform).toMatchObject({ version: 1, channels: 1, sampleRate: src.audio[0].sampleRate });
    expect(waveform.peaks.length % 2).toBe(0);
    const pairs = waveform.peaks.length / 2;
    expect(pairs).toBe(Math.ceil((waveform.durationSeconds * waveform.sampleRate) / waveform.samplesPerPeak));
    expect(waveform.durationSeconds).toBeCloseTo(src.general.durationSeconds!, 1);
    for (let i = 0; i < waveform.peaks.length; i += 2) {
      expect(waveform.peaks[i]).toBeLessThanOrEqual(waveform.peaks[i + 1]);
      expect(Math.abs(waveform.peaks[i])).toBeLessThanOrEqual(1);
    }
    // A sine tone: the loudest peak is well above silence.
    expect(Math.max(...waveform.peaks)).toBeGreaterThan(0.05);
  });

  it('refuses a file without audio', async () => {
    const { file, source: src } = await source('hevc10Mp4');
    await expect(transcoder.waveform(file, join(out, 'none.json'), { source: src })).rejects.toThrow(
      /no audio/,
    );
  });
});

function seconds(timestamp: string): number {
  const [h, m, s] = timestamp.split(':');
  return Number(h) * 3600 + Number(m) * 60 + Number(s);
}
