import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { loadConfig } from '../server/src/config.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { createDailies } from '../server/src/wiring.js';
import { seedCatalog } from './seed-catalog.js';
const times = new Map<string, number[]>();
const proto = (SQLite as any).prototype;
const origPrepare = proto.prepare;
let prepMs = 0;
proto.prepare = function (sqlText: string) {
  const t0 = performance.now();
  const st = origPrepare.call(this, sqlText);
  prepMs += performance.now() - t0;
  for (const m of ['all', 'run', 'get', 'iterate']) {
    const f = st[m].bind(st);
    st[m] = (...a: unknown[]) => { const t = performance.now(); const r = f(...a); const key = sqlText.slice(0, 150); (times.get(key) ?? times.set(key, []).get(key)!).push(performance.now() - t); return r; };
  }
  return st;
};
const dataDir = await mkdtemp(join(tmpdir(), 'lq-'));
const dailies = await createDailies(loadConfig({}, { dataDir, watchLake: false, reconcileInterval: 0, secret: 'x' }));
const folders = await seedCatalog(dailies, 1000, 1);
for (let i = 0; i < 5; i++) await dailies.assets.list(SYSTEM_ACTOR, { folder: folders[0].path, limit: 1000 });
times.clear(); prepMs = 0;
const t0 = performance.now();
const N = 20;
let json = 0;
for (let i = 0; i < N; i++) { const p = await dailies.assets.list(SYSTEM_ACTOR, { folder: folders[0].path, limit: 1000 }); const t=performance.now(); JSON.stringify(p); json += performance.now()-t; }
console.log('per list ms', (performance.now() - t0) / N, 'prepare per list', prepMs / N, 'JSON.stringify per list', json/N);
for (const [k, v] of [...times].sort((a, b) => b[1].reduce((x, y) => x + y) - a[1].reduce((x, y) => x + y)).slice(0, 12))
  console.log((v.reduce((x, y) => x + y) / N).toFixed(2), 'ms/list', v.length / N, 'x', k.replace(/\s+/g, ' '));
await dailies.close();
