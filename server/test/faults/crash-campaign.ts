import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Xxh64 } from '@node-rs/xxhash';
import { sql } from 'kysely';
import { isEmpty, readUntil } from '../support/poll.js';
import { adminToken, call, type ServerProcess, startServerProcess } from '../support/server-process.js';
import { actAs, tusUpload } from '../uploads/support.js';
import { type Deployment, lakeKeys, newDeployment, openCatalog, readCatalog } from './crash-support.js';

/**
 * The crash campaign: random operations from a few clients at once, SIGKILL at a random moment,
 * restart, settle, and check what must survive any crash. Used by the short CI test
 * (crash-campaign.test.ts) and the long run (bench/crash-campaign.ts).
 */
export interface CampaignOptions {
  iterations: number;
  postgres?: boolean;
  /** Concurrent clients during each burst. */
  clients?: number;
  log?: (line: string) => void;
}

export interface IterationReport {
  iteration: number;
  killAfterMs: number;
  attempted: Record<string, number>;
  acknowledged: Record<string, number>;
  settleMs: number;
  violations: string[];
}

export interface CampaignReport {
  catalog: 'sqlite' | 'postgres';
  iterations: IterationReport[];
  acknowledgedUploads: number;
  violations: string[];
}

const LAKE_JOBS = ['assets.move', 'folder.move', 'volume.copy'];
const OPS = [
  'upload',
  'upload',
  'rename',
  'delete',
  'restore',
  'move',
  'folderMove',
  'copy',
  'mkdir',
] as const;

export async function runCampaign(options: CampaignOptions): Promise<CampaignReport> {
  const deployment = await newDeployment({ watch: true, postgres: options.postgres });
  // Processing runs (the uploads are not media, so probes fail fast): its tools must die with the server.
  delete deployment.env.DAILIES_JOB_CONCURRENCY;
  const log = options.log ?? (() => {});
  const uploads = new Map<string, string>();
  const report: CampaignReport = {
    catalog: options.postgres ? 'postgres' : 'sqlite',
    iterations: [],
    acknowledgedUploads: 0,
    violations: [],
  };
  let counter = 0;
  let diagnosed = false;
  let server = await startServerProcess(deployment.env);
  try {
    await call(server.url, 'POST', '/api/folders', { path: '/Day 01' });
    await call(server.url, 'POST', '/api/folders', { path: '/Day 02' });
    for (let iteration = 1; iteration <= options.iterations; iteration++) {
      actAs(server.url, await adminToken(server.url));
      const attempted: Record<string, number> = {};
      const acknowledged: Record<string, number> = {};
      const killAfterMs = 100 + Math.floor(Math.random() * 2400);
      let killed = false;
      const client = async () => {
        while (!killed) {
          const op = OPS[Math.floor(Math.random() * OPS.length)];
          attempted[op] = (attempted[op] ?? 0) + 1;
          try {
            if (await runOp(op, server, deployment, uploads, () => ++counter))
              acknowledged[op] = (acknowledged[op] ?? 0) + 1;
          } catch {
            // refused (409, 404) or cut by the kill: only acknowledged work counts
          }
        }
      };
      const clients = Array.from({ length: options.clients ?? 3 }, client);
      await new Promise((r) => setTimeout(r, killAfterMs));
      killed = true;
      await server.kill('SIGKILL');
      await Promise.allSettled(clients);
      const violations: string[] = [];
      // The kernel kills tools with their parent (PR_SET_PDEATHSIG), but a sandbox forked an
      // instant before the kill can miss it; the next server reaps those when it starts
      // (tool-reaper.ts). So a tool still there 3 s after the kill is noted, and only one that
      // outlives the restart is an orphan.
      const lingering = await readUntil(() => processesNaming(deployment.dataDir), isEmpty, {
        timeout: 3000,
      });
      const runningAtKill = await jobsIn(deployment, ['running']);

      const started = Date.now();
      const killedServer = server;
      server = await startServerProcess(deployment.env);
      const orphans = await stillRunning(lingering);
      if (orphans.length > 0) violations.push(`orphan processes after the restart: ${orphans.join('; ')}`);
      if (lingering.length > 0) log(`reaped at restart: ${lingering.join('; ')}`);
      violations.push(...(await settle(server, deployment, runningAtKill)));
      const settleMs = Date.now() - started;
      violations.push(...(await invariants(deployment, uploads)));
      if (violations.length > 0 && !diagnosed) {
        diagnosed = true;
        log(await diagnosis(deployment, killedServer, server));
      }
      const entry = { iteration, killAfterMs, attempted, acknowledged, settleMs, violations };
      report.iterations.push(entry);
      report.violations.push(...violations.map((v) => `iteration ${iteration}: ${v}`));
      log(
        `iteration ${iteration}: killed after ${killAfterMs} ms, ${sum(acknowledged)}/${sum(attempted)} ops acknowledged, settled in ${settleMs} ms, ${violations.length} violations${violations.length ? `: ${violations.join(' | ')}` : ''}`,
      );
    }
    report.acknowledgedUploads = uploads.size;
    return report;
  } finally {
    await server.kill();
    await deployment.remove();
  }
}

