import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { StorageError } from '../../lib/errors.js';

/** How to reach an S3-compatible endpoint. Anything left out falls back to the AWS SDK defaults. */
export interface S3ConnectionOptions {
  /** e.g. `http://127.0.0.1:9000`; absent for AWS itself. */
  endpoint?: string;
  region?: string;
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (MinIO, Ceph, Swift). */
  forcePathStyle?: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
  sessionToken?: string;
  /** Attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
  /** Milliseconds to wait for a TCP connection. */
  connectionTimeoutMs?: number;
  /** Milliseconds a socket may stay idle during a request; unset means no limit (large reads stream). */
  requestTimeoutMs?: number;
}

const DEFAULT_CONNECTION_TIMEOUT_MS = 10_000;

export function createS3Client(options: S3ConnectionOptions): S3Client {
  return withStoreCompat(new S3Client(s3ClientConfig(options)));
}

/** The SDK configuration for an endpoint (also given to libraries that build their own client, like tus). */
export function s3ClientConfig(options: S3ConnectionOptions): S3ClientConfig {
  const credentials =
    options.accessKeyId && options.secretAccessKey
      ? {
          accessKeyId: options.accessKeyId,
          secretAccessKey: options.secretAccessKey,
          sessionToken: options.sessionToken,
        }
      : undefined;
  return {
    endpoint: options.endpoint,
    // A custom endpoint rarely has a region of its own; SigV4 still needs one.
    region: options.region ?? (options.endpoint ? 'us-east-1' : undefined),
    forcePathStyle: options.forcePathStyle ?? false,
    credentials,
    maxAttempts: options.maxAttempts,
    // Newer SDKs add CRC checksums to every upload, which S3-compatible stores reject and
    // which break streamed uploads of unknown length.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? DEFAULT_CONNECTION_TIMEOUT_MS,
      requestTimeout: options.requestTimeoutMs,
      httpsAgent: httpsAgentOptions(options.endpoint),
    },
  };
}

/** What S3-compatible stores need beyond the SDK defaults; returns the client. */
export function withStoreCompat<T extends S3Client>(client: T): T {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === 'DeleteObjectsCommand') addContentMd5(args.request);
      return next(args);
    },
    { step: 'build', priority: 'low', name: 'dailiesDeleteObjectsContentMd5' },
  );
  return client;
}

/**
 * The JavaScript SDK ignores AWS_CA_BUNDLE (the CLI, boto and rclone read it), so a plain-http
 * endpoint works whatever it holds. For an https endpoint it is honoured here like the CLI
 * does, on top of Node's own roots, so a private CA set up for the other tools works too.
 */
function httpsAgentOptions(endpoint: string | undefined): { ca: string[] } | undefined {
  const bundle = process.env.AWS_CA_BUNDLE;
  if (!bundle || !endpoint?.startsWith('https:')) return undefined;
  try {
    return { ca: [...rootCertificates, readFileSync(bundle, 'utf8')] };
  } catch (error) {
    throw new StorageError(
      `AWS_CA_BUNDLE names ${bundle}, which cannot be read: ${(error as Error).message}`,
      error,
    );
  }
}

/**
 * Multi-object delete must carry an integrity header. The SDK sends a CRC32 checksum, which
 * older S3-compatible stores (Swift s3api, older MinIO) do not know; they want Content-MD5.
 */
function addContentMd5(request: unknown): void {
  const http = request as { body?: unknown; headers?: Record<string, string> };
  if (!http.headers || (typeof http.body !== 'string' && !(http.body instanceof Uint8Array))) return;
  http.headers['content-md5'] = createHash('md5').update(http.body).digest('base64');
}
