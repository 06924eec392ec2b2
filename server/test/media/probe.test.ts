import { basename, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ToolsMediaProbe } from '../../src/adapters/media/media-probe.js';
import type { AudioStream, TechnicalMetadata, VideoStream } from '../../src/ports/media.js';
import { type MediaFixture, mediaFixture } from '../support/media-fixtures.js';
import { ffprobeJson, mediainfoTracks } from '../support/raw-media-tools.js';

// Real: ffprobe, mediainfo, ffmpeg-made media. Each record is checked field by field against
// the tools' own output, read here independently, plus a few values known from the recipe.
const probe = new ToolsMediaProbe();

interface Probed {
  record: TechnicalMetadata;
  ff: { streams: any[]; format: any };
  mi: Record<string, any>[];
}

async function probed(name: MediaFixture): Promise<Probed> {
  const file = await mediaFixture(name);
  const [record, ff, mi] = await Promise.all([probe.probe(file), ffprobeJson(file), mediainfoTracks(file)]);
  // The record names the file, never where it sat on the server (nor in the sandbox).
  expect(JSON.stringify(record.raw)).not.toContain(dirname(file));
  expect(JSON.stringify(record.raw)).not.toContain('/media/input');
  return { record, ff: { ...ff, format: { ...ff.format, filename: basename(file) } }, mi };
}

const opt = (value: unknown) => (value === undefined ? null : value);
const number = (value: unknown) => (value === undefined ? null : Number(value));

function expectGeneralFromTools({ record, ff, mi }: Probed) {
  const general = mi.find((t) => t['@type'] === 'General')!;
  expect(record.general.format).toBe(general.Format);
  expect(record.general.formatProfile).toBe(opt(general.Format_Profile));
  expect(record.general.sizeBytes).toBe(Number(ff.format.size));
  expect(record.general.sizeBytes).toBe(Number(general.FileSize));
  if (record.kind !== 'image') {
    expect(record.general.durationSeconds).toBe(Number(ff.format.duration));
    expect(record.general.overallBitrate).toBe(Number(ff.format.bit_rate));
  }
  expect(record.raw.ffprobe).toEqual(ff);
  expect((record.raw.mediainfo as any).media.track).toEqual(mi);
}

function expectVideoFromTools(stream: VideoStream, ff: any, mi: Record<string, any>) {
  expect(stream.index).toBe(ff.index);
  expect(stream.codec).toBe(ff.codec_name);
  expect(stream.format).toBe(mi.Format_Commercial_IfAny ?? mi.Format);
  expect(stream.profile).toBe(mi.Format_Profile);
  expect(stream.width).toBe(ff.width);
  expect(stream.width).toBe(Number(mi.Width));
  expect(stream.height).toBe(ff.height);
  expect(stream.height).toBe(Number(mi.Height));
  expect(stream.displayAspectRatio).toBe(ff.display_aspect_ratio);
  expect(stream.displayAspect).toBe(Number(mi.DisplayAspectRatio));
  expect(stream.frameRate).toBe(`${mi.FrameRate_Num}/${mi.FrameRate_Den}`);
  expect(stream.frameRate).toBe(ff.avg_frame_rate);
  expect(stream.frameRateValue).toBeCloseTo(Number(mi.FrameRate), 3);
  expect(stream.frameCount).toBe(Number(mi.FrameCount));
  expect(stream.scanType).toBe(mi.ScanType);
  expect(stream.bitDepth).toBe(Number(mi.BitDepth ?? ff.bits_per_raw_sample));
  expect(stream.chromaSubsampling).toBe(mi.ChromaSubsampling);
  // ffprobe's names where it reads the colour; otherwise mediainfo's, renamed to match.
  const colour = (ffValue: unknown, miValue: unknown) =>
    ffValue !== undefined ? ffValue : miValue === undefined ? null : expect.any(String);
  expect(stream.colourPrimaries).toEqual(colour(ff.color_primaries, mi.colour_primaries));
  expect(stream.colourTransfer).toEqual(colour(ff.color_transfer, mi.transfer_characteristics));
  expect(stream.colourMatrix).toEqual(colour(ff.color_space, mi.matrix_coefficients));
  expect(stream.pixelFormat).toBe(ff.pix_fmt);
}

function expectAudioFromTools(stream: AudioStream, ff: any, mi: Record<string, any>) {
  expect(stream.index).toBe(ff.index);
  expect(stream.codec).toBe(ff.codec_name);
  expect(stream.format).toBe(mi.Format);
  expect(stream.channels).toBe(ff.channels);
  expect(stream.channels).toBe(Number(mi.Channels));
  expect(stream.channelLayout).toBe(ff.channel_layout ?? opt(mi.ChannelLayout));
  expect(stream.sampleRate).toBe(Number(ff.sample_rate));
  expect(stream.sampleRate).toBe(Number(mi.SamplingRate));
  expect(stream.bitDepth).toBe(number(mi.BitDepth));
}

function expectStreamsFromTools({ record, ff, mi }: Probed) {
  const ffVideo = ff.streams.filter((s) => s.codec_type === 'video');
  const ffAudio = ff.streams.filter((s) => s.codec_type === 'audio');
  const miVideo = mi.filter((t) => t['@type'] === 'Video');
  const miAudio = mi.filter((t) => t['@type'] === 'Audio');
  expect(record.video).toHaveLength(ffVideo.length);
  expect(record.audio).toHaveLength(ffAudio.length);
  record.video.forEach((stream, i) => {
    expectVideoFromTools(stream, ffVideo[i], miVideo[i]);
  });
  record.audio.forEach((stream, i) => {
    expectAudioFromTools(stream, ffAudio[i], miAudio[i]);
  });
}

