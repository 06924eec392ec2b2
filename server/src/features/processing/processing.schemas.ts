import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const NString = Nullable(Type.String());
const NNumber = Nullable(Type.Number());

const General = Type.Object({
  format: Nullable(Type.String({ description: 'Container, as mediainfo names it (MPEG-4, MXF, Wave)' })),
  formatProfile: NString,
  durationSeconds: NNumber,
  sizeBytes: Type.Number(),
  overallBitrate: Nullable(Type.Number({ description: 'Bits per second' })),
  startTimecode: Nullable(Type.String({ description: 'HH:MM:SS:FF (";" before frames when drop-frame)' })),
});

const VideoStream = Type.Object({
  index: Type.Integer(),
  codec: Type.String({ description: "ffprobe's codec name: prores, dnxhd, h264, hevc" }),
  format: NString,
  profile: NString,
  width: Type.Integer({ description: 'Coded width, as stored' }),
  height: Type.Integer({ description: 'Coded height, as stored' }),
  rotation: Type.Optional(
    Type.Integer({ description: 'Clockwise degrees a player turns the picture: 0, 90, 180 or 270' }),
  ),
  sampleAspectRatio: Type.Optional(Nullable(Type.String({ description: 'Exact, e.g. 1:1, 4:3' }))),
  displayWidth: Type.Optional(Type.Integer({ description: 'Width as shown: square pixels, turned' })),
  displayHeight: Type.Optional(Type.Integer({ description: 'Height as shown: square pixels, turned' })),
  displayAspectRatio: Nullable(Type.String({ description: 'Exact and turned, e.g. 16:9, 9:16' })),
  displayAspect: NNumber,
  frameRate: Nullable(Type.String({ description: 'Exact ratio, e.g. 24000/1001' })),
  frameRateValue: NNumber,
  frameRateMode: NString,
  frameCount: NNumber,
  durationSeconds: NNumber,
  bitrate: NNumber,
  scanType: NString,
  fieldOrder: Nullable(Type.Union([Type.Literal('TFF'), Type.Literal('BFF')])),
  bitDepth: NNumber,
  chromaSubsampling: NString,
  colourPrimaries: NString,
  colourTransfer: NString,
  colourMatrix: NString,
  colourRange: NString,
  pixelFormat: NString,
});

const AudioStream = Type.Object({
  index: Type.Integer(),
  codec: Type.String({ description: "ffprobe's codec name: pcm_s24le, aac, mp3" }),
  format: NString,
  channels: NNumber,
  channelLayout: NString,
  channelPositions: NString,
  sampleRate: NNumber,
  bitDepth: NNumber,
  durationSeconds: NNumber,
  bitrate: NNumber,
});

const Image = Type.Object({
  format: NString,
  width: Type.Integer(),
  height: Type.Integer(),
  bitDepth: NNumber,
  colourSpace: NString,
  rotation: Type.Optional(Type.Integer({ description: 'Clockwise degrees shown turned (EXIF orientation)' })),
  displayWidth: Type.Optional(Type.Integer({ description: 'Width as shown, when turned' })),
  displayHeight: Type.Optional(Type.Integer({ description: 'Height as shown, when turned' })),
});

export const MetadataResponse = Type.Object({
  assetId: Type.String(),
  probedAt: Type.String(),
  record: Type.Object({
    kind: Type.Union([
      Type.Literal('video'),
      Type.Literal('audio'),
      Type.Literal('image'),
      Type.Literal('other'),
    ]),
    general: General,
    video: Type.Array(VideoStream),
    audio: Type.Array(AudioStream),
    image: Nullable(Image),
    probeFailure: Type.Optional(
      Type.String({ description: 'Only when the probe failed for good: why (the rest is then empty)' }),
    ),
  }),
  raw: Type.Optional(
    Type.Object(
      { ffprobe: Type.Unknown(), mediainfo: Type.Unknown() },
      { description: "The tools' own JSON output, when asked for with ?raw=true" },
    ),
  ),
});

export const AudioTrackParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  track: Type.Integer({ minimum: 1, maximum: 32, description: 'The track, counted from 1' }),
});

export const MetadataQuery = Type.Object({
  raw: Type.Optional(Type.Boolean({ default: false })),
});
