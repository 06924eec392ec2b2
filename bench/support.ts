import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
/** Small helpers for benchmarks: percentiles and a uniform way to print figures. */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summary(samples: number[]): { p50: number; p95: number; max: number } {
  return {
    p50: round(percentile(samples, 50)),
    p95: round(percentile(samples, 95)),
    max: round(Math.max(...samples)),
  };
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

export function print(title: string, figures: Record<string, unknown>): void {
  console.log(`${title}: ${JSON.stringify(figures)}`);
}

/** Signs in to a running server as `admin` and mints a personal API token for the bench's requests. */
export async function adminToken(base: string, password: string): Promise<string> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password }),
  });
  if (!login.ok) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .find((c) => c.startsWith('dailies_session='))
    ?.split(';')[0];
  if (!cookie) throw new Error('sign-in answered without a session cookie');
  const { user } = (await login.json()) as { user: { csrfToken: string } };
  const minted = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { cookie, 'x-dailies-csrf': user.csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'bench', password }),
  });
  if (!minted.ok) throw new Error(`token failed: ${minted.status} ${await minted.text()}`);
  return ((await minted.json()) as { token: string }).token;
}

/**
 * CPU time PostgreSQL's client backends of the current database spend between `start()` and
 * the returned stop function, in ms, read from /proc/<pid>/schedstat (ns). A statement runs
 * in one backend, so this is its work whatever else the shared machine runs; null when the
 * server is not on this machine.
 */
export async function postgresCpu(query: (text: string) => Promise<{ rows: Array<{ pid: number }> }>) {
  const { rows } = await query(
    `select pid from pg_stat_activity where datname = current_database() and backend_type = 'client backend'`,
  );
  const pids = rows.map((r) => r.pid);
  const read = async () => {
    let ns = 0;
    for (const pid of pids) {
      const text = await readFile(`/proc/${pid}/schedstat`, 'utf8').catch(() => null);
      if (text === null) return null;
      ns += Number(text.split(' ')[0]);
    }
    return ns;
  };
  const before = await read();
  return async () => {
    const after = await read();
    return before === null || after === null ? null : (after - before) / 1e6;
  };
}

/**
 * Wall time and CPU time of `work`: this process's, and the catalog's PostgreSQL backends'
 * when `pool` is given (NaN when they are not on this machine, 0 without a pool). Each bench
 * decides which CPU it adds up.
 */
export async function wallAndCpu(
  pool: { query: (text: string) => Promise<{ rows: Array<{ pid: number }> }> } | undefined | null,
  work: () => Promise<unknown>,
): Promise<{ wall: number; processCpu: number; catalogCpu: number }> {
  const backend = pool ? await postgresCpu((text) => pool.query(text)) : null;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  const wall = performance.now() - t0;
  const { user, system } = process.cpuUsage(c0);
  const catalogCpu = backend ? ((await backend()) ?? Number.NaN) : 0;
  return { wall, processCpu: (user + system) / 1000, catalogCpu };
}

/**
 * p50/p95/max of `samples` runs of `work` after one warm-up run, under `label`, with the
 * one-minute load average beside them: the machine is shared.
 */
export async function timedSamples(label: string, samples: number, work: () => Promise<unknown>) {
  await work();
  const walls: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await work();
    walls.push(performance.now() - t0);
  }
  return { [label]: { ...summary(walls), load1m: round(loadavg()[0]) } };
}

const ROOT = join(import.meta.dirname, '..');

/**
 * The node flags of bin/dailies.js's shebang (the server as the product starts it), plus any in
 * BENCH_SERVER_NODE_ARGS for the server alone, e.g. `--cpu-prof`, which NODE_OPTIONS refuses.
 */
export function serverNodeArgs(): string[] {
  const shebang = readFileSync(join(ROOT, 'bin/dailies.js'), 'utf8').split('\n')[0];
  const product = shebang.split(' ').filter((arg) => arg.startsWith('--'));
  return [...product, ...(process.env.BENCH_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)];
}

/**
 * The environment of a bench's `dailies serve`: its own data dir and port, quiet, no lake
 * watcher and no in-process workers (the benches measure the API and uploads; probing random
 * bytes would only add failed jobs), and the first admin's password for `adminToken`.
 */
export function benchServerEnv(
  dataDir: string,
  port: number,
  adminPassword: string,
  more: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    DAILIES_DATA_DIR: dataDir,
    DAILIES_PORT: String(port),
    DAILIES_LOG_LEVEL: 'warn',
    DAILIES_WATCH_LAKE: 'false',
    DAILIES_IN_PROCESS_WORKERS: 'false',
    DAILIES_ADMIN_PASSWORD: adminPassword,
    ...more,
  };
}

/** Waits up to two minutes for `base`/healthz to answer; fails at once when the server exited. */
export async function waitForHealth(base: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited()) throw new Error('the server exited during start');
    const ok = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`no answer from ${base}/healthz`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A tus creation POST as a client writes it (name and folder in Upload-Metadata); with `body`,
 * the bytes go in the same request (creation-with-upload).
 */
export function createTusUpload(
  base: string,
  token: string,
  upload: { length: number; filename: string; folder: string; body?: Buffer<ArrayBuffer> },
): Promise<Response> {
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'tus-resumable': '1.0.0',
      'upload-length': String(upload.length),
      'upload-metadata': `filename ${b64(upload.filename)},folder ${b64(upload.folder)}`,
      ...(upload.body ? { 'content-type': 'application/offset+octet-stream' } : {}),
    },
    body: upload.body,
  });
}
