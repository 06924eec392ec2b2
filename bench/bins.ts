/**
 * Bins at scale. Prints
 *  - the pure writers (ALE, FCPXML, CSV) over N clips with three notes and every logging field
 *    each: time, output size, heap growth;
 *  - a folder of M assets (probed metadata and two notes each) exported through the service on
 *    each catalog: p50/p95 of the whole answer.
 *
 *   npx tsx bench/bins.ts [clips=20000] [assets=5000] [catalogs=sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { newAsset } from '../server/src/features/assets/asset-factory.js';
import { writeAle } from '../server/src/features/bins/ale-writer.js';
import type { BinClip } from '../server/src/features/bins/bin-clip.js';
import { writeCsv } from '../server/src/features/bins/csv-writer.js';
import { writeFcpxml } from '../server/src/features/bins/fcpxml-writer.js';
import type { TechnicalMetadata } from '../server/src/ports/media.js';
import { createDailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { print, round, summary } from './support.js';

const clipCount = Number(process.argv[2] ?? 20_000);
const assetCount = Number(process.argv[3] ?? 5_000);
const catalogs = (process.argv[4] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const SAMPLES = 7;

// ---- the pure writers ----------------------------------------------------------------------
const clips: BinClip[] = Array.from({ length: clipCount }, (_, i) => ({
  id: String(i),
  name: `A${String(i % 999).padStart(3, '0')}C${String(i).padStart(5, '0')}`,
  sourceFile: `A${String(i % 999).padStart(3, '0')}C${String(i).padStart(5, '0')}_220101_R1AB.mov`,
  relativePath: `Day ${Math.floor(i / 500)}/Cam A/A${i}.mov`,
  kind: 'video',
  rate: { num: 24000, den: 1001 },
  dropFrame: false,
  startFrame: 86_400 + i * 480,
  frames: 480,
  durationSeconds: 20.02,
  width: 3840,
  height: 2160,
  videoTracks: 1,
  audioChannels: 4,
  audioRate: 48000,
  log: {
    camera: 'A',
    reel: `A${String(i % 999).padStart(3, '0')}`,
    scene: `${i % 120}A`,
    take: String(1 + (i % 7)),
    circled: i % 5 === 0,
    rating: i % 6,
    description: 'Wide, dolly in on the door',
    custom: { Lens: '35mm', 'T-stop': 2.8 },
  },
  notes: [
    { frame: 12, endFrame: null, text: 'Boom dips into frame', author: 'anna' },
    { frame: 100, endFrame: 160, text: 'Soft focus on the pull', author: 'bo' },
    { frame: null, endFrame: null, text: 'Print this one', author: 'cy' },
  ],
}));

for (const [format, write] of [
  ['ale', () => writeAle(clips)],
  ['fcpxml', () => writeFcpxml(clips, { eventName: 'Bench' })],
  ['csv', () => writeCsv(clips)],
] as const) {
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let out = '';
  const times: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    const started = performance.now();
    out = write();
    times.push(performance.now() - started);
  }
  print(`writer ${format}, ${clipCount} clips`, {
    ms: summary(times),
    outputMB: round(Buffer.byteLength(out) / 2 ** 20),
    heapGrowthMB: round((process.memoryUsage().heapUsed - heapBefore) / 2 ** 20),
  });
}

// ---- through the service, on each catalog -----------------------------------------------------
const record = (i: number): Omit<TechnicalMetadata, 'raw'> => ({
  kind: 'video',
  general: {
    format: 'QuickTime',
    formatProfile: null,
    durationSeconds: 20.02,
    sizeBytes: 1_000_000,
    overallBitrate: null,
    startTimecode: `01:${String(i % 60).padStart(2, '0')}:00:00`,
  },
  video: [
    {
      index: 0,
      codec: 'prores',
      format: 'ProRes',
      profile: '422 HQ',
      width: 3840,
      height: 2160,
      displayAspectRatio: '16:9',
      displayAspect: 1.778,
      rotation: 0,
      sampleAspectRatio: '1:1',
      displayWidth: 3840,
      displayHeight: 2160,
      frameRate: '24000/1001',
      frameRateValue: 23.976,
      frameRateMode: 'CFR',
      frameCount: 480,
      durationSeconds: 20.02,
      bitrate: null,
      scanType: 'Progressive',
      fieldOrder: null,
      bitDepth: 10,
      chromaSubsampling: '4:2:2',
      colourPrimaries: null,
      colourTransfer: null,
      colourMatrix: null,
      colourRange: null,
      pixelFormat: null,
    },
  ],
  audio: [
    {
      index: 1,
      codec: 'pcm_s24le',
      format: 'PCM',
      channels: 2,
      channelLayout: 'stereo',
      channelPositions: null,
      sampleRate: 48000,
      bitDepth: 24,
      durationSeconds: 20.02,
      bitrate: null,
    },
  ],
  image: null,
});

for (const kind of catalogs) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-bins-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
    { onFirstAdminPassword: () => {} },
  );
  const folder = await dailies.folders.create(SYSTEM_ACTOR, '/Day 01');
  const seeded = performance.now();
  const assets = Array.from({ length: assetCount }, (_, i) => ({
    ...newAsset(
      { key: `Day 01/A${i}.mov`, size: 1_000_000, etag: `e${i}`, mtime: 0 },
      folder.id,
      `A${i}.mov`,
      0,
    ),
    kind: 'video' as const,
    frameRate: '24000/1001',
  }));
  for (let i = 0; i < assets.length; i += 1000)
    await dailies.catalog.assets.insertMany(assets.slice(i, i + 1000));
  for (const [i, asset] of assets.entries()) {
    await dailies.catalog.processing.saveMetadata({
      assetId: asset.id,
      etag: asset.etag,
      record: record(i),
      raw: { ffprobe: null, mediainfo: null },
      probedAt: 0,
    });
    await dailies.notes.add(SYSTEM_ACTOR, asset.id, { text: 'Boom dips into frame', frame: 12 });
    await dailies.notes.add(SYSTEM_ACTOR, asset.id, { text: 'Print this one' });
  }
  const seedMs = performance.now() - seeded;
  for (const format of ['ale', 'fcpxml', 'csv'] as const) {
    const times: number[] = [];
    let bytes = 0;
    for (let s = 0; s < SAMPLES; s++) {
      const started = performance.now();
      const file = await dailies.bins.export(SYSTEM_ACTOR, { folder: '/Day 01' }, format);
      times.push(performance.now() - started);
      bytes = Buffer.byteLength(file.body);
    }
    print(`service ${kind} ${format}, ${assetCount} assets`, {
      ms: summary(times),
      outputMB: round(bytes / 2 ** 20),
      seedS: round(seedMs / 1000, 1),
    });
  }
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}
