/**
 * The media port: what Dailies learns about a file (probe) and the derivatives it makes
 * from it (thumbnail, proxy, filmstrip, waveform). Adapters live in `adapters/media/`.
 */

/** Decided from the file's content, never from its extension. */
export type MediaKind = 'video' | 'audio' | 'image' | 'other';

export interface GeneralMetadata {
  /** Container as mediainfo names it (`MPEG-4`, `MXF`, `Wave`), else ffprobe's long name. */
  format: string | null;
  /** `QuickTime`, `OP-1a`, … (mediainfo). */
  formatProfile: string | null;
  durationSeconds: number | null;
  sizeBytes: number;
  /** Bits per second over the whole file. */
  overallBitrate: number | null;
  /** `HH:MM:SS:FF`, `;` before the frames when drop-frame. */
  startTimecode: string | null;
  /**
   * The reel or tape name the file records (QuickTime timecode track, MXF tape source package),
   * as the camera or an earlier tool wrote it. Absent in records probed before it was read.
   */
  reelName?: string | null;
}

/** How a picture is shown, from how it is stored (pixel shape and the player's turn). */
export interface DisplayGeometry {
  /** Clockwise degrees a player turns the picture (0, 90, 180, 270): the container's display matrix. */
  rotation: number;
  /** Exact, e.g. `1:1`, `4:3` for anamorphic HDV; null when no tool knows it. */
  sampleAspectRatio: string | null;
  /** The picture as shown: square pixels, turned (a portrait phone clip: 1080×1920). */
  displayWidth: number;
  displayHeight: number;
  /** Exact and turned with the picture, e.g. `16:9`, `9:16`; null when no tool knows it. */
  displayAspectRatio: string | null;
  /** Display width over height, e.g. 1.778 (0.5625 when turned a quarter). */
  displayAspect: number | null;
}

export interface VideoStream extends DisplayGeometry {
  /** Index among all streams, as ffprobe counts them. */
  index: number;
  /** ffprobe's codec name: `prores`, `dnxhd`, `h264`, `hevc`. */
  codec: string;
  /** mediainfo's commercial or format name: `ProRes`, `DNxHD 90`, `AVC`, `HEVC`. */
  format: string | null;
  /** `422 HQ`, `Main 10`, `High` (mediainfo, else ffprobe). */
  profile: string | null;
  /** The coded picture, as stored (a portrait phone clip: 1920×1080). */
  width: number;
  height: number;
  /** Exact ratio, e.g. `24000/1001`, `25/1`. */
  frameRate: string | null;
  /** Numeric form of `frameRate` (23.976…), for sorting and display only. */
  frameRateValue: number | null;
  /** `CFR` or `VFR` (mediainfo). */
  frameRateMode: string | null;
  frameCount: number | null;
  durationSeconds: number | null;
  bitrate: number | null;
  /** `Progressive`, `Interlaced`, `MBAFF` (mediainfo's words). */
  scanType: string | null;
  /** `TFF` or `BFF` for interlaced video, null for progressive. */
  fieldOrder: 'TFF' | 'BFF' | null;
  bitDepth: number | null;
  /** `4:2:0`, `4:2:2`, `4:4:4`. */
  chromaSubsampling: string | null;
  /** ffprobe's names (`bt709`, `bt2020`, `smpte2084`, `bt2020nc`), else mediainfo's. */
  colourPrimaries: string | null;
  colourTransfer: string | null;
  colourMatrix: string | null;
  /** `tv` (limited) or `pc` (full). */
  colourRange: string | null;
  pixelFormat: string | null;
}

export interface AudioStream {
  index: number;
  /** ffprobe's codec name: `pcm_s24le`, `aac`, `mp3`. */
  codec: string;
  /** mediainfo's format name: `PCM`, `AAC`, `MPEG Audio`. */
  format: string | null;
  channels: number | null;
  /** `mono`, `stereo`, `5.1` (ffprobe), else mediainfo's positions. */
  channelLayout: string | null;
  /** Speaker order, e.g. `L R C LFE Ls Rs` (mediainfo). */
  channelPositions: string | null;
  sampleRate: number | null;
  /** Null for lossy codecs, which have none. */
  bitDepth: number | null;
  durationSeconds: number | null;
  bitrate: number | null;
}

export interface ImageMetadata {
  /** `PNG`, `TIFF`, `JPEG` (mediainfo), else ffprobe's codec. */
  format: string | null;
  width: number;
  height: number;
  /** Bits per channel. */
  bitDepth: number | null;
  /** `RGB`, `RGBA`, `YUV`, `Y` (mediainfo). */
  colourSpace: string | null;
  /**
   * Clockwise degrees the picture is shown turned (a JPEG's EXIF orientation); `width` and
   * `height` stay as stored. Absent: not turned.
   */
  rotation?: number;
  /** The size as shown, when turned. */
  displayWidth?: number;
  displayHeight?: number;
}

