import { AppError, Conflict, NotFound, RangeNotSatisfiable, StorageError } from '../../lib/errors.js';

interface SdkError {
  name?: string;
  code?: string;
  message?: string;
  errors?: SdkError[];
  $metadata?: { httpStatusCode?: number };
}

/** Socket-level failures: the endpoint is down, unknown or not answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'TimeoutError',
  'RequestTimeout',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'SignatureDoesNotMatch',
  'InvalidAccessKeyId',
  'InvalidToken',
  'ExpiredToken',
  'Forbidden',
]);

export function statusOf(error: unknown): number | undefined {
  return (error as SdkError)?.$metadata?.httpStatusCode;
}

export function isMissingKey(error: unknown): boolean {
  const name = (error as SdkError)?.name;
  // HeadObject has no body to name the error, so a missing key is a bare `NotFound`.
  return name === 'NoSuchKey' || name === 'NotFound';
}

/** A multipart upload that was completed or aborted (some stores answer NoSuchKey for it). */
export function isMissingUpload(error: unknown): boolean {
  const name = (error as SdkError)?.name;
  return name === 'NoSuchUpload' || name === 'NoSuchKey';
}

export function isNotImplemented(error: unknown): boolean {
  return (error as SdkError)?.name === 'NotImplemented' || statusOf(error) === 501;
}

export function isPreconditionFailed(error: unknown): boolean {
  const name = (error as SdkError)?.name;
  return name === 'PreconditionFailed' || name === 'ConditionalRequestConflict' || statusOf(error) === 412;
}

function networkCode(error: unknown): string | undefined {
  const e = error as SdkError;
  for (const candidate of [e?.code, e?.name, ...(e?.errors ?? []).map((inner) => inner?.code)]) {
    if (candidate && NETWORK_CODES.has(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Turns whatever the SDK threw into one of the app's errors, with a message a person can act
 * on. `where` names the store (`s3://bucket/prefix at http://host`), `doing` the operation.
 */
export function toStoreError(error: unknown, where: string, doing: string, key?: string): AppError {
  if (error instanceof AppError) return error;
  const e = error as SdkError;
  const name = e?.name ?? 'Error';
  const status = statusOf(error);
  const network = networkCode(error);
  if (network) {
    return new StorageError(
      `The S3 endpoint for ${where} is unreachable (${network}): could not ${doing}.`,
      error,
    );
  }
  if (name === 'NoSuchBucket') return new StorageError(`The bucket of ${where} does not exist.`, error);
  if (key !== undefined && isMissingKey(error)) return new NotFound(`"${key}" is not in the store.`);
  if (isPreconditionFailed(error) && key !== undefined) return new Conflict(`"${key}" already exists.`);
  if (name === 'InvalidRange' || status === 416)
    return new RangeNotSatisfiable(`The range asked for lies past the end of "${key ?? 'the object'}".`);
  if (ACCESS_DENIED.has(name) || status === 403) {
    const why = ACCESS_DENIED.has(name) && name !== 'Forbidden' ? ` (${name})` : '';
    return new StorageError(
      `Access to ${where} was denied${why}: check the access key, the secret and the permissions.`,
      error,
    );
  }
  if (name === 'Region is missing' || /region is missing/i.test(e?.message ?? '')) {
    return new StorageError(`No S3 region is configured for ${where}: set S3_REGION.`, error);
  }
  const detail = e?.message && e.message !== 'UnknownError' ? e.message : `HTTP ${status ?? '?'}`;
  return new StorageError(`S3 failed to ${doing} in ${where}: ${name}: ${detail}`, error);
}
