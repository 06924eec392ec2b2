import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  type DerivativeFile,
  type DerivativeOptions,
  defaultMediaSettings,
  FILMSTRIP_SPRITE,
  FILMSTRIP_VTT,
  type Filmstrip,
  type FrameList,
  MediaError,
  type MediaSettings,
  PROXY_KEYFRAME_SECONDS,
  type ProgressListener,
  type TechnicalMetadata,
  type Transcoder,
  type VideoSet,
  type WaveformPeaks,
} from '../../ports/media.js';
import { temporaryBeside, writeAtomically } from './atomic-file.js';
import { MAX_PROXY_AUDIO_TRACKS, proxyAudio } from './audio-tracks.js';
import { fileUrl, inputPolicy } from './input-policy.js';
import { burnInFilters, lutFilters, prepareLook } from './look-filters.js';
import { oneDecodeGraph } from './one-decode.js';
import { TrackPeakAccumulator } from './peaks.js';
import { type RunToolOptions, runTool } from './run-tool.js';
import { sequenceInputArgs, writeFrameList } from './sequence-input.js';
import { STILL_ENCODE, stillDecodeOptions } from './still-decode.js';
import { sandboxWanted, type ToolIo, toolIo } from './tool-sandbox.js';
import { filmstripVtt, type SpriteGrid } from './webvtt.js';

const MIN_FILMSTRIP_TILES = 10;
const PERMANENT = { deterministic: true };

/** How one ffmpeg run names its input (with the input policy before it) and its outputs. */
interface FfmpegIo {
  /** `… -i file:<input>`: the policy's options, then the input. */
  input: string[];
  output(path: string): string;
  /** A file of the output directory (a LUT, a burn-in's text) as the tool names it in a filter. */
  path(file: string): string;
}

/** Derivatives made with ffmpeg (libx264, aac, mjpeg), niced and time-limited. */
export class FfmpegTranscoder implements Transcoder {
  constructor(private readonly settings: MediaSettings = defaultMediaSettings) {}

  async thumbnail(
    input: string,
    outputFile: string,
    { source, signal, look }: DerivativeOptions,
  ): Promise<DerivativeFile> {
    const width = this.settings.thumbnailWidth;
    const outputDir = dirname(outputFile);
    await prepareLook(look, outputDir);
    const size = await writeAtomically(outputFile, async (temp) => {
      if (source.kind === 'video') {
        await this.videoThumbnail(input, temp, source, signal, look);
      } else if (source.kind === 'image') {
        await this.ffmpeg(
          input,
          temp,
          source,
          (io) => [
            ...stillDecodeOptions(source, { width }),
            ...io.input,
            '-vf',
            [
              fitWidth(width),
              ...lutFilters(look, io.path),
              ...burnInFilters(look, io.path, outputDir, source, 'image'),
            ].join(','),
            ...STILL_ENCODE,
            ...JPEG,
            io.output(temp),
          ],
          signal,
        );
      } else if (source.kind === 'audio') {
        const height = Math.round((width * 3) / 8);
        const draw = `[0:a:0]aformat=channel_layouts=mono,showwavespic=s=${width}x${height}:colors=0x4a90d9`;
        await this.ffmpeg(
          input,
          temp,
          source,
          (io) => [...io.input, '-filter_complex', draw, ...JPEG, io.output(temp)],
          signal,
        );
      } else {
        throw new MediaError('This file has no picture or sound to make a thumbnail from.', PERMANENT);
      }
    });
    return { file: outputFile, contentType: 'image/jpeg', sizeBytes: size };
  }

