import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDailies, type Dailies, startBackground, type WiringOptions } from '../../src/wiring.js';
import { testDatabaseUrl } from './services.js';

export type CatalogKind = 'sqlite' | 'postgres';
export const CATALOGS: CatalogKind[] = ['sqlite', 'postgres'];

export interface TestDailies {
  dailies: Dailies;
  app: FastifyInstance;
  dataDir: string;
  config: Config;
  /** JSON request through app.inject; returns status and parsed body. */
  api<T = any>(
    method: string,
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; headers: Record<string, unknown> }>;
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
      ...options.config,
    },
  );
  const dailies = await createDailies(config, { jobBackoffMs: 50, ...options.wiring });
  const app = await buildApp(dailies);
  const stopBackground = options.background === false ? async () => {} : await startBackground(dailies);
  return {
    dailies,
    app,
    dataDir,
    config,
    async api(method, url, body, headers) {
      const response = await app.inject({ method: method as never, url, payload: body as never, headers });
      const text = response.body;
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON (downloads, metrics)
      }
      return { status: response.statusCode, body: parsed as never, headers: response.headers };
    },
    async close() {
      await app.close();
      await stopBackground();
      await dailies.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Polls a job until it is done or failed. */
export async function waitForJob(t: TestDailies, jobId: string, timeoutMs = 30_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { body } = await t.api('GET', `/api/jobs/${jobId}`);
    if (body?.state === 'done' || body?.state === 'failed') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`);
}
