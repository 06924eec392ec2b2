import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { Argon2PasswordHasher } from '../../src/adapters/crypto/argon2-password-hasher.js';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDailies, type Dailies, startBackground, type WiringOptions } from '../../src/wiring.js';
import { type Client, signIn } from '../auth/support.js';
import { until, untilSettled } from './poll.js';
import { testDatabaseUrl } from './services.js';

/** The first admin's password in every test server; `api()` calls act as that admin. */
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export type CatalogKind = 'sqlite' | 'postgres';
export const CATALOGS: CatalogKind[] = ['sqlite', 'postgres'];

export interface TestDailies {
  dailies: Dailies;
  app: FastifyInstance;
  dataDir: string;
  config: Config;
  /** JSON request through app.inject, signed in as `admin` unless `headers` bring other credentials. */
  api<T = any>(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
  /** A GET's bytes as sent (a proxy, a waveform, a download), signed in as `admin`. */
  bytes(url: string): Promise<{ status: number; body: Buffer; headers: Record<string, unknown> }>;
  close(): Promise<void>;
}

/**
 * A whole Dailies on real parts: a temporary data dir, an fs lake (unless `config.lake`
 * says otherwise), and SQLite or a fresh PostgreSQL database.
 */
export async function startDailies(
  options: {
    catalog?: CatalogKind;
    config?: Partial<Config>;
    wiring?: WiringOptions;
    background?: boolean;
  } = {},
): Promise<TestDailies> {
  const dataDir = await mkdtemp(join(tmpdir(), 'dailies-test-'));
  const databaseUrl = options.catalog === 'postgres' ? await testDatabaseUrl() : undefined;
  const config = loadConfig(
    {},
    {
      dataDir,
      databaseUrl,
      watchLake: false,
      reconcileInterval: 0,
      inProcessWorkers: true,
      secret: 'test-secret',
      adminPassword: TEST_ADMIN_PASSWORD,
      // Expected failures (hostile media, killed jobs) would fill the test output with stacks.
      logLevel: (process.env.DAILIES_TEST_LOG_LEVEL as Config['logLevel'] | undefined) ?? 'silent',
      ...options.config,
    },
  );
  const dailies = await createDailies(config, {
    jobBackoffMs: 50,
    // Still argon2id, at a cost tests can afford.
    passwordHasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
    onFirstAdminPassword: () => {},
    ...options.wiring,
  });
  const app = await buildApp(dailies);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: config.adminPassword },
  });
  const adminSession = {
    cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
    'x-dailies-csrf': login.json().user?.csrfToken as string,
  };
  const stopBackground = options.background === false ? async () => {} : await startBackground(dailies);
  return {
    dailies,
    app,
    dataDir,
    config,
    async api(method, url, body, headers) {
      const own =
        headers && Object.keys(headers).some((h) => ['authorization', 'cookie'].includes(h.toLowerCase()));
      const response = await app.inject({
        method: method as never,
        url,
        payload: body as never,
        headers: own ? headers : { ...adminSession, ...headers },
      });
      const text = response.body;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (downloads, metrics)
      }
      return { status: response.statusCode, body: parsed as never, headers: response.headers };
    },
    async bytes(url) {
      const response = await app.inject({ url, headers: adminSession });
      return { status: response.statusCode, body: response.rawPayload, headers: response.headers };
    },
    async close() {
      await app.close();
      await stopBackground();
      await dailies.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** `startDailies` for the tests of one block: each server is closed after the test that started it. */
export function dailiesPerTest(): (options?: Parameters<typeof startDailies>[0]) => Promise<TestDailies> {
  const started: TestDailies[] = [];
  afterEach(async () => {
    for (const t of started.splice(0)) await t.close();
  });
  return async (options) => {
    const t = await startDailies(options);
    started.push(t);
    return t;
  };
}

/** The asset as the API shows it once its processing has settled and no job is left to run. */
export async function settledAsset(t: TestDailies, id: string, timeoutMs: number): Promise<any> {
  await untilSettled(async () => (await t.api('GET', `/api/assets/${id}`)).body, timeoutMs);
  await t.dailies.jobs.drain(timeoutMs);
  return (await t.api('GET', `/api/assets/${id}`)).body;
}

/** Polls a job until it is done or failed. */
export async function waitForJob(t: TestDailies, jobId: string, timeoutMs = 30_000): Promise<any> {
  return until(
    async () => {
      const { body } = await t.api('GET', `/api/jobs/${jobId}`);
      return body?.state === 'done' || body?.state === 'failed' ? body : null;
    },
    { timeout: timeoutMs, interval: 50, what: `job ${jobId} to finish` },
  );
}

/** The first admin signed in through the API: the client the tests that act as several people start from. */
export function signInAdmin(t: TestDailies): Promise<Client> {
  return signIn(t.app, 'admin', TEST_ADMIN_PASSWORD);
}
