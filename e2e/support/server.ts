import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/src/app.js';
import { type Config, loadConfig } from '../../server/src/config.js';
import { SYSTEM_ACTOR } from '../../server/src/features/access/actor.js';
import { createDailies, type Dailies, startBackground } from '../../server/src/wiring.js';

export const WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

export interface RunningServer {
  url: string;
  dailies: Dailies;
  app: FastifyInstance;
  dataDir: string;
  lakeDir: string;
  /** A signed-in admin session for the browser (until the e2e suite signs in through the UI). */
  adminCookie: { name: string; value: string; url: string };
  /** Writes files straight into the lake (as another tool would) and re-indexes it; `key/` makes an empty folder. */
  seed(files: Record<string, string | Buffer>): Promise<void>;
  close(): Promise<void>;
}

/** A real Dailies on an ephemeral port with a fresh data dir: SQLite catalog, fs lake, in-process workers. */
export async function startServer(overrides: Partial<Config> = {}): Promise<RunningServer> {
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
      adminPassword: 'e2e-admin-password',
      ...overrides,
    },
  );
  const dailies = await createDailies(config, { jobBackoffMs: 200 });
  const app = await buildApp(dailies);
  const stopBackground = await startBackground(dailies);
  // Let the start-up reconcile finish, so a seed's own reconcile sees the files it wrote.
  await dailies.indexing.reconcile();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const lakeDir = config.lake;
  const url = `http://127.0.0.1:${port}`;
  const admin = (await dailies.catalog.users.getByUsername('admin'))!;
  const { session } = await dailies.auth.startSession(admin, { address: '127.0.0.1' });
  return {
    url,
    adminCookie: { name: 'dailies_session', value: session.token, url },
    dailies,
    app,
    dataDir,
    lakeDir,
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
    async close() {
      await app.close();
      await stopBackground();
      await dailies.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
