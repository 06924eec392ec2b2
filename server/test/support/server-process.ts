import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { until } from './poll.js';

const ROOT = join(import.meta.dirname, '../../..');
/** The first admin's password in every server process a test starts; `call` signs in with it. */
export const PROCESS_ADMIN_PASSWORD = 'test-admin-password';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Every server a test started; none outlives the test process, whatever the test did. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** A free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts `dailies <command>` as its own process (so a test can SIGKILL it) and waits for /healthz. */
export async function startServerProcess(
  env: Record<string, string>,
  command = 'serve',
): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, 'bin/dailies.js'), command], {
    cwd: ROOT,
    env: {
      ...process.env,
      DAILIES_PORT: String(port),
      DAILIES_LOG_LEVEL: 'warn',
      DAILIES_ADMIN_PASSWORD: PROCESS_ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  child.once('exit', () => {
    children.delete(child);
    // A later server may get this port on another catalog, where this session does not exist.
    sessions.delete(url);
  });
  let log = '';
  child.stdout?.on('data', (d) => (log += d));
  child.stderr?.on('data', (d) => (log += d));
  // Generous: tsx compiles the sources at start, and CI machines are shared.
  const exited = () => child.exitCode !== null;
  await until(
    async () =>
      exited() ||
      (await fetch(`${url}/healthz`).then(
        (response) => response.ok,
        () => false, // not listening yet
      )),
    { timeout: 120_000, interval: 100, what: 'the server to answer /healthz' },
  ).catch((error: Error) => {
    child.kill('SIGKILL');
    throw new Error(`server did not start: ${error.message}\n${log}`);
  });
  if (exited()) throw new Error(`server exited (${child.exitCode}): ${log}`);
  return {
    url,
    child,
    output: () => log,
    kill: (signal = 'SIGKILL') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}

const sessions = new Map<string, Promise<Record<string, string>>>();

/** Signs in as `admin` once per server URL; the session lives in the catalog, so it survives a restart. */
function adminSession(base: string): Promise<Record<string, string>> {
  let session = sessions.get(base);
  if (!session) {
    session = (async () => {
      const response = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: PROCESS_ADMIN_PASSWORD }),
      });
      if (!response.ok)
        throw new Error(`sign-in as admin failed: ${response.status} ${await response.text()}`);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith('dailies_session='))!;
      const { user } = (await response.json()) as { user: { csrfToken: string } };
      return { cookie: cookie.split(';')[0], 'x-dailies-csrf': user.csrfToken };
    })();
    sessions.set(base, session);
    session.catch(() => sessions.delete(base));
  }
  return session;
}

/** A personal API token of `admin` on that server, for clients that send their own requests (tus, raw http). */
/** Waits until a job is done or failed (never stuck running) and returns it. */
export function jobSettled(server: ServerProcess, jobId: string, timeout = 120_000): Promise<any> {
  return until(
    async () => {
      const job = await call(server.url, 'GET', `/api/jobs/${jobId}`);
      return job.state === 'done' || job.state === 'failed' ? job : null;
    },
    { timeout, interval: 100, what: `job ${jobId} to finish` },
  );
}

export async function adminToken(base: string): Promise<string> {
  const response = await fetch(`${base}/api/tokens`, {
    method: 'POST',
    headers: { ...(await adminSession(base)), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'test', password: PROCESS_ADMIN_PASSWORD }),
  });
  if (!response.ok) throw new Error(`token for admin failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

/** fetch + JSON as `admin`, throwing on a non-2xx answer with the server's message. */
export async function call<T = any>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...(await adminSession(base)), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}