/** One random operation as admin; true when the server acknowledged it. */
async function runOp(
  op: (typeof OPS)[number],
  server: ServerProcess,
  deployment: Deployment,
  uploads: Map<string, string>,
  next: () => number,
): Promise<boolean> {
  const view = await readCatalog(deployment);
  const live = [...view.live.values()];
  const folders = [...view.folders.keys()];
  const pick = <T>(list: T[]): T | undefined => list[Math.floor(Math.random() * list.length)];
  const n = next();
  switch (op) {
    case 'upload': {
      const data = randomBytes(1024 + Math.floor(Math.random() * 1_500_000));
      const folder = pick(folders) ?? '/';
      const result = await tusUpload(server.url, data, {
        metadata: { filename: `U${n}.bin`, folder },
        chunkSize: 512 * 1024,
      });
      if (!result.assetId) return false;
      uploads.set(result.assetId, xxh64(data));
      return true;
    }
    case 'rename': {
      const asset = pick(live);
      if (!asset) return false;
      await call(server.url, 'PATCH', `/api/assets/${asset.id}`, {
        name: `R${n}-${asset.name}`.slice(0, 120),
      });
      return true;
    }
    case 'delete': {
      const asset = pick(live);
      if (!asset) return false;
      await call(server.url, 'POST', '/api/assets/delete', { ids: [asset.id] });
      return true;
    }
    case 'restore': {
      const asset = pick(view.trashed);
      if (!asset) return false;
      await call(server.url, 'POST', '/api/assets/restore', { ids: [asset.id] });
      return true;
    }
    case 'move': {
      const ids = [pick(live), pick(live)].filter((a) => a !== undefined).map((a) => a!.id);
      const folder = pick(folders);
      if (ids.length === 0 || !folder) return false;
      await call(server.url, 'POST', '/api/assets/move', { ids: [...new Set(ids)], folder });
      return true;
    }
    case 'folderMove': {
      const from = pick(folders.filter((f) => f !== '/'));
      if (!from) return false;
      const parent = pick(folders.filter((f) => f !== from && !f.startsWith(`${from}/`))) ?? '/';
      await call(server.url, 'PATCH', '/api/folders', {
        path: from,
        newPath: `${parent === '/' ? '' : parent}/F${n}`,
      });
      return true;
    }
    case 'copy': {
      const asset = pick(live);
      if (!asset) return false;
      await call(server.url, 'POST', '/api/volumes/edit/copy', { ids: [asset.id] });
      return true;
    }
    case 'mkdir': {
      const parent = pick(folders) ?? '/';
      await call(server.url, 'POST', '/api/folders', { path: `${parent === '/' ? '' : parent}/D${n}` });
      return true;
    }
  }
}

/**
 * After a restart: the jobs that change the lake run out, every job the killed server held is
 * taken again (none stays running), and a reconcile passes.
 */
async function settle(
  server: ServerProcess,
  deployment: Deployment,
  runningAtKill: string[],
): Promise<string[]> {
  const { pending, stuck } = await readUntil(
    async () => ({
      pending: await jobsIn(deployment, ['queued', 'running'], LAKE_JOBS),
      stuck: (await jobsIn(deployment, ['running'])).filter((id) => runningAtKill.includes(id)),
    }),
    (jobs) => jobs.pending.length === 0 && jobs.stuck.length === 0,
    { timeout: 120_000, interval: 200 },
  );
  if (pending.length > 0 || stuck.length > 0)
    return [
      `jobs did not settle: ${pending.length} lake jobs pending, ${stuck.length} still running from before the kill`,
    ];
  await call(server.url, 'POST', '/api/reconcile');
  return [];
}

