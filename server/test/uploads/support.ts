import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Xxh64 } from '@node-rs/xxhash';
import type { FastifyInstance } from 'fastify';
import { Upload } from 'tus-js-client';
import { afterEach } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDailies, type Dailies, startBackground } from '../../src/wiring.js';
import { until } from '../support/poll.js';
import type { ServerProcess } from '../support/server-process.js';

/** Every test server's admin API token, by base URL: requests to it act as `admin`. */
const adminTokens = new Map<string, string>();

/** Requests to `base` (a server this file did not start) act as the token's owner. */
export function actAs(base: string, token: string): void {
  adminTokens.set(base, token);
}

export function adminHeaders(url: string): Record<string, string> {
  const base = [...adminTokens.keys()].find((b) => url.startsWith(`${b}/`));
  return base ? { authorization: `Bearer ${adminTokens.get(base)}` } : {};
}

// The API answers 401 to anonymous calls: raw fetches to a test server carry the admin's
// token unless they bring their own credentials.
const plainFetch = globalThis.fetch;
globalThis.fetch = (input, init) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  const headers = new Headers(init?.headers);
  if (!headers.has('authorization') && !headers.has('cookie')) {
    for (const [name, value] of Object.entries(adminHeaders(url))) headers.set(name, value);
  }
  return plainFetch(input, { ...init, headers });
};

const ADMIN_PASSWORD = 'test-admin-password';

export interface RunningServer {
  url: string;
  dailies: Dailies;
  app: FastifyInstance;
  config: Config;
  /** Stops the server and removes its data dir, unless a restart on the same data is coming. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

/** A real Dailies on an ephemeral loopback port: SQLite and an fs lake in a fresh temp dir. */
export async function startServer(
  overrides: Partial<Config> = {},
  options: { background?: boolean } = {},
): Promise<RunningServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'dailies-uploads-')));
  const config = loadConfig(
    {},
    {
      dataDir,
      port: 0,
      watchLake: false,
      reconcileInterval: 0,
      inProcessWorkers: false,
      adminPassword: ADMIN_PASSWORD,
      ...overrides,
    },
  );
  const dailies = await createDailies(config, { onFirstAdminPassword: () => {} });
  const app = await buildApp(dailies);
  const stopBackground = options.background ? await startBackground(dailies) : async () => {};
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  const url = `http://127.0.0.1:${address.port}`;
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'admin', password: ADMIN_PASSWORD },
  });
  const token = await app.inject({
    method: 'POST',
    url: '/api/tokens',
    headers: {
      cookie: `dailies_session=${login.cookies.find((c) => c.name === 'dailies_session')?.value}`,
      'x-dailies-csrf': login.json().user.csrfToken,
    },
    payload: { name: 'uploads test', password: ADMIN_PASSWORD },
  });
  adminTokens.set(url, token.json().token);
  return {
    url,
    dailies,
    app,
    config,
    stop: async ({ keepData = false } = {}) => {
      adminTokens.delete(url);
      await app.close();
      await stopBackground();
      await dailies.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface UploadResult {
  url: string;
  assetId: string | null;
}

export interface UploadOptions {
  metadata: Record<string, string>;
  chunkSize?: number;
  /** Resume this upload instead of creating one. */
  uploadUrl?: string;
  /** Called with bytes sent; return true to abort the upload there. */
  abortAt?: number;
  retryDelays?: number[];
}

/** Uploads a buffer with tus-js-client. Resolves on success; with `abortAt`, resolves once aborted. */
export function tusUpload(base: string, data: Buffer, options: UploadOptions): Promise<UploadResult> {
  return new Promise((resolve, reject) => {
    let assetId: string | null = null;
    let url: string | null = options.uploadUrl ?? null;
    let aborted = false;
    const upload = new Upload(data, {
      endpoint: `${base}/api/uploads`,
      // tus-js-client takes an explicit undefined over its defaults.
      ...(options.uploadUrl ? { uploadUrl: options.uploadUrl } : {}),
      ...(options.chunkSize ? { chunkSize: options.chunkSize } : {}),
      metadata: options.metadata,
      headers: adminHeaders(`${base}/api/uploads`),
      retryDelays: options.retryDelays ?? [],
      storeFingerprintForResuming: false,
      onUploadUrlAvailable: () => {
        url = upload.url;
      },
      onProgress: (sent) => {
        if (options.abortAt !== undefined && sent >= options.abortAt && !aborted) {
          aborted = true;
          void upload.abort().then(() => resolve({ url: upload.url ?? url ?? '', assetId: null }));
        }
      },
      onAfterResponse: (_request, response) => {
        const id = response.getHeader('Dailies-Asset-Id');
        if (id) assetId = id;
      },
      onSuccess: () => resolve({ url: upload.url ?? url ?? '', assetId }),
      onError: (error) => reject(error),
    });
    upload.start();
  });
}

export function checksumsOf(data: Buffer): { xxh64: string; md5: string } {
  const xxh = new Xxh64();
  xxh.update(data);
  return {
    xxh64: xxh.digest().toString(16).padStart(16, '0'),
    md5: createHash('md5').update(data).digest('hex'),
  };
}

export function encodeMetadata(metadata: Record<string, string>): string {
  return Object.entries(metadata)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** Creates an upload with raw tus HTTP. */
export function createUpload(
  base: string,
  metadata: Record<string, string>,
  length: number,
): Promise<Response> {
  return fetch(`${base}/api/uploads`, {
    method: 'POST',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Length': String(length),
      'Upload-Metadata': encodeMetadata(metadata),
    },
  });
}

/**
 * Servers, server processes and directories a test file starts, stopped and removed after each
 * test: push onto the lists it returns.
 */
export function cleanedUpAfterEach() {
  const running: RunningServer[] = [];
  const processes: ServerProcess[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const p of processes.splice(0)) await p.kill();
    for (const s of running.splice(0)) await s.stop();
    for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
  });
  return { running, processes, dirs };
}

/** One raw tus PATCH: its answer, how long it took, and the headers an upload's end carries. */
export async function patchUpload(base: string, path: string, offset: number, body: Buffer) {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, {
    method: 'PATCH',
    headers: {
      'Tus-Resumable': '1.0.0',
      'Upload-Offset': String(offset),
      'Content-Type': 'application/offset+octet-stream',
    },
    // Node's fetch takes a Buffer; the DOM typing of BodyInit does not list it.
    body: body as unknown as BodyInit,
  });
  const ms = performance.now() - started;
  return {
    status: response.status,
    body: await response.text(),
    ms,
    offset: Number(response.headers.get('upload-offset')),
    assetId: response.headers.get('dailies-asset-id'),
    state: response.headers.get('dailies-upload-state'),
  };
}

/** A raw tus HEAD: where the server says the upload stands. */
export async function headUpload(base: string, path: string) {
  const response = await fetch(`${base}${path}`, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  return { status: response.status, offset: Number(response.headers.get('upload-offset')) };
}

/** Every file under a directory, relative, including Dailies' hidden ones. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

export async function waitFor<T>(
  check: () => Promise<T | null | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  return until(check, { timeout: timeoutMs, interval: 100 }) as Promise<T>;
}
