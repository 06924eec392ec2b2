/**
 * Reconcile of an fs lake of 100,000 objects that Dailies has never seen (goal ≤ 30 s),
 * then a second pass with nothing to do.
 *
 *   npx tsx bench/reconcile.ts [objects=100000]
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../server/src/config.js';
import { createDailies } from '../server/src/wiring.js';
import { print, round } from './support.js';

const total = Number(process.argv[2] ?? 100_000);
const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-reconcile-'));
const lake = join(dataDir, 'lake');
for (let d = 0; d < total / 100; d++) {
  const dir = join(
    lake,
    `Day ${String(Math.floor(d / 50)).padStart(2, '0')}`,
    `Card ${String(d % 50).padStart(2, '0')}`,
  );
  await mkdir(dir, { recursive: true });
  await Promise.all(
    Array.from({ length: 100 }, (_, i) =>
      writeFile(join(dir, `C${String(d).padStart(4, '0')}_${String(i).padStart(3, '0')}.mov`), 'x'),
    ),
  );
}
const dailies = await createDailies(
  loadConfig({}, { dataDir, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
);
const t0 = performance.now();
const first = await dailies.indexing.reconcile();
const firstSeconds = (performance.now() - t0) / 1000;
const t1 = performance.now();
const second = await dailies.indexing.reconcile();
const secondSeconds = (performance.now() - t1) / 1000;
print('reconcile (fs lake, SQLite)', {
  objects: total,
  firstPassSeconds: round(firstSeconds),
  added: first.added,
  foldersAdded: first.foldersAdded,
  secondPassSeconds: round(secondSeconds),
  secondAdded: second.added,
  peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
});
await dailies.close();
await rm(dataDir, { recursive: true, force: true });
