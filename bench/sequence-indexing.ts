/**
 * Indexing an image sequence of 2,000 frames (issue 14): a first re-index that finds them all
 * (beside the same number of plain files, for comparison), a second with nothing to do, and the
 * same frames arriving one at a time the way the watcher or uploads hand them over (a render
 * writing into the lake), with how many times the settler queues the sequence's processing.
 *
 *   npx tsx bench/sequence-indexing.ts [frames=2000] [postgres://… to use PostgreSQL]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { createDailies } from '../server/src/wiring.js';
import { print, round, summary } from './support.js';

const frames = Number(process.argv[2] ?? 2000);
const databaseUrl = process.argv[3];
const name = (n: number) => `plate.${String(n).padStart(4, '0')}.dpx`;

async function dailiesWith(dataDir: string) {
  const dailies = await createDailies(
    loadConfig(
      {},
      {
        dataDir,
        databaseUrl,
        watchLake: false,
        reconcileInterval: 0,
        secret: 'bench',
        sequenceQuietSeconds: 0,
      },
    ),
  );
  let queued = 0;
  const ingested = dailies.processing.assetsIngested.bind(dailies.processing);
  // Counted, not run: the bench measures indexing, not ffmpeg.
  dailies.processing.assetsIngested = async (assets) => {
    queued += assets.length;
    void ingested;
  };
  return { dailies, queued: () => queued };
}

// 1. A re-index that finds every frame (and as many plain files elsewhere).
{
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-sequence-'));
  const lake = join(dataDir, 'lake');
  await mkdir(join(lake, 'Plate'), { recursive: true });
  await mkdir(join(lake, 'Clips'), { recursive: true });
  for (let n = 1; n <= frames; n++) {
    await writeFile(join(lake, 'Plate', name(n)), 'frame');
    await writeFile(join(lake, 'Clips', `C${String(n).padStart(4, '0')}.mov`), 'clip');
  }
  const { dailies, queued } = await dailiesWith(dataDir);
  const t0 = performance.now();
  const first = await dailies.indexing.reconcile();
  const firstSeconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  await dailies.indexing.reconcile();
  const secondSeconds = (performance.now() - t1) / 1000;
  const plainQueued = queued();
  await new Promise((r) => setTimeout(r, 5));
  await dailies.sequenceSettler.settleQuiet();
  print(
    `re-index of ${frames} frames + ${frames} plain files (fs lake, ${databaseUrl ? 'PostgreSQL' : 'SQLite'})`,
    {
      firstPassSeconds: round(firstSeconds),
      assetsAdded: first.added,
      secondPassSeconds: round(secondSeconds),
      plainFilesQueued: plainQueued,
      sequenceQueuedBySettler: queued() - plainQueued,
      peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
    },
  );
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}

// 2. The frames arriving one by one (a render), each handed over as the watcher does.
{
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-sequence-'));
  const lake = join(dataDir, 'lake');
  await mkdir(join(lake, 'Render'), { recursive: true });
  const { dailies, queued } = await dailiesWith(dataDir);
  const perFrame: number[] = [];
  const t0 = performance.now();
  for (let n = 1; n <= frames; n++) {
    await writeFile(join(lake, 'Render', name(n)), 'frame');
    const object = await dailies.lake.head(`Render/${name(n)}`);
    const s = performance.now();
    await dailies.indexing.indexObject(object!);
    perFrame.push(performance.now() - s);
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  const before = queued();
  await new Promise((r) => setTimeout(r, 5));
  await dailies.sequenceSettler.settleQuiet();
  const folder = await dailies.catalog.folders.getByPath('/Render');
  const assets = folder ? await dailies.catalog.assets.liveInFolders([folder.id]) : [];
  print(`${frames} frames arriving one at a time (indexObject, ${databaseUrl ? 'PostgreSQL' : 'SQLite'})`, {
    totalSeconds: round(totalSeconds),
    perFrameMs: summary(perFrame),
    firstHundredMs: summary(perFrame.slice(0, 100)),
    lastHundredMs: summary(perFrame.slice(-100)),
    assets: assets.length,
    name: assets[0]?.name,
    queuedWhileArriving: before,
    queuedBySettler: queued() - before,
  });
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}
