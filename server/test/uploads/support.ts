import { createHash } from 'node:crypto';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Xxh64 } from '@node-rs/xxhash';
import type { FastifyInstance } from 'fastify';
import { Upload } from 'tus-js-client';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { createDailies, type Dailies, startBackground } from '../../src/wiring.js';

export interface RunningServer {
  url: string;
  dailies: Dailies;
  app: FastifyInstance;
  config: Config;
  stop(): Promise<void>;
}

/** A real Dailies on an ephemeral loopback port: SQLite and an fs lake in a fresh temp dir. */
export async function startServer(
  overrides: Partial<Config> = {},
  options: { background?: boolean } = {},
): Promise<RunningServer> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'dailies-uploads-')));
  const config = loadConfig(
    {},
    { dataDir, port: 0, watchLake: false, reconcileInterval: 0, inProcessWorkers: false, ...overrides },
  );
  const dailies = await createDailies(config);
  const app = await buildApp(dailies);
  const stopBackground = options.background ? await startBackground(dailies) : async () => {};
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    dailies,
    app,
    config,
    stop: async () => {
      await app.close();
      await stopBackground();
      await dailies.close();
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
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
