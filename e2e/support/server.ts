import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { Argon2PasswordHasher } from '../../server/src/adapters/crypto/argon2-password-hasher.js';
import { buildApp } from '../../server/src/app.js';
import { type Config, loadConfig } from '../../server/src/config.js';
import { SYSTEM_ACTOR } from '../../server/src/features/access/actor.js';
import { createDailies, type Dailies, startBackground } from '../../server/src/wiring.js';

export const WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** The first admin's password on every e2e server, unless a test asks for a generated one. */
export const ADMIN_PASSWORD = 'e2e-admin-password';

export interface RunningServer {
  url: string;
  dailies: Dailies;
  app: FastifyInstance;
  dataDir: string;
  lakeDir: string;
  /** The first admin's password: generated (and to be changed at first sign-in) when asked for. */
  adminPassword: string;
  /** A JSON request through app.inject, signed in as `admin`. */
  api<T = any>(method: string, url: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Writes files straight into the lake (as another tool would) and re-indexes it; `key/` makes an empty folder. */
  seed(files: Record<string, string | Buffer>): Promise<void>;
  /** The server stops answering (connections refused, open ones cut) until `listenAgain`. */
  stopListening(): Promise<void>;
  /** Answers again on the same address. */
  listenAgain(): Promise<void>;
  close(): Promise<void>;
}

/** A real Dailies on an ephemeral port with a fresh data dir: SQLite catalog, fs lake, in-process workers. */
export async function startServer(
  overrides: Partial<Config> = {},
  options: { generatedAdminPassword?: boolean } = {},
): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dailies-e2e-'));
  const config = loadConfig(
    {},
    {
      dataDir,
      host: '127.0.0.1',
      port: 0,
      webDir: WEB_DIR,
      reconcileInterval: 0,
      watchLake: false,
      logLevel: 'warn',
      adminPassword: options.generatedAdminPassword ? undefined : ADMIN_PASSWORD,
      ...overrides,
    },
  );
  let adminPassword = ADMIN_PASSWORD;
  const dailies = await createDailies(config, {
    jobBackoffMs: 200,
    // Still argon2id, at a cost the tests can afford.
    passwordHasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
    onFirstAdminPassword: (password) => {
      adminPassword = password;
    },
  });
  const app = await buildApp(dailies);
  const stopBackground = await startBackground(dailies);
  // Let the start-up reconcile finish, so a seed's own reconcile sees the files it wrote.
  await dailies.indexing.reconcile();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const lakeDir = config.lake;

  let adminSession: Record<string, string> | null = null;
  const signInAdmin = async () => {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: adminPassword },
    });
    if (login.statusCode !== 200) throw new Error(`admin sign-in failed: ${login.body}`);
    return {
      cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
      'x-dailies-csrf': login.json().user.csrfToken as string,
    };
  };

  return {
    url: `http://127.0.0.1:${port}`,
    dailies,
    app,
    dataDir,
    lakeDir,
    get adminPassword() {
      return adminPassword;
    },
    async api(method, url, body) {
      adminSession ??= await signInAdmin();
      const reply = await app.inject({
        method: method as never,
        url,
        payload: body as never,
        headers: adminSession,
      });
      return { status: reply.statusCode, body: (reply.body ? reply.json() : undefined) as never };
    },
    async seed(files) {
      for (const [key, content] of Object.entries(files)) {
        if (key.endsWith('/')) continue;
        const file = join(lakeDir, key);
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
      await dailies.indexing.reconcile();
      // An empty folder is not an object in the lake: make it as the UI would.
      for (const key of Object.keys(files).filter((k) => k.endsWith('/'))) {
        await dailies.folders.ensure(SYSTEM_ACTOR, `/${key.slice(0, -1)}`);
      }
    },
    async stopListening() {
      const closed = new Promise<void>((resolve) => app.server.close(() => resolve()));
      app.server.closeAllConnections();
      await closed;
    },
    async listenAgain() {
      await new Promise<void>((resolve, reject) => {
        app.server.once('error', reject);
        app.server.listen(port, '127.0.0.1', () => {
          app.server.off('error', reject);
          resolve();
        });
      });
    },
    async close() {
      await app.close();
      await stopBackground();
      await dailies.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
