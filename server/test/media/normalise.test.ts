import { describe, expect, it } from 'vitest';
import type { FfprobeOutput } from '../../src/adapters/media/ffprobe.js';
import type { MediainfoTrack } from '../../src/adapters/media/mediainfo.js';
import { normalise, pixelFormatBitDepth } from '../../src/adapters/media/normalise.js';
import { PeakAccumulator } from '../../src/adapters/media/peaks.js';
import { readableTail } from '../../src/adapters/media/run-tool.js';
import { filmstripVtt, timestamp } from '../../src/adapters/media/webvtt.js';
import { MediaError } from '../../src/ports/media.js';

// Pure: the merge rules on hand-written tool output, for cases the generated media do not reach.
const general = { '@type': 'General' };

/** `normalise` of what ffprobe read and mediainfo's tracks (a bare General track unless given). */
function probed(output: FfprobeOutput, tracks: MediainfoTrack[] = [general]) {
  return normalise({ ok: true, output }, { media: { track: tracks } }, 10);
}

describe('normalise', () => {
  it('keeps the drop-frame timecode as ffprobe prints it', () => {
    const record = probed({
      format: { format_name: 'mov,mp4', duration: '1.001' },
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'h264',
          width: 1920,
          height: 1080,
          r_frame_rate: '30000/1001',
          avg_frame_rate: '30000/1001',
        },
        { index: 1, codec_type: 'data', tags: { timecode: '00:59:59;28' } },
      ],
    });
    expect(record.general.startTimecode).toBe('00:59:59;28');
    expect(record.video[0].frameRate).toBe('30000/1001');
  });

  it('takes the frame rate from avg_frame_rate when r_frame_rate is the field rate', () => {
    const record = probed({
      format: { format_name: 'mpegts' },
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'mpeg2video',
          width: 1920,
          height: 1080,
          r_frame_rate: '50/1',
          avg_frame_rate: '25/1',
          field_order: 'tb',
        },
      ],
    });
    expect(record.video[0]).toMatchObject({
      frameRate: '25/1',
      frameRateValue: 25,
      scanType: 'Interlaced',
      fieldOrder: 'BFF',
    });
  });

  it('keeps the nominal r_frame_rate for variable-rate video, not its noisy average', () => {
    const record = probed({
      format: { format_name: 'mov,mp4' },
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'hevc',
          width: 1920,
          height: 1080,
          r_frame_rate: '30/1',
          avg_frame_rate: '1532000/51107',
        },
      ],
    });
    expect(record.video[0].frameRate).toBe('30/1');
  });

  it('computes the display aspect from the sample aspect when ffprobe gives none', () => {
    const record = probed({
      format: { format_name: 'mov,mp4' },
      streams: [
        {
          index: 0,
          codec_type: 'video',
          codec_name: 'dvvideo',
          width: 720,
          height: 576,
          sample_aspect_ratio: '64:45',
        },
      ],
    });
    expect(record.video[0].displayAspectRatio).toBe('16:9');
    expect(record.video[0].displayAspect).toBeCloseTo(16 / 9);
  });

  it('an audio file with cover art is audio', () => {
    const record = probed(
      {
        format: { format_name: 'mp3' },
        streams: [
          { index: 0, codec_type: 'audio', codec_name: 'mp3', sample_rate: '44100', channels: 2 },
          {
            index: 1,
            codec_type: 'video',
            codec_name: 'mjpeg',
            width: 500,
            height: 500,
            disposition: { attached_pic: 1 },
          },
        ],
      },
      [general, { '@type': 'Audio' }, { '@type': 'Image', Format: 'JPEG' }],
    );
    expect(record.kind).toBe('audio');
    expect(record.video).toEqual([]);
  });

  it("ignores ffprobe's weak guesses about data mediainfo cannot read", () => {
    const record = probed({
      format: { format_name: 'mp3', probe_score: 1 },
      streams: [{ index: 0, codec_type: 'audio', codec_name: 'mp3' }],
    });
    expect(record.kind).toBe('other');
  });

  it('a PDF is `other`, not a failure', () => {
    const record = normalise(
      { ok: false, reason: 'Invalid data found when processing input' },
      {
        media: {
          track: [
            { '@type': 'General', Format: 'PDF' },
            { '@type': 'Text', Format: 'PDF' },
          ],
        },
      },
      10,
    );
    expect(record.kind).toBe('other');
    expect(record.general.format).toBe('PDF');
  });

  it('a media container ffprobe cannot read is a failure with its reason', () => {
    const attempt = () =>
      normalise(
        { ok: false, reason: 'Invalid data found' },
        { media: { track: [{ '@type': 'General', Format: 'MXF' }] } },
        10,
      );
    expect(attempt).toThrow(MediaError);
    expect(attempt).toThrow('The file looks like MXF but cannot be read: Invalid data found');
  });

  it('renames mediainfo colour names to FFmpeg names when ffprobe has none', () => {
    const record = probed(
      {
        format: { format_name: 'mov,mp4' },
        streams: [{ index: 0, codec_type: 'video', codec_name: 'prores', width: 4, height: 4 }],
      },
      [
        general,
        {
          '@type': 'Video',
          StreamOrder: '0',
          colour_primaries: 'BT.2020',
          transfer_characteristics: 'HLG',
          matrix_coefficients: 'BT.2020 non-constant',
        },
      ],
    );
    expect(record.video[0]).toMatchObject({
      colourPrimaries: 'bt2020',
      colourTransfer: 'arib-std-b67',
      colourMatrix: 'bt2020nc',
    });
  });

  it.each([
    ['yuv420p', 8],
    ['yuv422p10le', 10],
    ['yuv444p12be', 12],
    ['rgb24', 8],
    ['rgb48le', 16],
    ['rgba64be', 16],
    ['gray16le', 16],
    ['gbrp10le', 10],
  ])('bit depth of %s is %i', (pixFmt, depth) => {
    expect(pixelFormatBitDepth(pixFmt)).toBe(depth);
  });
});

