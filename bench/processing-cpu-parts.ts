/**
 * Where the CPU of a clip's processing goes beyond the bare proxy command (the `cpuRatio` of
 * `processing-proxy.ts`): each tool run Dailies makes for a video, alone and in rotating
 * rounds, in CPU seconds of the tools (robust to the other load on a shared machine). Parts:
 * the bare proxy command; the one-decode video set (proxy + thumbnail + filmstrip) with and
 * without its filmstrip; the probe (ffprobe + mediainfo); the waveform; a thumbnail alone.
 *
 *   npx tsx bench/processing-cpu-parts.ts [seconds=20] [rounds=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegTranscoder } from '../server/src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../server/src/adapters/media/media-probe.js';
import { defaultMediaSettings, PROXY_KEYFRAME_SECONDS } from '../server/src/ports/media.js';
import { benchClip, cpuSeconds, load, run } from './processing-support.js';
import { print, round } from './support.js';

const seconds = Number(process.argv[2] ?? 20);
const rounds = Number(process.argv[3] ?? 3);
const clip = await benchClip(seconds, '1920x1080');
// Unsandboxed like the bare command: a sandboxed tool's CPU does not reach this process's count.
const settings = { ...defaultMediaSettings, toolSandbox: 'off' as const };
const s = settings;
const probe = new ToolsMediaProbe(settings);
const transcoder = new FfmpegTranscoder(settings);
const source = await probe.probe(clip);
const scratch = await mkdtemp(join(tmpdir(), 'dailies-bench-parts-'));

const parts: Record<string, (dir: string) => Promise<unknown>> = {
  bareProxy: (dir) =>
    run('nice', [
      ...['-n', String(s.niceness), 'ffmpeg', '-nostdin', '-hide_banner', '-v', 'error', '-nostats', '-y'],
      ...['-i', clip, '-map', '0:v:0', '-map', '0:a:0'],
      ...['-c:a', 'aac', '-b:a', `${s.proxyAudioBitrateKbps}k`, '-ac', '2'],
      ...[
        '-vf',
        `scale=w='trunc(oh*dar/2)*2':h='min(${s.proxyHeight},trunc(ih/2)*2)',setsar=1,format=yuv420p`,
      ],
      ...[
        '-fps_mode',
        'passthrough',
        '-c:v',
        'libx264',
        '-preset',
        s.proxyPreset,
        '-crf',
        String(s.proxyCrf),
      ],
      ...['-profile:v', 'high', '-force_key_frames', `expr:gte(t,n_forced*${PROXY_KEYFRAME_SECONDS})`],
      ...['-movflags', '+faststart', '-f', 'mp4', join(dir, 'bare.mp4')],
    ]),
  videoSet: (dir) =>
    transcoder.videoSet(
      clip,
      { proxy: join(dir, 'proxy.mp4'), thumbnail: join(dir, 'thumb.jpg'), filmstripDir: join(dir, 'strip') },
      { source },
    ),
  videoSetNoFilmstrip: (dir) =>
    transcoder.videoSet(
      clip,
      { proxy: join(dir, 'proxy2.mp4'), thumbnail: join(dir, 'thumb2.jpg'), filmstripDir: null },
      { source },
    ),
  probe: () => probe.probe(clip),
  waveform: (dir) => transcoder.waveform(clip, join(dir, 'waveform.json'), { source }),
  thumbnailAlone: (dir) => transcoder.thumbnail(clip, join(dir, 'thumb3.jpg'), { source }),
};

const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(parts).map((k) => [k, []]));
const loadBefore = await load();
for (let i = 0; i < rounds; i++) {
  // Rotating the order, so a burst of other load does not always fall on the same part.
  const names = Object.keys(parts);
  const order = [...names.slice(i % names.length), ...names.slice(0, i % names.length)];
  for (const name of order) {
    const dir = join(scratch, `${name}-${i}`);
    await run('mkdir', ['-p', dir]);
    const before = await cpuSeconds();
    await parts[name]!(dir);
    cpu[name]!.push((await cpuSeconds()) - before);
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bare = median(cpu.bareProxy!);
const figures: Record<string, unknown> = {
  clip: `${seconds}s 1920x1080p25 H.264 + AAC`,
  rounds,
  loadPerCoreBefore: loadBefore,
  loadPerCoreAfter: await load(),
};
for (const [name, values] of Object.entries(cpu))
  figures[name] = { cpuSecondsMedian: round(median(values)), overBare: round(median(values) / bare, 3) };
// What processing-proxy's cpuRatio counts for a video: the set, the probe, the waveform.
const total = median(cpu.videoSet!) + median(cpu.probe!) + median(cpu.waveform!);
figures.setProbeWaveformOverBare = round(total / bare, 3);
print('processing-cpu-parts', figures);
await rm(scratch, { recursive: true, force: true });
