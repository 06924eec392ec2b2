import { chmod, mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { kyselyCatalog } from '../../src/adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from '../../src/adapters/db/dialect.js';
import { assetKey } from '../../src/lib/paths.js';
import { dropTestDatabase } from '../support/drop-database.js';
import { call, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { testDatabaseUrl } from '../support/services.js';

/** One Dailies deployment on disk (data dir, fs lake, maybe an edit volume) that servers come and go on. */
export interface Deployment {
  dataDir: string;
  lake: string;
  volume: string;
  databaseUrl?: string;
  env: Record<string, string>;
  remove(): Promise<void>;
}

export async function newDeployment(options: { watch: boolean; postgres?: boolean }): Promise<Deployment> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-crash-'));
  const lake = join(dataDir, 'lake');
  const volume = join(dataDir, 'volume');
  await mkdir(lake, { recursive: true });
  await mkdir(volume, { recursive: true });
  await chmod(volume, 0o755);
  const databaseUrl = options.postgres ? await testDatabaseUrl() : undefined;
  const deployment: Deployment = {
    dataDir,
    lake,
    volume,
    databaseUrl,
    env: {
      DAILIES_DATA_DIR: dataDir,
      DAILIES_SECRET: 'crash-test',
      DAILIES_JOB_LEASE_SECONDS: '2',
      DAILIES_WATCH_LAKE: String(options.watch),
      DAILIES_RECONCILE_INTERVAL: '0',
      // The files are not media: probing them would only compete with the steps under test.
      DAILIES_JOB_CONCURRENCY: JSON.stringify({ 'asset.probe': 0 }),
      DAILIES_VOLUMES: JSON.stringify([{ id: 'edit', name: 'Edit', path: volume, groups: ['editors'] }]),
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    },
    remove: async () => {
      await closeCatalog(deployment);
      await rm(dataDir, { recursive: true, force: true });
      if (databaseUrl) await dropTestDatabase(databaseUrl);
    },
  };
  return deployment;
}

/** Starts a server that SIGKILLs itself at `crashAt`. */
export function startArmed(deployment: Deployment, crashAt: string): Promise<ServerProcess> {
  return startServerProcess({ ...deployment.env, DAILIES_TEST_CRASH_AT: crashAt });
}

/** Resolves once the process has died of SIGKILL (its own crash point, or ours). */
export async function diedOfKill(server: ServerProcess): Promise<boolean> {
  if (server.child.exitCode === null && server.child.signalCode === null)
    await new Promise((resolve) => server.child.once('exit', resolve));
  return server.child.signalCode === 'SIGKILL';
}

/** A request the server may die during: the answer, or null when the connection broke. */
export async function mayDie<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (/fetch failed|ECONNRESET|socket|other side closed/i.test(String((error as Error).cause ?? error)))
      return null;
    throw error;
  }
}

/** Every file of the lake by key, Dailies' own `.dailies-*` entries left out. */
export async function lakeKeys(lake: string): Promise<Set<string>> {
  const entries = await readdir(lake, { recursive: true, withFileTypes: true });
  const keys = new Set<string>();
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const key = join(entry.parentPath, entry.name).slice(lake.length + 1);
    if (!key.startsWith('.dailies-')) keys.add(key);
  }
  return keys;
}

export interface CatalogView {
  /** Live assets by lake key. */
  live: Map<string, { id: string; name: string; xxh64: string | null; uploadedBy: string | null }>;
  trashed: Array<{ id: string; trashKey: string | null }>;
  folders: Map<string, { id: string; groups: string[] }>;
  runningJobs: number;
  intents: number;
}