describe('MediaProbe over ffprobe and mediainfo', () => {
  it('ProRes 422 HQ MOV: exact 24000/1001, timecode, 24-bit PCM, colour', async () => {
    const probedFile = await probed('proresMov');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    const { record } = probedFile;
    expect(record.kind).toBe('video');
    expect(record.general).toMatchObject({
      format: 'MPEG-4',
      formatProfile: 'QuickTime',
      startTimecode: '01:00:00:00',
    });
    expect(record.video[0]).toMatchObject({
      codec: 'prores',
      profile: '422 HQ',
      frameRate: '24000/1001',
      frameCount: 48,
      bitDepth: 10,
      chromaSubsampling: '4:2:2',
      scanType: 'Progressive',
      fieldOrder: null,
      colourPrimaries: 'bt709',
      colourTransfer: 'bt709',
      colourMatrix: 'bt709',
    });
    expect(record.audio[0]).toMatchObject({
      codec: 'pcm_s24le',
      channels: 2,
      sampleRate: 48000,
      bitDepth: 24,
    });
    expect(record.image).toBeNull();
  });

  it('DNxHD in MXF at 25p with timecode 10:00:00:00', async () => {
    const probedFile = await probed('dnxhdMxf');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    const { record, mi } = probedFile;
    expect(record.kind).toBe('video');
    expect(record.general.format).toBe('MXF');
    expect(record.general.startTimecode).toBe('10:00:00:00');
    expect(record.general.startTimecode).toBe(mi.find((t) => t.TimeCode_FirstFrame)?.TimeCode_FirstFrame);
    expect(record.video[0]).toMatchObject({
      codec: 'dnxhd',
      width: 1920,
      height: 1080,
      frameRate: '25/1',
      frameCount: 25,
    });
    expect(record.audio[0]).toMatchObject({ codec: 'pcm_s16le', sampleRate: 48000, bitDepth: 16 });
  });

  it('H.264 MP4', async () => {
    const probedFile = await probed('h264Mp4');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    expect(probedFile.record.video[0]).toMatchObject({
      codec: 'h264',
      format: 'AVC',
      frameRate: '25/1',
      bitDepth: 8,
    });
    expect(probedFile.record.audio[0]).toMatchObject({ codec: 'aac', channels: 2, bitDepth: null });
    expect(probedFile.record.general.durationSeconds).toBeCloseTo(3, 1);
  });

  it('interlaced H.264: scan type and field order', async () => {
    const probedFile = await probed('interlacedMp4');
    expectStreamsFromTools(probedFile);
    const { record, mi } = probedFile;
    expect(record.video[0].frameRate).toBe('30000/1001');
    expect(record.video[0].scanType).not.toBe('Progressive');
    expect(record.video[0].fieldOrder).toBe('TFF');
    expect(record.video[0].fieldOrder).toBe(mi.find((t) => t['@type'] === 'Video')!.ScanOrder);
  });

  it('HEVC Main 10 with BT.2020 / PQ colour', async () => {
    const probedFile = await probed('hevc10Mp4');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    expect(probedFile.record.video[0]).toMatchObject({
      codec: 'hevc',
      profile: 'Main 10',
      bitDepth: 10,
      chromaSubsampling: '4:2:0',
      colourPrimaries: 'bt2020',
      colourTransfer: 'smpte2084',
      colourMatrix: 'bt2020nc',
    });
    expect(probedFile.record.audio).toEqual([]);
  });

  it('5.1 WAV is audio: 6 channels, 48 kHz, 24 bit', async () => {
    const probedFile = await probed('wav51');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    expect(probedFile.record.kind).toBe('audio');
    expect(probedFile.record.video).toEqual([]);
    expect(probedFile.record.audio[0]).toMatchObject({
      channels: 6,
      channelLayout: '5.1',
      sampleRate: 48000,
      bitDepth: 24,
    });
    expect(probedFile.record.audio[0].channelPositions).toBe(
      probedFile.mi.find((t) => t['@type'] === 'Audio')!.ChannelLayout,
    );
  });

  it('MP3 is audio without a bit depth', async () => {
    const probedFile = await probed('mp3');
    expectGeneralFromTools(probedFile);
    expectStreamsFromTools(probedFile);
    expect(probedFile.record.kind).toBe('audio');
    expect(probedFile.record.audio[0]).toMatchObject({
      codec: 'mp3',
      channels: 2,
      sampleRate: 44100,
      bitDepth: null,
    });
  });

  it.each([
    ['png', 'PNG', 8],
    ['tiff16', 'TIFF', 16],
  ] as const)(
    '%s is an image with format, size, bit depth and colour space',
    async (name, format, bitDepth) => {
      const probedFile = await probed(name);
      expectGeneralFromTools(probedFile);
      const { record, ff, mi } = probedFile;
      const image = mi.find((t) => t['@type'] === 'Image')!;
      expect(record.kind).toBe('image');
      expect(record.video).toEqual([]);
      expect(record.image).toEqual({
        format,
        width: ff.streams[0].width,
        height: ff.streams[0].height,
        bitDepth: Number(image.BitDepth),
        colourSpace: image.ColorSpace,
      });
      expect(record.image).toMatchObject({ width: 320, height: 240, bitDepth, colourSpace: 'RGB' });
      expect(record.general.durationSeconds).toBeNull();
    },
  );
});