export interface TechnicalMetadata {
  kind: MediaKind;
  general: GeneralMetadata;
  video: VideoStream[];
  audio: AudioStream[];
  image: ImageMetadata | null;
  /** The tools' own output, parsed from their JSON and otherwise untouched. */
  raw: { ffprobe: unknown; mediainfo: unknown };
  /**
   * Set only on the record kept for a probe that failed for good: why. Everything else is then
   * empty; the tools' output (what they said) is in `raw`.
   */
  probeFailure?: string;
}

export interface MediaProbe {
  /** Rejects with a MediaError when a file that claims to be media cannot be read. */
  probe(localFile: string, signal?: AbortSignal): Promise<TechnicalMetadata>;
}

/** Progress of one derivative, 0..1. */
export type ProgressListener = (fraction: number) => void;

export interface DerivativeOptions {
  /** The record `probe` returned for the same file: kind, duration, frame rate, timecode. */
  source: TechnicalMetadata;
  signal?: AbortSignal;
  /**
   * Seconds between the input's keyframes when known (the proxy's: PROXY_KEYFRAME_SECONDS);
   * a filmstrip whose tiles are at least that far apart then decodes keyframes only.
   */
  keyframeSeconds?: number;
  /** The folder's look, applied to proxies, thumbnails and the filmstrip cut with the proxy. */
  look?: LookOptions;
}

/**
 * A dailies look as the transcoder applies it. The LUT is a file Dailies wrote (validated,
 * normalised) into the output's directory, never a lake path; the clip name is drawn from a
 * text file the transcoder writes, so no name can reach the filter graph's syntax.
 */
export interface LookOptions {
  lut: { file: string; dimensions: 1 | 3 } | null;
  burnIn: { clipName: string | null; timecode: boolean; frameCounter: boolean };
}

/** The video proxy, thumbnail and filmstrip from one decode (`Transcoder.videoSet`). */
export interface VideoSet {
  proxy: DerivativeFile;
  thumbnail: DerivativeFile;
  filmstrip: Filmstrip | null;
}

/** A proxy has a keyframe every second: the player seeks and steps without decoding far, and
 * the filmstrip made from it needs only its keyframes. */
export const PROXY_KEYFRAME_SECONDS = 1;

/** A finished file under its final name. */
export interface DerivativeFile {
  file: string;
  contentType: string;
  sizeBytes: number;
}

export interface Filmstrip {
  sprite: DerivativeFile;
  /** WebVTT whose cues point at `sprite.jpg#xywh=x,y,w,h`. */
  vtt: DerivativeFile;
  tiles: number;
  intervalSeconds: number;
}

/** Min/max pairs per `samplesPerPeak` samples, each in -1..1, each track's channels mixed to one. */
export interface WaveformPeaks {
  version: 1;
  sampleRate: number;
  samplesPerPeak: number;
  channels: 1;
  durationSeconds: number;
  /** `[min0, max0, min1, max1, …]` of all tracks together. */
  peaks: number[];
  /** The same pairs per audio track, in the source's order (absent in files made before). */
  tracks?: number[][];
}

/**
 * Makes derivatives. Every output appears under its final name only once complete, so a
 * killed or failed run never leaves a half-written derivative where a reader would find it.
 */