  /**
   * A frame from a window starting 10% in, skipping frames that are mostly black, picked by
   * ffmpeg's `thumbnail` filter as the most typical of the window. If every frame there is
   * black (a fade, a short clip), the first typical frame of the whole clip will do.
   */
  private async videoThumbnail(
    input: string,
    temp: string,
    source: TechnicalMetadata,
    signal?: AbortSignal,
    look?: DerivativeOptions['look'],
  ) {
    const { start, scale, notBlack, any } = this.thumbnailPick(source);
    const outputDir = dirname(temp);
    // A burnt-in timecode counts frames from the first, so it is drawn on every frame (after
    // the LUT, which would colour it) before the window is chosen, which is then selected
    // rather than sought.
    const counted = !!look && (look.burnIn.timecode || look.burnIn.frameCounter);
    const attempt = async (from: number, pick: string) => {
      const seek = from > 0 && !counted ? ['-ss', from.toFixed(3)] : [];
      await this.ffmpeg(
        input,
        temp,
        source,
        (io) => {
          const burnIn = burnInFilters(look, io.path, outputDir, source, 'video');
          const lut = lutFilters(look, io.path);
          const select = from > 0 && counted ? [`select='gte(t,${from.toFixed(3)})'`] : [];
          const chain =
            burnIn.length > 0 ? [scale, ...lut, ...burnIn, ...select, pick] : [scale, pick, ...lut];
          return [...seek, ...io.input, '-map', '0:v:0', '-vf', chain.join(','), ...JPEG, io.output(temp)];
        },
        signal,
      );
      return fileHasBytes(temp);
    };
    if (await attempt(start, notBlack)) return;
    if (await attempt(0, notBlack)) return;
    await attempt(0, any);
  }

  /**
   * How the thumbnail's frame is picked: from a window starting 10% in, scaled, skipping
   * mostly black frames (`notBlack`), the most typical by ffmpeg's `thumbnail` filter; `any`
   * when every frame is black.
   */
  private thumbnailPick(source: TechnicalMetadata): {
    start: number;
    span: number;
    scale: string;
    notBlack: string;
    any: string;
  } {
    const duration = source.general.durationSeconds ?? source.video[0]?.durationSeconds ?? 0;
    const window = Math.max(2, Math.min(50, Math.round((source.video[0]?.frameRateValue ?? 25) * 2)));
    const notBlack =
      'blackframe=amount=0,metadata=mode=select:key=lavfi.blackframe.pblack:value=90:function=less';
    const rate = source.video[0]?.frameRateValue ?? 25;
    return {
      start: duration * 0.1,
      // Four windows' worth: room for black frames; a pick not found there is looked for
      // from the start by the thumbnail's own run, as when the rest is black.
      span: Math.max(4, (4 * window) / (rate > 0 ? rate : 25)),
      scale: fitWidth(this.settings.thumbnailWidth),
      notBlack: `${notBlack},thumbnail=${window}`,
      any: `thumbnail=${window}`,
    };
  }