describe('waveform peaks', () => {
  it('folds samples split across chunks into min/max pairs', () => {
    const samples = Float32Array.from([0.5, -0.25, 0.1, 0.9, -1, 0.2, 0.3]);
    const bytes = Buffer.from(samples.buffer);
    const accumulator = new PeakAccumulator(3);
    // Split inside a sample on purpose.
    accumulator.push(bytes.subarray(0, 5));
    accumulator.push(bytes.subarray(5, 17));
    accumulator.push(bytes.subarray(17));
    expect(accumulator.finish()).toEqual([-0.25, 0.5, -1, 0.9, 0.3, 0.3]);
    expect(accumulator.samples).toBe(7);
  });
});

describe('filmstrip WebVTT', () => {
  it('maps each interval to its tile, the last cue ending at the duration', () => {
    const vtt = filmstripVtt('sprite.jpg', {
      tiles: 3,
      columns: 2,
      tileWidth: 160,
      tileHeight: 90,
      intervalSeconds: 2,
      durationSeconds: 5.5,
    });
    expect(vtt).toBe(
      [
        'WEBVTT',
        '',
        '00:00:00.000 --> 00:00:02.000',
        'sprite.jpg#xywh=0,0,160,90',
        '',
        '00:00:02.000 --> 00:00:04.000',
        'sprite.jpg#xywh=160,0,160,90',
        '',
        '00:00:04.000 --> 00:00:05.500',
        'sprite.jpg#xywh=0,90,160,90',
        '',
      ].join('\n'),
    );
    expect(timestamp(3723.0456)).toBe('01:02:03.046');
  });
});

describe('readable reasons', () => {
  it('keeps the last distinct lines without ffmpeg context prefixes', () => {
    const stderr =
      '[mov,mp4,m4a,3gp,3g2,mj2 @ 0x55d0c0a1b2c0] moov atom not found\nclip.mov: Invalid data found when processing input\n\n';
    expect(readableTail(stderr)).toBe(
      'moov atom not found; clip.mov: Invalid data found when processing input',
    );
  });
});