export interface Transcoder {
  /** JPEG about `thumbnailWidth` wide: a representative frame, an image scaled, or audio drawn as a wave. */
  thumbnail(input: string, outputFile: string, options: DerivativeOptions): Promise<DerivativeFile>;
  /** Video → H.264/AAC MP4, audio → AAC in MP4 (m4a), image → web-sized JPEG. */
  proxy(
    input: string,
    outputFile: string,
    options: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<DerivativeFile>;
  /**
   * Each audio track of a proxy `proxy` made, on its own (AAC in MP4, copied, not re-encoded):
   * `audio-1.m4a` … in `outputDir`. Browsers play only a file's first audio track, so a player
   * that lets people choose or solo a track plays these beside the picture.
   */
  audioTracks(proxyFile: string, outputDir: string, options: DerivativeOptions): Promise<DerivativeFile[]>;

  /**
   * Video only: the proxy, the thumbnail and (when `outputs.filmstripDir` is given) the
   * filmstrip from one ffmpeg run that decodes the original once and splits its frames. Each
   * file is complete under its final name or absent; progress is the proxy's.
   */
  videoSet(
    input: string,
    outputs: { proxy: string; thumbnail: string; filmstripDir: string | null },
    options: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<VideoSet>;
  /** `sprite.jpg` and `filmstrip.vtt` in `outputDir`. Video only. */
  filmstrip(input: string, outputDir: string, options: DerivativeOptions): Promise<Filmstrip>;
  /** Peaks JSON for anything with audio. */
  waveform(input: string, outputFile: string, options: DerivativeOptions): Promise<DerivativeFile>;
  /** An image sequence's frames → H.264 MP4 at the sequence's frame rate, gaps held. */
  sequenceProxy(
    frames: FrameList,
    outputFile: string,
    options: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<DerivativeFile>;
}

/**
 * An image sequence as a tool reads it: a directory Dailies made that holds only the frames,
 * under names Dailies chose (`f000001.dpx`: never a lake name, so nothing in it is a pattern).
 */
export interface FrameList {
  dir: string;
  /** In play order: a file (a name inside `dir`) and how many frames it lasts (more across a gap). */
  frames: Array<{ file: string; holds: number }>;
  /** Frames per second as an exact ratio. */
  frameRate: { num: number; den: number };
}

export interface MediaSettings {
  /** Proxies are at most this tall, never taller than the source. */
  proxyHeight: number;
  /** libx264 constant rate factor: lower is better and larger. */
  proxyCrf: number;
  /** libx264 preset: `ultrafast` … `veryslow`. */
  proxyPreset: string;
  /** AAC bitrate in kbit/s, for video and audio proxies. */
  proxyAudioBitrateKbps: number;
  /** Longest side of an image's web-sized JPEG. */
  imageProxyMaxSize: number;
  thumbnailWidth: number;
  /** Seconds between filmstrip tiles; grows for long media so the sprite stays within `filmstripMaxTiles`. */
  filmstripIntervalSeconds: number;
  filmstripTileWidth: number;
  filmstripColumns: number;
  filmstripMaxTiles: number;
  /** Waveform resolution; grows coarser for long media so the JSON stays within `waveformMaxPeaks`. */
  waveformPeaksPerSecond: number;
  waveformMaxPeaks: number;
  /** ffprobe and mediainfo are killed after this long. */
  probeTimeoutMs: number;
  /** ffmpeg is killed after this long, whatever it is doing. */
  toolTimeoutMs: number;
  /** ffmpeg is killed when it reports no progress for this long (a read that never returns). */
  stallTimeoutMs: number;
  /** Added to the tools' niceness so the API stays responsive while they run. */
  niceness: number;
  /** Address space each tool run may map, MiB (0: no limit). */
  toolMemoryMb: number;
  /** CPU seconds an ffmpeg run may use, all threads together (0: no limit). Probes get twice their time limit. */
  toolCpuSeconds: number;
  /** `auto`: each tool runs in a bubblewrap sandbox that sees only its file, where bwrap works; `off`: never. */
  toolSandbox: 'auto' | 'off';
}

export const defaultMediaSettings: Readonly<MediaSettings> = Object.freeze({
  proxyHeight: 720,
  proxyCrf: 23,
  proxyPreset: 'veryfast',
  proxyAudioBitrateKbps: 128,
  imageProxyMaxSize: 2048,
  thumbnailWidth: 640,
  filmstripIntervalSeconds: 2,
  filmstripTileWidth: 160,
  filmstripColumns: 10,
  filmstripMaxTiles: 300,
  waveformPeaksPerSecond: 50,
  waveformMaxPeaks: 50_000,
  probeTimeoutMs: 60_000,
  toolTimeoutMs: 6 * 60 * 60_000,
  stallTimeoutMs: 120_000,
  niceness: 10,
  // ffmpeg making a 720p proxy of 4K ProRes with 80 threads maps 3.6 GB (with malloc arenas
  // capped, see run-tool.ts) and holds 1.6 GB: 8 GiB leaves room and stops a decompression bomb.
  toolMemoryMb: 8192,
  // A day of CPU: 6 hours (the time limit) on four cores.
  toolCpuSeconds: 86_400,
  toolSandbox: 'auto',
});

/** File names inside a filmstrip's output directory. */
export const FILMSTRIP_SPRITE = 'sprite.jpg';
export const FILMSTRIP_VTT = 'filmstrip.vtt';

/**
 * A tool failed, timed out, was aborted, or the file is not readable media. `message` is the
 * reason to show a person; the rest helps whoever debugs it.
 */
export class MediaError extends Error {
  constructor(
    message: string,
    readonly details: {
      tool?: string;
      exitCode?: number | null;
      timedOut?: boolean;
      aborted?: boolean;
      stderrTail?: string;
      /**
       * The same file would fail the same way again (a tool ended on its own, or the file is
       * not what it claims): another attempt is pointless. Time limits, cancellations and a
       * missing tool are not.
       */
      deterministic?: boolean;
      /** What the tools printed, when they ran: kept with a failed probe for `/metadata`. */
      output?: { ffprobe: unknown; mediainfo: unknown };
      /** Turned away by the input policy (a list of other files): nothing of it is kept. */
      refused?: boolean;
    } = {},
  ) {
    super(message);
    this.name = 'MediaError';
  }
}