  async proxy(
    input: string,
    outputFile: string,
    { source, signal, look }: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<DerivativeFile> {
    const s = this.settings;
    const outputDir = dirname(outputFile);
    await prepareLook(look, outputDir);
    let args: (io: FfmpegIo) => string[];
    let contentType: string;
    const audio = proxyAudio(source, s.proxyAudioBitrateKbps);
    const audioFilters = audio.filters.length > 0 ? ['-filter_complex', audio.filters.join(';')] : [];
    if (source.kind === 'video') {
      const proxy = this.videoProxy(source);
      args = (io) => [
        ...io.input,
        ...audioFilters,
        '-map',
        '0:v:0',
        ...audio.args,
        '-vf',
        [
          ...proxy.filters,
          ...lutFilters(look, io.path),
          ...burnInFilters(look, io.path, outputDir, source, 'video'),
          PROXY_PIXELS,
        ].join(','),
        ...proxy.encode,
      ];
      contentType = 'video/mp4';
    } else if (source.kind === 'audio') {
      args = (io) => [
        ...io.input,
        ...audioFilters,
        ...audio.args,
        '-vn',
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
      ];
      contentType = 'audio/mp4';
    } else if (source.kind === 'image') {
      const max = s.imageProxyMaxSize;
      const fit = `scale=w='min(${max},iw)':h='min(${max},ih)':force_original_aspect_ratio=decrease`;
      args = (io) => [
        ...stillDecodeOptions(source, { longestSide: max }),
        ...io.input,
        '-vf',
        [fit, ...lutFilters(look, io.path), ...burnInFilters(look, io.path, outputDir, source, 'image')].join(
          ',',
        ),
        ...STILL_ENCODE,
        ...JPEG,
      ];
      contentType = 'image/jpeg';
    } else {
      throw new MediaError('This file is not video, audio or an image, so it has no proxy.', PERMANENT);
    }
    const duration = source.general.durationSeconds ?? 0;
    const size = await writeAtomically(outputFile, async (temp) => {
      await this.ffmpeg(
        input,
        temp,
        source,
        (io) => [...args(io), io.output(temp)],
        signal,
        (seconds) => {
          if (onProgress && duration > 0) onProgress(Math.min(1, seconds / duration));
        },
      );
    });
    onProgress?.(1);
    return { file: outputFile, contentType, sizeBytes: size };
  }

  /**
   * The video proxy's parts: the filters before any look and how it is encoded (the audio is
   * `proxyAudio`'s). `proxy` runs them alone, `videoSet` as one branch of a larger graph.
   */
  private videoProxy(source: TechnicalMetadata): { filters: string[]; encode: string[] } {
    const s = this.settings;
    const video = source.video[0];
    const interlaced = !!video?.scanType && video.scanType !== 'Progressive';
    const filters = [
      // One output frame per input frame, so the frame rate stays the source's.
      interlaced ? 'yadif=mode=send_frame:deint=interlaced' : null,
      // Square pixels, at most proxyHeight tall, never taller than the source, even sizes for 4:2:0.
      `scale=w='trunc(oh*dar/2)*2':h='min(${s.proxyHeight},trunc(ih/2)*2)'`,
      'setsar=1',
    ].filter((f): f is string => f !== null);
    // ffmpeg refuses the whole proxy over a timecode it cannot parse; better none than no proxy.
    const timecode = /^\d{2}:\d{2}:\d{2}[:;.]\d{2}$/.test(source.general.startTimecode ?? '')
      ? source.general.startTimecode
      : null;
    return {
      filters,
      encode: [
        // Timestamps pass through untouched: no -r, no duplicated or dropped frames.
        '-fps_mode',
        'passthrough',
        '-c:v',
        'libx264',
        '-preset',
        s.proxyPreset,
        '-crf',
        String(s.proxyCrf),
        '-profile:v',
        'high',
        '-force_key_frames',
        `expr:gte(t,n_forced*${PROXY_KEYFRAME_SECONDS})`,
        ...(timecode ? ['-timecode', timecode] : []),
        '-movflags',
        '+faststart',
        '-f',
        'mp4',
      ],
    };
  }

  async audioTracks(
    proxyFile: string,
    outputDir: string,
    { source, signal }: DerivativeOptions,
  ): Promise<DerivativeFile[]> {
    const count = Math.min(source.audio.length, MAX_PROXY_AUDIO_TRACKS);
    const made: DerivativeFile[] = [];
    for (let i = 0; i < count; i++) {
      const file = join(outputDir, `audio-${i + 1}.m4a`);
      const size = await writeAtomically(file, (temp) =>
        this.ffmpeg(
          proxyFile,
          temp,
          source,
          (io) => [
            ...io.input,
            ...['-map', `0:a:${i}`, '-c', 'copy', '-vn', '-movflags', '+faststart', '-f', 'mp4'],
            io.output(temp),
          ],
          signal,
        ),
      );
      made.push({ file, contentType: 'audio/mp4', sizeBytes: size });
    }
    return made;
  }

  /**
   * An image sequence's proxy: every frame (a gap holds the frame before it) at the sequence's
   * rate, scaled to one size (a frame of another size is fitted to it, so one odd frame cannot
   * stop the encoder), the same H.264 settings as a clip's proxy.
   */
  async sequenceProxy(
    frames: FrameList,
    outputFile: string,
    { source, signal, look }: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<DerivativeFile> {
    const s = this.settings;
    const video = source.video[0];
    if (!video || frames.frames.length === 0)
      throw new MediaError('The sequence has no frame to make a proxy from.', PERMANENT);
    const { num, den } = frames.frameRate;
    const height = Math.max(2, Math.min(s.proxyHeight, Math.floor(video.height / 2) * 2));
    const aspect = video.displayAspect ?? video.width / video.height;
    const width = Math.max(2, Math.round((height * aspect) / 2) * 2);
    // One filter graph for every frame (no rebuild at a frame of another size, which would drop
    // the frames the fps filter holds), each frame fitted to the size, then placed on the grid.
    // The look as on a clip's proxy: the LUT, then the burn-in (its timecode and counter see
    // every frame the fps filter gives, gaps held), then what browsers play.
    const lookFilters = (toolPath: (file: string) => string) => [
      ...lutFilters(look, toolPath),
      ...burnInFilters(look, toolPath, dirname(outputFile), source, 'video'),
    ];
    await prepareLook(look, dirname(outputFile));
    const list = await writeFrameList(frames);
    const duration = frames.frames.reduce((sum, f) => sum + f.holds, 0) * (den / num);
    const size = await writeAtomically(outputFile, async (temp) => {
      const io = toolIo(
        { input: list, inputDir: frames.dir, outputDir: dirname(temp) },
        sandboxWanted(s.toolSandbox ?? defaultMediaSettings.toolSandbox),
      );
      const filters = [
        `scale=${width}:${height}:force_original_aspect_ratio=decrease`,
        `pad=${width}:${height}:(ow-iw)/2:(oh-ih)/2`,
        `fps=${num}/${den}`,
        'setsar=1',
        ...lookFilters((file) => io.output(file)),
        'format=yuv420p',
      ];
      await runTool(
        'ffmpeg',
        [
          ...['-nostdin', '-hide_banner', '-v', 'error', '-nostats', '-progress', 'pipe:1', '-y'],
          ...['-reinit_filter', '0', ...sequenceInputArgs(io.input)],
          ...['-map', '0:v:0', '-vf', filters.join(','), '-c:v', 'libx264', '-preset', s.proxyPreset],
          ...['-crf', String(s.proxyCrf), '-profile:v', 'high', '-r', `${num}/${den}`],
          ...['-force_key_frames', `expr:gte(t,n_forced*${PROXY_KEYFRAME_SECONDS})`],
          ...['-movflags', '+faststart', '-f', 'mp4', fileUrl(io.output(temp))],
        ],
        {
          ...this.limits(io, signal),
          onProgress: (fields) => {
            const micros = Number(fields.out_time_us ?? fields.out_time_ms);
            if (onProgress && duration > 0 && Number.isFinite(micros) && micros >= 0)
              onProgress(Math.min(1, micros / 1_000_000 / duration));
          },
        },
      );
    });
    onProgress?.(1);
    return { file: outputFile, contentType: 'video/mp4', sizeBytes: size };
  }

  async filmstrip(
    input: string,
    outputDir: string,
    { source, signal, keyframeSeconds }: DerivativeOptions,
  ): Promise<Filmstrip> {
    const layout = this.filmstripLayout(source);
    const spritePath = join(outputDir, FILMSTRIP_SPRITE);
    // Tiles as far apart as the input's keyframes need only those decoded: a tenth of the CPU.
    const keyframesOnly =
      keyframeSeconds !== undefined && layout.intervalSeconds >= keyframeSeconds
        ? ['-skip_frame', 'nokey']
        : [];
    const spriteSize = await writeAtomically(spritePath, (temp) =>
      this.ffmpeg(
        input,
        temp,
        source,
        (io) => [
          ...keyframesOnly,
          ...io.input,
          '-map',
          '0:v:0',
          '-vf',
          layout.filters,
          ...JPEG,
          io.output(temp),
        ],
        signal,
      ),
    );
    return this.filmstripCues(outputDir, layout, spriteSize);
  }

  /**
   * How the filmstrip is laid out. Short clips get at least MIN_FILMSTRIP_TILES (down to one
   * frame each) so scrubbing shows something; long ones get a coarser interval so the sprite
   * stays within filmstripMaxTiles.
   */
  private filmstripLayout(source: TechnicalMetadata): FilmstripLayout {
    const video = source.video[0];
    const duration = source.general.durationSeconds ?? video?.durationSeconds ?? 0;
    if (source.kind !== 'video' || !video) throw new MediaError('Only video has a filmstrip.', PERMANENT);
    if (!(duration > 0))
      throw new MediaError(
        'The video has no known duration, so it cannot be laid out as a filmstrip.',
        PERMANENT,
      );
    const s = this.settings;
    const frameSeconds = video.frameRateValue ? 1 / video.frameRateValue : 0.04;
    const intervalSeconds = Math.max(
      duration / s.filmstripMaxTiles,
      Math.min(s.filmstripIntervalSeconds, Math.max(frameSeconds, duration / MIN_FILMSTRIP_TILES)),
    );
    const tiles = Math.max(1, Math.ceil(duration / intervalSeconds - 1e-9));
    const columns = Math.min(s.filmstripColumns, tiles);
    const rows = Math.ceil(tiles / columns);
    const tileWidth = s.filmstripTileWidth;
    const aspect = video.displayAspect ?? (video.height ? video.width / video.height : 16 / 9);
    const tileHeight = Math.max(2, Math.round(tileWidth / aspect / 2) * 2);
    const perTile = `fps=${(1 / intervalSeconds).toFixed(6)},scale=${tileWidth}:${tileHeight},setsar=1`;
    const grid = `tile=${columns}x${rows}`;
    return {
      tiles,
      columns,
      tileWidth,
      tileHeight,
      intervalSeconds,
      durationSeconds: duration,
      filters: `${perTile},${grid}`,
      perTile,
      grid,
    };
  }

  /** The WebVTT, written after the sprite: when it exists, the sprite it points at does too. */
  private async filmstripCues(
    outputDir: string,
    layout: FilmstripLayout,
    spriteSize: number,
  ): Promise<Filmstrip> {
    const vtt = filmstripVtt(FILMSTRIP_SPRITE, layout);
    const vttPath = join(outputDir, FILMSTRIP_VTT);
    const vttSize = await writeAtomically(vttPath, (temp) => writeFile(temp, vtt));
    return {
      sprite: { file: join(outputDir, FILMSTRIP_SPRITE), contentType: 'image/jpeg', sizeBytes: spriteSize },
      vtt: { file: vttPath, contentType: 'text/vtt', sizeBytes: vttSize },
      tiles: layout.tiles,
      intervalSeconds: layout.intervalSeconds,
    };
  }

  async videoSet(
    input: string,
    outputs: { proxy: string; thumbnail: string; filmstripDir: string | null },
    { source, signal, look }: DerivativeOptions,
    onProgress?: ProgressListener,
  ): Promise<VideoSet> {
    if (source.kind !== 'video' || !source.video[0])
      throw new MediaError('Only video has a proxy, thumbnail and filmstrip made together.', PERMANENT);
    const outputDir = dirname(outputs.proxy);
    await prepareLook(look, outputDir);
    const proxy = this.videoProxy(source);
    const audio = proxyAudio(source, this.settings.proxyAudioBitrateKbps);
    const pick = this.thumbnailPick(source);
    const layout = outputs.filmstripDir ? this.filmstripLayout(source) : null;
    // ffmpeg reports no progress until every output has written its header, which an image
    // output does at its first frame. So no output waits for the end: the thumbnail branch
    // writes the first frame at once and then its pick (a numbered pair), the filmstrip its
    // tiles one by one (raw, into a NUT file) which a second, tiny run lays out as the sprite.
    const thumbnails = temporaryBeside(join(outputDir, 'thumbnails'));
    const tiles = layout ? temporaryBeside(join(outputDir, 'tiles.nut')) : null;
    await mkdir(thumbnails);
    const duration = source.general.durationSeconds ?? 0;
    try {
      const proxySize = await writeAtomically(outputs.proxy, async (temp) => {
        await this.ffmpeg(
          input,
          temp,
          source,
          (io) => {
            const graph = oneDecodeGraph({
              proxy: [...proxy.filters, ...lutFilters(look, io.path)],
              burnIn: burnInFilters(look, io.path, outputDir, source, 'video'),
              proxyPixels: PROXY_PIXELS,
              thumbnail: {
                start: pick.start,
                span: pick.span,
                scale: pick.scale,
                pick: pick.notBlack,
                lut: lutFilters(look, io.path),
              },
              filmstrip: layout?.perTile ?? null,
            });
            return [
              ...io.input,
              '-filter_complex',
              // Audio tracks wider than stereo are downmixed by chains of their own in the same graph.
              [graph.text, ...audio.filters].join(';'),
              ...['-map', `[${graph.outputs.proxy}]`, ...audio.args, ...proxy.encode, io.output(temp)],
              ...['-map', `[${graph.outputs.thumbnail}]`, '-fps_mode', 'passthrough', '-q:v', '3'],
              ...['-f', 'image2', '-start_number', '0', io.output(join(thumbnails, '%d.jpg'))],
              ...(graph.outputs.filmstrip && tiles
                ? ['-map', `[${graph.outputs.filmstrip}]`, '-fps_mode', 'passthrough', '-c:v', 'rawvideo']
                : []),
              ...(tiles ? ['-f', 'nut', io.output(tiles)] : []),
            ];
          },
          signal,
          (seconds) => {
            if (onProgress && duration > 0) onProgress(Math.min(0.99, seconds / duration));
          },
        );
      });
      let filmstrip: Filmstrip | null = null;
      if (layout && tiles && outputs.filmstripDir) {
        await mkdir(outputs.filmstripDir, { recursive: true });
        const spritePath = join(outputs.filmstripDir, FILMSTRIP_SPRITE);
        const spriteSize = await writeAtomically(spritePath, (temp) =>
          this.ffmpeg(
            tiles,
            temp,
            source,
            (io) => [...io.input, '-vf', layout.grid, ...JPEG, io.output(temp)],
            signal,
          ),
        );
        filmstrip = await this.filmstripCues(outputs.filmstripDir, layout, spriteSize);
      }
      let thumbnail: DerivativeFile;
      const picked = join(thumbnails, '1.jpg');
      const pickedSize = await sizeOf(picked);
      if (pickedSize > 0) {
        await rename(picked, outputs.thumbnail);
        thumbnail = { file: outputs.thumbnail, contentType: 'image/jpeg', sizeBytes: pickedSize };
      } else {
        // Every frame from 10% on is mostly black (a fade, a short clip): the thumbnail's own
        // run looks from the start, a second decode only in this rare case.
        thumbnail = await this.thumbnail(input, outputs.thumbnail, { source, signal, look });
      }
      onProgress?.(1);
      return {
        proxy: { file: outputs.proxy, contentType: 'video/mp4', sizeBytes: proxySize },
        thumbnail,
        filmstrip,
      };
    } finally {
      await rm(thumbnails, { recursive: true, force: true });
      if (tiles) await rm(tiles, { force: true });
    }
  }

  async waveform(
    input: string,
    outputFile: string,
    { source, signal }: DerivativeOptions,
  ): Promise<DerivativeFile> {
    const tracks = source.audio.slice(0, MAX_PROXY_AUDIO_TRACKS);
    if (tracks.length === 0)
      throw new MediaError('This file has no audio, so it has no waveform.', PERMANENT);
    // One rate for all tracks, so their peaks line up; the first track's, as the proxy plays it.
    const sampleRate = tracks[0].sampleRate ?? 48000;
    const duration = source.general.durationSeconds ?? tracks[0].durationSeconds ?? 0;
    const s = this.settings;
    // The JSON stays within waveformMaxPeaks whatever the number of tracks.
    const maxPeaks = s.waveformMaxPeaks / tracks.length;
    const peaksPerSecond =
      duration > 0 ? Math.min(s.waveformPeaksPerSecond, maxPeaks / duration) : s.waveformPeaksPerSecond;
    const accumulator = new TrackPeakAccumulator(
      tracks.length,
      Math.max(1, Math.ceil(sampleRate / peaksPerSecond)),
    );
    // Each track mixed to mono, side by side as the channels of one stream.
    const mono = tracks.map(
      (_, i) => `[0:a:${i}]aresample=${sampleRate},aformat=sample_fmts=flt:channel_layouts=mono[m${i}]`,
    );
    const merged =
      tracks.length > 1
        ? `${tracks.map((_, i) => `[m${i}]`).join('')}amerge=inputs=${tracks.length}[all]`
        : '[m0]anull[all]';
    const io = this.io(input);
    await runTool(
      'ffmpeg',
      [
        ...['-nostdin', '-hide_banner', '-v', 'error', ...ffmpegInput(io, source)],
        ...['-filter_complex', [...mono, merged].join(';'), '-map', '[all]', '-vn'],
        ...['-c:a', 'pcm_f32le', '-f', 'f32le', 'pipe:1'],
      ],
      { ...this.limits(io, signal), onStdout: (chunk) => accumulator.push(chunk) },
    );
    const { mixed, tracks: perTrack } = accumulator.finish();
    if (mixed.length === 0)
      throw new MediaError('The audio decoded to nothing, so there is no waveform.', PERMANENT);
    const body: WaveformPeaks = {
      version: 1,
      sampleRate,
      samplesPerPeak: accumulator.samplesPerPeak,
      channels: 1,
      durationSeconds: accumulator.samples / sampleRate,
      peaks: mixed,
      tracks: perTrack,
    };
    const size = await writeAtomically(outputFile, (temp) => writeFile(temp, JSON.stringify(body)));
    return { file: outputFile, contentType: 'application/json', sizeBytes: size };
  }

  /** The input (and the directory `output` writes into) as the tool names them, sandboxed or not. */
  private io(input: string, output?: string): ToolIo {
    const sandboxed = sandboxWanted(this.settings.toolSandbox ?? defaultMediaSettings.toolSandbox);
    return toolIo({ input, outputDir: output ? dirname(output) : undefined }, sandboxed);
  }

  private limits(io: ToolIo, signal?: AbortSignal): RunToolOptions {
    const s = this.settings;
    return {
      timeoutMs: s.toolTimeoutMs,
      stallTimeoutMs: s.stallTimeoutMs,
      niceness: s.niceness,
      memoryMb: s.toolMemoryMb ?? defaultMediaSettings.toolMemoryMb,
      cpuSeconds: s.toolCpuSeconds ?? defaultMediaSettings.toolCpuSeconds,
      io,
      signal,
    };
  }

  /**
   * Runs ffmpeg on `input`, writing `output` (whose directory the sandbox binds), with progress
   * on stdout, which also feeds the stall detector.
   */
  private async ffmpeg(
    input: string,
    output: string,
    source: TechnicalMetadata,
    args: (io: FfmpegIo) => string[],
    signal?: AbortSignal,
    onSeconds?: (seconds: number) => void,
  ): Promise<void> {
    const io = this.io(input, output);
    await runTool(
      'ffmpeg',
      [
        ...['-nostdin', '-hide_banner', '-v', 'error', '-nostats', '-progress', 'pipe:1', '-y'],
        ...args({
          input: ffmpegInput(io, source),
          output: (path) => fileUrl(io.output(path)),
          path: (file) => io.output(file),
        }),
      ],
      {
        ...this.limits(io, signal),
        onProgress: (fields) => {
          const micros = Number(fields.out_time_us ?? fields.out_time_ms);
          if (onSeconds && Number.isFinite(micros) && micros >= 0) onSeconds(micros / 1_000_000);
        },
      },
    );
  }
}

/**
 * `-i` with the input policy before it, and a `file:` URL so no name can select a protocol.
 * A still image the probe read with image2 is read by image2 again, as the one file it is.
 */
function ffmpegInput(io: ToolIo, source?: TechnicalMetadata): string[] {
  const probed = (source?.raw.ffprobe as { format?: { format_name?: string } } | null)?.format?.format_name;
  const format = source?.kind === 'image' ? probed : undefined;
  return [...inputPolicy(io.input, 'ffmpeg', format), '-i', fileUrl(io.input)];
}

/** At most `width` wide (never upscaled), square pixels, the display aspect kept, even sizes. */
function fitWidth(width: number): string {
  return `scale=w='min(${width},trunc(iw*sar/2)*2)':h='max(2,trunc(ow/dar/2)*2)',setsar=1`;
}

/** What browsers play; after the look, whose LUT works in RGB. */
const PROXY_PIXELS = 'format=yuv420p';

/** One good-quality JPEG frame; the output name follows. */
const JPEG = ['-frames:v', '1', '-q:v', '3', '-f', 'image2', '-update', '1'];

interface FilmstripLayout extends SpriteGrid {
  /** From frames to the sprite: one tile per interval, scaled, laid out. */
  filters: string;
  /** The first half: one frame per tile, at the tile's size. */
  perTile: string;
  /** The second half: the tiles laid out in one picture. */
  grid: string;
}

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (info) => info.size,
    () => 0,
  );
}

async function fileHasBytes(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.size > 0,
    () => false,
  );
}