/** The catalog as it is, read from the database itself (the server may be running). */
export async function readCatalog(deployment: Deployment): Promise<CatalogView> {
  const connection = openCatalog(deployment);
  const catalog = kyselyCatalog(connection.db);
  const folders = await catalog.folders.all();
  const groups = await catalog.folders.groupsOf(folders.map((f) => f.id));
  const pathOf = new Map(folders.map((f) => [f.id, f.path]));
  const live: CatalogView['live'] = new Map();
  for (
    let page = await catalog.assets.scanLive(null, 5000);
    page.length > 0;
    page = await catalog.assets.scanLive(page[page.length - 1].id, 5000)
  ) {
    for (const a of page) {
      const key = assetKey(pathOf.get(a.folderId) ?? '?', a.name);
      if (live.has(key)) throw new Error(`two live assets at ${key}`);
      live.set(key, { id: a.id, name: a.name, xxh64: a.checksumXxh64, uploadedBy: a.uploadedBy });
    }
  }
  const trashed = (await catalog.assets.trashed()).map((a) => ({ id: a.id, trashKey: a.trashKey }));
  return {
    live,
    trashed,
    folders: new Map(folders.map((f) => [f.path, { id: f.id, groups: groups.get(f.id) ?? [] }])),
    runningJobs: await runningJobs(connection),
    intents: (await catalog.intents.all()).length,
  };
}

/** One connection per deployment for the test's own reads, closed with it. */
const connections = new Map<string, CatalogConnection>();

export function openCatalog(deployment: Pick<Deployment, 'dataDir' | 'databaseUrl'>): CatalogConnection {
  let connection = connections.get(deployment.dataDir);
  if (!connection) {
    connection = connectCatalog({
      databaseUrl: deployment.databaseUrl,
      sqliteFile: join(deployment.dataDir, 'dailies.sqlite'),
    });
    connections.set(deployment.dataDir, connection);
  }
  return connection;
}

export async function closeCatalog(deployment: Pick<Deployment, 'dataDir'>): Promise<void> {
  const connection = connections.get(deployment.dataDir);
  connections.delete(deployment.dataDir);
  await connection?.close();
}

/**
 * Jobs a worker still holds (the local queue's `running`, pg-boss's `active`) once those it was
 * running have had time to end: a job the step queued behind the settled one (a volume copy's
 * `mhl.seal`) may be running at the first look; a job left running stays so.
 */
async function runningJobs(connection: CatalogConnection): Promise<number> {
  const query =
    connection.dialect === 'postgres'
      ? sql<{ n: number }>`select count(*)::int as n from pgboss.job where state = 'active'`
      : sql<{ n: number }>`select count(*) as n from jobs where state = 'running'`;
  const count = async () => Number((await query.execute(connection.db)).rows[0]?.n ?? 0);
  for (const started = Date.now(); Date.now() - started < 15_000; ) {
    if ((await count()) === 0) return 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return count();
}

/**
 * The invariants every crash must keep, checked on a settled deployment: the catalog's live
 * assets are exactly the lake's files, every trashed asset has its original in the trash (and
 * the trash holds nothing else), no job is left running, no intent is left over, and no
 * half-written copy lies on the volume.
 */
export async function expectInvariants(deployment: Deployment, expect: typeof import('vitest').expect) {
  const view = await readCatalog(deployment);
  const files = await lakeKeys(deployment.lake);
  expect([...view.live.keys()].sort()).toEqual([...files].sort());
  for (const trashed of view.trashed) {
    expect(trashed.trashKey, `trashed asset ${trashed.id} has a trash key`).toBeTruthy();
    expect(await exists(join(deployment.lake, trashed.trashKey!)), `${trashed.trashKey} exists`).toBe(true);
  }
  const trashDir = join(deployment.lake, '.dailies-trash');
  for (const id of await readdir(trashDir).catch(() => [] as string[])) {
    const names = await readdir(join(trashDir, id)).catch(() => [] as string[]);
    if (names.length > 0)
      expect(
        view.trashed.map((t) => t.id),
        `trash entry ${id} belongs to a trashed asset`,
      ).toContain(id);
  }
  expect(view.runningJobs, 'jobs left running').toBe(0);
  expect(view.intents, 'intents left over').toBe(0);
  const onVolume = await readdir(deployment.volume, { recursive: true });
  expect(onVolume.filter((name) => /\.part$/.test(name))).toEqual([]);
  return view;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

/** Live assets of one folder, by name. */
export async function assetsIn(server: ServerProcess, folder: string): Promise<Map<string, any>> {
  const page = await call(server.url, 'GET', `/api/assets?folder=${encodeURIComponent(folder)}&limit=1000`);
  return new Map(page.items.map((a: any) => [a.name, a]));
}
