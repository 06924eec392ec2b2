import { isAbsolute, normalize, relative } from 'node:path';
import type { VolumeConfig } from '../../config.js';
import { bucketNameProblem } from '../../lib/bucket-name.js';
import { forbiddenAddressProblem } from '../../lib/endpoint-address.js';
import { Invalid } from '../../lib/errors.js';
import type { LakeSettings } from '../../ports/settings.js';

/** The lake as a person typed it on the settings page (or sent it to PUT /api/settings). */
export type LakeInput =
  | { kind: 'fs'; path: string }
  | {
      kind: 's3';
      bucket: string;
      prefix?: string;
      region?: string;
      endpoint?: string;
      forcePathStyle?: boolean;
      /** '' drops saved keys (the server's own credentials are used). */
      accessKeyId?: string;
      /** Absent or '': the secret in use is kept. */
      secretAccessKey?: string;
    };

export interface VolumeInput {
  id: string;
  name?: string;
  path: string;
  displayPath?: string;
  groups?: string[];
}

/** Every refusal names the field, so the page shows the message beside it. */
const invalid = (field: string, message: string) => new Invalid(message, { field });

/**
 * The lake settings the input names, with stray spaces trimmed and every rule checked.
 * `current` gives the S3 connection details the input leaves out (the secret is never re-typed).
 */
export function normalizeLake(
  input: LakeInput,
  current: Extract<LakeSettings, { kind: 's3' }>,
): LakeSettings {
  if (input.kind === 'fs') {
    const path = input.path.trim();
    if (path === '') throw invalid('lake.path', 'Give the directory the lake lives in.');
    if (!isAbsolute(path))
      throw invalid('lake.path', `"${path}" is not an absolute path: give the whole path, e.g. /srv/lake.`);
    return { kind: 'fs', path: normalize(path).replace(/(.)\/+$/, '$1') };
  }
  const bucket = input.bucket.trim();
  if (bucket === '') throw invalid('lake.bucket', 'Give the name of the bucket.');
  const problem = bucketNameProblem(bucket);
  if (problem) throw invalid('lake.bucket', `"${bucket}" is not a valid bucket name: ${problem}.`);
  const prefix = (input.prefix ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (prefix.split('/').some((s) => s === '.' || s === '..' || (prefix !== '' && s === '')))
    throw invalid('lake.prefix', `The prefix "${prefix}" has an empty, "." or ".." folder.`);
  const endpoint = input.endpoint === undefined ? current.endpoint : input.endpoint.trim() || undefined;
  if (endpoint !== undefined) {
    let url: URL | null = null;
    try {
      url = new URL(endpoint);
    } catch {}
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw invalid('lake.endpoint', `"${endpoint}" is not an http:// or https:// address.`);
    // URL has already turned 0xA9FEA9FE, 2852039166 and 169.254.43518 into 169.254.169.254.
    const problem = forbiddenAddressProblem(url.hostname);
    if (problem) throw invalid('lake.endpoint', `The S3 endpoint may not be ${problem}.`);
  }
  const region = (input.region ?? '').trim() || current.region;
  if (!/^[a-z0-9-]{1,64}$/i.test(region))
    throw invalid('lake.region', `"${region}" is not a region name, such as us-east-1.`);
  const typedKey = input.accessKeyId?.trim();
  const accessKeyId = typedKey === undefined ? current.accessKeyId : typedKey || undefined;
  const typedSecret = input.secretAccessKey?.trim();
  // A new key id without its secret would pair it with the old key's secret.
  if (typedKey && typedKey !== current.accessKeyId && !typedSecret)
    throw invalid(
      'lake.secretAccessKey',
      'Give the secret access key that belongs to the new access key id.',
    );
  const secretAccessKey = accessKeyId ? typedSecret || current.secretAccessKey : undefined;
  return {
    kind: 's3',
    bucket,
    prefix,
    region,
    endpoint,
    forcePathStyle: input.forcePathStyle ?? current.forcePathStyle,
    accessKeyId,
    secretAccessKey,
  };
}

const VOLUME_ID = /^[a-z0-9][a-z0-9_-]{0,62}$/;

/** Volumes with names and paths trimmed; ids unique and well formed, paths absolute. */
export function normalizeVolumes(input: VolumeInput[]): VolumeConfig[] {
  const seen = new Set<string>();
  return input.map((v, i) => {
    const field = (name: string) => `volumes.${i}.${name}`;
    const id = v.id.trim();
    if (!VOLUME_ID.test(id))
      throw invalid(
        field('id'),
        `The volume id "${id}" must be 1 to 63 lower-case letters, digits, "-" or "_", beginning with a letter or digit.`,
      );
    if (seen.has(id)) throw invalid(field('id'), `Two volumes have the id "${id}"; each needs its own.`);
    seen.add(id);
    const path = v.path.trim();
    if (!isAbsolute(path))
      throw invalid(
        field('path'),
        `The mount path "${path}" of volume "${id}" must be an absolute path on the server.`,
      );
    const name = (v.name ?? '').trim() || id;
    const displayPath = (v.displayPath ?? '').trim() || path;
    const groups = [...new Set((v.groups ?? ['editors']).map((g) => g.trim()).filter(Boolean))].sort();
    return { id, name, path: normalize(path).replace(/(.)\/+$/, '$1'), displayPath, groups };
  });
}

/** A place on the server the lake or a volume must stay clear of (the catalog, the server secret). */
export interface ReservedPath {
  path: string;
  /** What it is, for the message: "the catalog file". */
  what: string;
  /** A directory nothing may lie inside either. */
  inside?: boolean;
}

/**
 * Refuses a lake or volume directory that holds one of Dailies' own files, or lies inside its
 * derivative store or work directory: files there would become downloadable assets, or be
 * moved and deleted as if they were media.
 */
export function requireClear(path: string, reserved: ReservedPath[], field: string): void {
  for (const r of reserved) {
    const within = (inner: string, outer: string) => {
      const rel = relative(outer, inner);
      return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
    };
    if (within(r.path, path) || (r.inside && within(path, r.path)))
      throw invalid(field, `${path} cannot be used: it overlaps ${r.what} (${r.path}).`);
  }
}
