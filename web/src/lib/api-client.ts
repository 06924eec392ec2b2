/**
 * The one way the web app talks to the server. Paths, bodies, queries and replies are typed
 * from `api-types.ts`, which `npm run gen:api` generates from the server's OpenAPI document.
 */
import type { paths } from './api-types';
import { connectionBack, connectionLost } from './connection';
import { type EarlyAnswer, takeEarlyAnswer } from './early-answers';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Path = keyof paths;
type MethodsOf<P extends Path> = {
  [M in Method]: paths[P][M] extends undefined | never ? never : M;
}[Method];
type Operation<P extends Path, M extends Method> = NonNullable<paths[P][M]>;

type JsonContent<R> = R extends { content: { 'application/json': infer T } } ? T : undefined;
type SuccessStatus = 200 | 201 | 202 | 204;

export type ResponseOf<P extends Path, M extends MethodsOf<P>> =
  Operation<P, M> extends { responses: infer Rs } ? JsonContent<Rs[Extract<keyof Rs, SuccessStatus>]> : never;
export type BodyOf<P extends Path, M extends MethodsOf<P>> =
  Operation<P, M> extends { requestBody?: infer B }
    ? B extends { content: { 'application/json': infer T } }
      ? T
      : never
    : never;
export type QueryOf<P extends Path, M extends MethodsOf<P>> =
  Operation<P, M> extends { parameters: { query?: infer Q } } ? Q : never;
type PathParamsOf<P extends Path, M extends MethodsOf<P>> =
  Operation<P, M> extends { parameters: { path?: infer T } } ? T : never;

/** What the server's error handler sends: `{ error, message, details?, requestId }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
    /** What the server adds, e.g. `{ field: 'lake.bucket' }` naming the field at fault. */
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface RequestOptions<P extends Path, M extends MethodsOf<P>> {
  params?: PathParamsOf<P, M>;
  query?: QueryOf<P, M>;
  body?: BodyOf<P, M>;
  signal?: AbortSignal;
}

type Listener = (error: ApiError) => void;
const errorListeners = new Set<Listener>();

/** Called on every error answer, so the app can react to a session that ended (401) in one place. */
export function onApiError(listener: Listener): () => void {
  errorListeners.add(listener);
  return () => errorListeners.delete(listener);
}

/** Headers every state-changing request carries (the CSRF token once sign-in sets one). */
const extraHeaders = new Map<string, () => string | null>();
export function setRequestHeader(name: string, value: () => string | null): void {
  extraHeaders.set(name, value);
}

/** The extra headers as they stand now, for clients other than `api()` (tus uploads). */
export function requestHeaders(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of extraHeaders) {
    const v = value();
    if (v) out[name] = v;
  }
  return out;
}

export function buildUrl(path: string, params?: unknown, query?: unknown): string {
  let url = path.replace(/\{(\w+)\}/g, (_, name: string) =>
    encodeURIComponent(String((params as Record<string, unknown>)?.[name] ?? '')),
  );
  if (query) {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query as Record<string, unknown>)) {
      if (value === undefined || value === null || value === '') continue;
      if (Array.isArray(value)) for (const v of value) search.append(key, String(v));
      else search.set(key, String(value));
    }
    const text = search.toString();
    if (text) url += `?${text}`;
  }
  return url;
}

export async function api<P extends Path, M extends MethodsOf<P>>(
  method: M,
  path: P,
  options: RequestOptions<P, M> = {},
): Promise<ResponseOf<P, M>> {
  const url = buildUrl(path as string, options.params, options.query);
  const answer = (method === 'get' ? await takeEarlyAnswer(url) : null) ?? (await send(method, url, options));
  const data = answer.text ? safeJson(answer.text) : undefined;
  if (answer.status < 200 || answer.status > 299) {
    const body = (data ?? {}) as { error?: string; message?: string; requestId?: string; details?: unknown };
    const error = new ApiError(
      answer.status,
      body.error ?? 'http_error',
      body.message ?? `The server answered ${answer.status} ${answer.statusText}.`,
      body.requestId,
      body.details,
    );
    // Signing in answers 401 for a wrong password; that is the form's business, not a lost session.
    if (!(path as string).startsWith('/api/auth/')) for (const listener of errorListeners) listener(error);
    throw error;
  }
  return data as ResponseOf<P, M>;
}

/** A status and body, from the server now or from an early request. */
type Answer = EarlyAnswer;

async function send<P extends Path, M extends MethodsOf<P>>(
  method: M,
  url: string,
  options: RequestOptions<P, M>,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'get') Object.assign(headers, requestHeaders());
  let response: Response;
  try {
    response = await fetch(url, {
      method: method.toUpperCase(),
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    connectionLost();
    throw new ApiError(0, 'network', 'The server could not be reached. Check your connection and try again.');
  }
  connectionBack();
  return { status: response.status, statusText: response.statusText, text: await response.text() };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text.slice(0, 200) };
  }
}

export type Asset = ResponseOf<'/api/assets/{id}', 'get'>;
export type AssetPage = ResponseOf<'/api/assets', 'get'>;
export type AssetListQuery = QueryOf<'/api/assets', 'get'>;
export type AssetSort = NonNullable<AssetListQuery['sort']>;
export type SortOrder = NonNullable<AssetListQuery['order']>;
export type Folder = ResponseOf<'/api/folders', 'post'>;
export type FolderListing = ResponseOf<'/api/folders', 'get'>;
export type Job = ResponseOf<'/api/jobs/{id}', 'get'>;
export type DownloadLink = ResponseOf<'/api/assets/download', 'post'>['items'][number];
export type SearchQuery = NonNullable<QueryOf<'/api/search', 'get'>>;
export type SearchPage = ResponseOf<'/api/search', 'get'>;
export type SearchFacets = NonNullable<SearchPage['facets']>;
export type Volume = ResponseOf<'/api/volumes', 'get'>['items'][number];
