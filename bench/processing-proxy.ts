/**
 * (a) One 60 s 1080p25 H.264 clip: time from import complete to `ready` (probe, thumbnail,
 * proxy, filmstrip, waveform, by the in-process workers `dailies serve` runs), divided by the
 * bare ffmpeg proxy command with the same settings run alone. Goal ≤ 1.15. On a directory lake
 * and on an S3 lake (the test services' Swift, `source .test-services/env`), with the bytes
 * read from the lake per asset over the original's size (goal 1×).
 *
 *   npx tsx bench/processing-proxy.ts [seconds=60] [runs=2] [lakes=fs,s3]
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ToolsMediaProbe } from '../server/src/adapters/media/media-probe.js';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { defaultMediaSettings, PROXY_KEYFRAME_SECONDS } from '../server/src/ports/media.js';
import { createDailies, startBackground } from '../server/src/wiring.js';
import { testS3Bucket } from '../server/test/support/services.js';
import { benchClip, countingLake, cpuSeconds, load, run } from './processing-support.js';
import { print, round } from './support.js';

const seconds = Number(process.argv[2] ?? 60);
const runs = Number(process.argv[3] ?? 2);
const lakes = (process.argv[4] ?? 'fs,s3').split(',') as Array<'fs' | 's3'>;
const sandbox = process.env.DAILIES_TOOL_SANDBOX === 'auto' ? 'auto' : 'off';
const clip = await benchClip(seconds, '1920x1080');
const s = defaultMediaSettings;
const source = await new ToolsMediaProbe().probe(clip);

/** The proxy command the ffmpeg adapter runs for this clip, run alone under the same niceness. */
async function bareProxy(out: string): Promise<{ seconds: number; cpu: number }> {
  const args = [
    ...['-n', String(s.niceness), 'ffmpeg', '-nostdin', '-hide_banner', '-v', 'error', '-nostats', '-y'],
    ...['-i', clip, '-map', '0:v:0', '-map', '0:a:0'],
    ...['-c:a', 'aac', '-b:a', `${s.proxyAudioBitrateKbps}k`, '-ac', '2'],
    ...['-vf', `scale=w='trunc(oh*dar/2)*2':h='min(${s.proxyHeight},trunc(ih/2)*2)',setsar=1,format=yuv420p`],
    ...['-fps_mode', 'passthrough', '-c:v', 'libx264', '-preset', s.proxyPreset, '-crf', String(s.proxyCrf)],
    ...['-profile:v', 'high', '-force_key_frames', `expr:gte(t,n_forced*${PROXY_KEYFRAME_SECONDS})`],
    ...['-movflags', '+faststart', '-f', 'mp4', out],
  ];
  const cpu0 = await cpuSeconds();
  const t0 = performance.now();
  await run('nice', args);
  return { seconds: (performance.now() - t0) / 1000, cpu: (await cpuSeconds()) - cpu0 };
}

async function toReady(
  lake: 'fs' | 's3',
): Promise<{ seconds: number; cpu: number; jobs: Record<string, number>; lakeBytesRead: number }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-proxy-'));
  const s3 = lake === 's3' ? await testS3Bucket() : null;
  const dailies = await createDailies(
    loadConfig(
      {},
      {
        dataDir,
        watchLake: false,
        reconcileInterval: 0,
        secret: 'bench',
        adminPassword: 'bench-admin',
        logLevel: 'warn',
        // The bare command runs unsandboxed, and a sandboxed tool's CPU time does not reach this
        // process's children's count (bubblewrap's PID namespace): off unless asked, like for like.
        media: { ...defaultMediaSettings, toolSandbox: sandbox },
        ...(s3
          ? {
              lake: `s3://${s3.bucket}/lake`,
              s3: {
                endpoint: s3.endpoint,
                region: s3.region,
                forcePathStyle: true,
                accessKeyId: s3.accessKeyId,
                secretAccessKey: s3.secretAccessKey,
              },
            }
          : {}),
      },
    ),
  );
  const counts = new Map<string, number>();
  dailies.lake.swap(countingLake(dailies.lake.current, counts));
  const stop = await startBackground(dailies);
  const jobs: Record<string, number> = {};
  let t0 = performance.now();
  dailies.jobs.onChange((job) => {
    if (job.state === 'done') jobs[job.name] = round((performance.now() - t0) / 1000);
  });
  const asset = await dailies.imports.importStream(
    SYSTEM_ACTOR,
    '/Bench',
    'A001.mp4',
    createReadStream(clip),
  );
  // Import complete: the original is in the lake and indexed, checksums taken as it streamed.
  t0 = performance.now();
  counts.clear();
  const cpu0 = await cpuSeconds();
  for (;;) {
    const row = await dailies.catalog.assets.get(asset.id);
    if (row?.state === 'ready') break;
    if (row?.state === 'failed') throw new Error(`failed: ${row.stateReason}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const elapsed = (performance.now() - t0) / 1000;
  const cpu = (await cpuSeconds()) - cpu0;
  await stop();
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
  const lakeBytesRead = [...counts.values()].reduce((a, b) => a + b, 0);
  return { seconds: elapsed, cpu, jobs, lakeBytesRead };
}

const clipBytes = (await stat(clip)).size;

const scratch = await mkdtemp(join(tmpdir(), 'dailies-bench-bare-'));
for (let i = 0; i < runs; i++) {
  for (const lake of lakes) {
    const loadBefore = await load();
    const bare = await bareProxy(join(scratch, 'proxy.mp4'));
    const ready = await toReady(lake);
    print(`processing-proxy ${lake} lake, run ${i + 1}`, {
      clip: `${seconds}s 1920x1080p25 H.264, ${clipBytes} bytes`,
      // A directory lake is read in place by the tools, so its count is what Dailies itself read.
      lakeBytesReadPerAsset: ready.lakeBytesRead,
      lakeReadsOfOriginal: round(ready.lakeBytesRead / clipBytes, 3),
      lakeReadsGoal: lake === 's3' ? '1' : '0 (read in place)',
      bareProxySeconds: round(bare.seconds),
      importToReadySeconds: round(ready.seconds),
      ratio: round(ready.seconds / bare.seconds, 3),
      goal: '<= 1.15',
      // The same comparison in CPU seconds (this process and its tools): robust to other load.
      bareProxyCpuSeconds: round(bare.cpu),
      importToReadyCpuSeconds: round(ready.cpu),
      cpuRatio: round(ready.cpu / bare.cpu, 3),
      jobDoneAt: ready.jobs,
      toolSandbox: sandbox,
      loadPerCoreBefore: loadBefore,
      source: `${source.video[0]?.width}x${source.video[0]?.height} ${source.video[0]?.frameRate}`,
    });
  }
}
await rm(scratch, { recursive: true, force: true });