async function invariants(deployment: Deployment, uploads: Map<string, string>): Promise<string[]> {
  const out: string[] = [];
  const view = await readCatalog(deployment);
  const files = await lakeKeys(deployment.lake);
  const catalogOnly = [...view.live.keys()].filter((k) => !files.has(k));
  const lakeOnly = [...files].filter((k) => !view.live.has(k));
  if (catalogOnly.length) out.push(`assets without a file: ${catalogOnly.join(', ')}`);
  if (lakeOnly.length) out.push(`files without an asset: ${lakeOnly.join(', ')}`);
  const trashedIds = new Set(view.trashed.map((t) => t.id));
  for (const t of view.trashed) {
    if (!t.trashKey || !(await exists(join(deployment.lake, t.trashKey))))
      out.push(`trashed asset ${t.id} has no file (${t.trashKey})`);
  }
  const trashDir = join(deployment.lake, '.dailies-trash');
  for (const id of await readdir(trashDir).catch(() => [] as string[])) {
    const names = await readdir(join(trashDir, id)).catch(() => [] as string[]);
    if (names.length > 0 && !trashedIds.has(id))
      out.push(`trash holds ${id}/${names[0]} of no trashed asset`);
  }
  if (view.intents > 0) out.push(`${view.intents} intents left after settling`);
  // Every acknowledged upload is still there (live or in the trash) under its id, with its bytes.
  const byId = new Map([...view.live].map(([key, a]) => [a.id, key]));
  for (const t of view.trashed) if (t.trashKey) byId.set(t.id, t.trashKey);
  for (const [id, checksum] of uploads) {
    const key = byId.get(id);
    if (!key) {
      out.push(`acknowledged upload ${id} is gone${await whereItWent(deployment, view, id, checksum)}`);
      continue;
    }
    const bytes = await readFile(join(deployment.lake, key)).catch(() => null);
    if (!bytes || xxh64(bytes) !== checksum) out.push(`acknowledged upload ${id} at ${key} has other bytes`);
  }
  const parts = (await readdir(deployment.volume, { recursive: true })).filter((n) => n.endsWith('.part'));
  if (parts.length) out.push(`partial copies on the volume: ${parts.join(', ')}`);
  return out;
}

/** For a failure message: what the audit log says of a lost asset, and where its bytes are now. */
async function whereItWent(
  deployment: Deployment,
  view: Awaited<ReturnType<typeof readCatalog>>,
  id: string,
  checksum: string,
): Promise<string> {
  const entries = await openCatalog(deployment)
    .db.selectFrom('auditLog')
    .select(['action', 'detail'])
    .where('targetId', '=', id)
    .orderBy('at')
    .execute();
  const twin = [...view.live].find(([, a]) => a.xxh64 === checksum);
  return ` (audit: ${entries.map((e) => `${e.action} ${e.detail ?? ''}`).join('; ') || 'nothing'}; its bytes: ${twin ? `asset ${twin[1].id} at ${twin[0]}` : 'nowhere live'})`;
}

/** For the first failure of a run: the lake-changing jobs, and what the servers around it printed. */
async function diagnosis(
  deployment: Deployment,
  killed: ServerProcess,
  restarted: ServerProcess,
): Promise<string> {
  const connection = openCatalog(deployment);
  const jobs =
    connection.dialect === 'postgres'
      ? (
          await sql<{
            line: string;
          }>`select name || ' ' || state || ' ' || retry_count || ' ' || data::text || ' ' || coalesce(output::text, '') as line
            from pgboss.job where name in (${sql.join(LAKE_JOBS)}) order by created_on`.execute(connection.db)
        ).rows
      : (
          await sql<{
            line: string;
          }>`select name || ' ' || state || ' ' || attempts || ' ' || data || ' ' || coalesce(error, '') as line
            from jobs where name in (${sql.join(LAKE_JOBS)}) order by created_at`.execute(connection.db)
        ).rows;
  const tail = (text: string) => text.split('\n').slice(-60).join('\n');
  return [
    'DIAGNOSIS: lake jobs',
    ...jobs.map((j) => `  ${j.line}`),
    'killed server printed (last 60 lines):',
    tail(killed.output()),
    'restarted server printed (last 60 lines):',
    tail(restarted.output()),
  ].join('\n');
}

/** Ids of jobs in these states (the local queue's names; pg-boss's mapped), optionally of these names. */
async function jobsIn(deployment: Deployment, states: Array<'queued' | 'running'>, names?: string[]) {
  const connection = openCatalog(deployment);
  const nameFilter = names ? sql` and name in (${sql.join(names)})` : sql``;
  if (connection.dialect === 'postgres') {
    const bossStates = states.flatMap((s) => (s === 'queued' ? ['created', 'retry'] : ['active']));
    const rows = await sql<{ id: string }>`select id::text as id from pgboss.job
      where state::text in (${sql.join(bossStates)})${nameFilter}`.execute(connection.db);
    return rows.rows.map((r) => r.id);
  }
  const rows = await sql<{
    id: string;
  }>`select id from jobs where state in (${sql.join(states)})${nameFilter}`.execute(connection.db);
  return rows.rows.map((r) => r.id);
}

/** Which of these processes (as listed by processesNaming) are still there after up to 3 s. */
function stillRunning(listed: string[]): Promise<string[]> {
  return readUntil(() => listed.filter((line) => existsSync(`/proc/${line.split(' ')[0]}`)), isEmpty, {
    timeout: 3000,
  });
}

/** Processes whose command line names `text` (the deployment's directory): tools left behind. */
async function processesNaming(text: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid) || Number(pid) === process.pid) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(text)) found.push(`${pid} ${cmdline.replaceAll('\0', ' ').slice(0, 120)}`);
  }
  return found;
}

function xxh64(data: Buffer): string {
  const hash = new Xxh64();
  hash.update(data);
  return hash.digest().toString(16).padStart(16, '0');
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}
