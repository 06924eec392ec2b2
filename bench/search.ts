/**
 * Search over a lake of 1,000,000 assets with camera-card names and metadata, on SQLite and
 * on PostgreSQL: p50/p95 of a text search with two filters (page of 100 + total; goal p95
 * ≤ 100 ms) and of the facet counts for the same query (goal p95 ≤ 250 ms), for an admin and
 * for an editor whose group is on 10% of the folders (permissions applied in the query).
 *
 *   npx tsx bench/search.ts [assets=1000000] [sqlite,postgres]
 * PostgreSQL: needs DAILIES_TEST_DATABASE_URL (scripts/test-services.sh prints it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KyselySearchRepository } from '../server/src/adapters/db/search.repository.js';
import { loadConfig } from '../server/src/config.js';
import type { Actor } from '../server/src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../server/src/features/access/actor.js';
import { searchWords } from '../server/src/features/search/search.service.js';
import type { Asset, Folder } from '../server/src/ports/catalog.js';
import { createDailies } from '../server/src/wiring.js';
import { testDatabaseUrl } from '../server/test/support/services.js';
import { print, summary } from './support.js';

const total = Number(process.argv[2] ?? 1_000_000);
const catalogs = (process.argv[3] ?? 'sqlite,postgres').split(',') as Array<'sqlite' | 'postgres'>;
const SAMPLES = 60;
const DAYS = 100;
const UNITS = ['Cam A', 'Cam B', 'Cam C', 'Cam D', 'Drone', 'Sound', 'Stills', 'VFX', 'Proxies', 'Renders'];
const ROLLS = 10;
const PROJECT = 'unit-2';

/** A tiny deterministic generator, so both catalogs hold the same lake. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

interface Profile {
  kind: 'video' | 'audio' | 'image';
  format: string;
  videoCodec: string | null;
  audioCodec: string | null;
  sizes: Array<[number, number]>;
  frameRate: string | null;
}
const CAMERA: Profile = {
  kind: 'video',
  format: 'MOV',
  videoCodec: 'prores',
  audioCodec: 'pcm_s24le',
  sizes: [
    [3840, 2160],
    [1920, 1080],
  ],
  frameRate: '24000/1001',
};
const DRONE: Profile = {
  kind: 'video',
  format: 'MP4',
  videoCodec: 'h264',
  audioCodec: 'aac',
  sizes: [
    [3840, 2160],
    [2720, 1530],
  ],
  frameRate: '30000/1001',
};
const SOUND: Profile = {
  kind: 'audio',
  format: 'WAV',
  videoCodec: null,
  audioCodec: 'pcm_s24le',
  sizes: [],
  frameRate: null,
};
const STILL: Profile = {
  kind: 'image',
  format: 'TIFF',
  videoCodec: null,
  audioCodec: null,
  sizes: [[6000, 4000]],
  frameRate: null,
};
const VFX: Profile = {
  kind: 'video',
  format: 'MXF',
  videoCodec: 'dnxhd',
  audioCodec: null,
  sizes: [
    [1920, 1080],
    [1280, 720],
  ],
  frameRate: '25/1',
};
const PROXY: Profile = {
  kind: 'video',
  format: 'MP4',
  videoCodec: 'h264',
  audioCodec: 'aac',
  sizes: [
    [1280, 720],
    [640, 360],
  ],
  frameRate: '24000/1001',
};

function unitProfile(unit: string): Profile {
  if (unit.startsWith('Cam')) return CAMERA;
  return { Drone: DRONE, Sound: SOUND, Stills: STILL, VFX, Proxies: PROXY, Renders: VFX }[unit] ?? CAMERA;
}

function clipName(unit: string, day: number, roll: number, clip: number, rnd: () => number): string {
  const date = `2304${String((day % 28) + 1).padStart(2, '0')}`;
  const r = String(day * ROLLS + roll).padStart(3, '0');
  const c = String(clip).padStart(3, '0');
  const tag = Math.floor(rnd() * 0xffff)
    .toString(16)
    .toUpperCase()
    .padStart(4, '0');
  switch (unit) {
    case 'Sound':
      return `Scene ${(day * 3 + roll) % 140} Shot ${clip} Take ${(clip % 12) + 1} ${tag}.wav`;
    case 'Stills':
      return `DSC_${r}${c}.tif`;
    case 'Drone':
      return `DJI_${r}${c}_${date}.MP4`;
    case 'VFX':
      return `sh${r}_${String(clip * 10).padStart(4, '0')}_comp_v${String(clip % 20).padStart(3, '0')}.mxf`;
    case 'Proxies':
      return `${unit[0]}${r}C${c}_proxy.mp4`;
    case 'Renders':
      return `Reel ${roll + 1} conform v${clip}.mxf`;
    default:
      return `${unit.at(-1)}${r}C${c}_${date}_R${tag}.mov`;
  }
}

const editor: Actor = {
  id: 'bench-editor',
  username: 'editor',
  groups: ['editors', PROJECT],
  isAdmin: false,
};

for (const kind of catalogs) {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-bench-search-'));
  const databaseUrl = kind === 'postgres' ? await testDatabaseUrl() : undefined;
  const dailies = await createDailies(
    loadConfig({}, { dataDir, databaseUrl, watchLake: false, reconcileInterval: 0, secret: 'bench' }),
  );
  const { catalog, connection } = dailies;
  const rnd = random(42);
  const started = performance.now();
  const root = (await catalog.folders.getByPath('/'))!;
  const leaves: Array<{ folder: Folder; unit: string; day: number; roll: number }> = [];
  let folderCount = 0;
  // Folders go in as rows in bulk; then each day's groups are set through the folder
  // repository, which recomputes the effective access of the day's whole subtree.
  const folderRows: Folder[] = [];
  const groupRows: Array<{ folderId: string; groupName: string }> = [];
  const days: Folder[] = [];
  const make = (path: string, parentId: string) => {
    const folder: Folder = {
      id: randomUUID(),
      path,
      parentId,
      name: path.slice(path.lastIndexOf('/') + 1),
      createdBy: null,
      createdAt: 0,
      updatedAt: 0,
    };
    folderRows.push(folder);
    groupRows.push({ folderId: folder.id, groupName: 'admin' }, { folderId: folder.id, groupName: PROJECT });
    return folder;
  };
  for (let day = 0; day < DAYS; day++) {
    const dayFolder = make(`/Shoot Day ${String(day + 1).padStart(3, '0')}`, root.id);
    days.push(dayFolder);
    for (const unit of UNITS) {
      const unitFolder = make(`${dayFolder.path}/${unit}`, dayFolder.id);
      for (let roll = 0; roll < ROLLS; roll++) {
        const rollName = `Roll ${String(day * ROLLS + roll).padStart(3, '0')}`;
        leaves.push({ folder: make(`${unitFolder.path}/${rollName}`, unitFolder.id), unit, day, roll });
      }
    }
  }
  folderCount = folderRows.length;
  await connection.db.transaction().execute(async (trx) => {
    for (let i = 0; i < folderRows.length; i += 1000)
      await trx
        .insertInto('folders')
        .values(folderRows.slice(i, i + 1000))
        .execute();
    for (let i = 0; i < groupRows.length; i += 1000)
      await trx
        .insertInto('folderGroups')
        .values(groupRows.slice(i, i + 1000))
        .execute();
  });
  // One day in ten belongs to the second unit: the editor sees those (and the root) only.
  for (const [day, folder] of days.entries())
    await catalog.folders.setGroups(folder.id, day % 10 === 3 ? ['admin', PROJECT] : ['admin']);
  const perFolder = Math.ceil(total / leaves.length);
  const users = ['alice', 'bob', 'carol', 'dan', 'erin'];
  const states = [
    'ready',
    'ready',
    'ready',
    'ready',
    'ready',
    'ready',
    'ready',
    'ready',
    'processing',
    'failed',
  ] as const;
  let batch: Asset[] = [];
  const flush = async () => {
    const rows = batch;
    batch = [];
    await connection.db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 500)
        await trx
          .insertInto('assets')
          .values(rows.slice(i, i + 500))
          .execute();
    });
  };
  for (let i = 0; i < total; i++) {
    const leaf = leaves[i % leaves.length];
    const clip = Math.floor(i / leaves.length) + 1;
    const name = clipName(leaf.unit, leaf.day, leaf.roll, clip, rnd);
    const p = unitProfile(leaf.unit);
    const [width, height] = p.sizes.length ? p.sizes[Math.floor(rnd() * p.sizes.length)] : [null, null];
    const duration = p.kind === 'image' ? null : Math.round(rnd() * rnd() * 1800 * 100) / 100 + 1;
    const created = Date.UTC(2026, 0, 1) + leaf.day * 86_400_000 + Math.floor(rnd() * 86_400_000);
    batch.push({
      id: randomUUID(),
      folderId: leaf.folder.id,
      name,
      sortName: name.toLowerCase(),
      format: p.format,
      kind: p.kind,
      size: Math.floor((duration ?? 1) * (p.kind === 'video' ? 20_000_000 : 300_000) * (0.5 + rnd())),
      etag: String(i),
      lakeMtime: created,
      state: states[Math.floor(rnd() * states.length)],
      stateReason: null,
      currentJob: null,
      checksumXxh64: null,
      checksumMd5: null,
      duration,
      width,
      height,
      frameRate: p.frameRate,
      videoCodec: p.videoCodec,
      audioCodec: p.audioCodec,
      audioTracks: p.audioCodec ? 2 : null,
      uploadedBy: users[Math.floor(rnd() * users.length)],
      createdAt: created,
      updatedAt: created + Math.floor(rnd() * 1e9),
      trashedAt: null,
      trashedFrom: null,
      trashKey: null,
    });
    if (batch.length === 10_000) await flush();
  }
  if (batch.length) await flush();
  if (kind === 'postgres') await connection.postgresPool!.query('vacuum analyze');
  else await (await import('kysely')).sql`analyze`.execute(connection.db);
  const seedSeconds = (performance.now() - started) / 1000;

  // Text with two filters, of varied selectivity: a camera roll, a clip prefix, a folder path, a scene.
  const queries: Array<{ q: string; filters: Record<string, unknown> }> = [];
  const qr = random(7);
  for (let s = 0; s < SAMPLES; s++) {
    const roll = String(Math.floor(qr() * DAYS * ROLLS)).padStart(3, '0');
    const day = String(Math.floor(qr() * DAYS) + 1).padStart(3, '0');
    const pick = s % 4;
    if (pick === 0) queries.push({ q: `A${roll}`, filters: { kinds: ['video'], states: ['ready'] } });
    else if (pick === 1)
      queries.push({ q: `A${roll.slice(0, 2)}`, filters: { resolutions: ['UHD'], formats: ['MOV'] } });
    else if (pick === 2)
      queries.push({ q: `shoot day ${day} cam`, filters: { videoCodecs: ['prores'], resolutions: ['HD'] } });
    else
      queries.push({
        q: `scene ${Math.floor(qr() * 140)} take`,
        filters: { kinds: ['audio'], uploadedBy: ['alice', 'bob'] },
      });
  }
  const repo = new KyselySearchRepository(connection.db, connection.dialect);
  const figures: Record<string, unknown> = {
    catalog: kind,
    assets: total,
    folders: folderCount,
    perFolder,
    seedSeconds: Math.round(seedSeconds),
  };
  for (const [label, actor] of [
    ['admin', SYSTEM_ACTOR],
    ['editor10pct', editor],
  ] as const) {
    const scope = actor.isAdmin ? ({ all: true } as const) : ({ all: false, groups: actor.groups } as const);
    const searchMs: number[] = [];
    const facetMs: number[] = [];
    let hits = 0;
    for (const { q, filters } of queries) {
      const query = { q, ...filtersToQuery(filters), facets: false, limit: 100 };
      const t0 = performance.now();
      const result = await dailies.search.search(actor, query);
      searchMs.push(performance.now() - t0);
      hits += result.total;
      const t1 = performance.now();
      await repo.facets({ words: searchWords(q), ...filters, scope });
      facetMs.push(performance.now() - t1);
    }
    figures[label] = {
      search: summary(searchMs),
      facets: summary(facetMs),
      meanTotal: Math.round(hits / queries.length),
    };
  }
  // The broadest case: no text, two filters, over the whole lake.
  const broad: number[] = [];
  const broadFacets: number[] = [];
  for (let s = 0; s < 10; s++) {
    const t0 = performance.now();
    await dailies.search.search(SYSTEM_ACTOR, { kind: 'video', state: 'ready', facets: false, limit: 100 });
    broad.push(performance.now() - t0);
    const t1 = performance.now();
    await repo.facets({ words: [], kinds: ['video'], states: ['ready'], scope: { all: true } });
    broadFacets.push(performance.now() - t1);
  }
  figures.adminNoTextTwoFilters = { search: summary(broad), facets: summary(broadFacets) };
  print('search', figures);
  await dailies.close();
  await rm(dataDir, { recursive: true, force: true });
}

function filtersToQuery(filters: Record<string, unknown>): Record<string, string> {
  const names: Record<string, string> = {
    kinds: 'kind',
    states: 'state',
    resolutions: 'resolution',
    formats: 'format',
    videoCodecs: 'videoCodec',
    uploadedBy: 'uploadedBy',
  };
  return Object.fromEntries(Object.entries(filters).map(([k, v]) => [names[k], (v as string[]).join(',')]));
}
