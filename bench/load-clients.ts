/**
 * The clients of bench/load.ts: browsing loops (a folder page, /api/me, a search, a thumbnail)
 * and tus uploaders (a creation POST, then PATCHes of a fixed chunk size), all until a deadline.
 * Every answer that is not the expected status, every network error and every request that
 * takes longer than REQUEST_TIMEOUT_MS counts as an error, by kind, with its first message kept.
 */
import { randomBytes } from 'node:crypto';

export const REQUEST_TIMEOUT_MS = 30_000;

export interface Target {
  base: string;
  token: string;
  /** The seeded folder the browsers list. */
  folder: string;
  /** Page size of the folder list. */
  limit: number;
  /** Assets that have a thumbnail; empty: no thumbnail requests. */
  thumbnails: string[];
  /** A person's pause after each answer, ms (0: the next request at once, a closed loop). */
  thinkMs: number;
}

export class Tally {
  readonly latencies = new Map<string, number[]>();
  readonly errors = new Map<string, { count: number; first: string }>();
  uploadedBytes = 0;
  uploadsDone = 0;
  /** Wall time of each completed upload, ms. */
  readonly uploadMs: number[] = [];

  sample(kind: string, ms: number): void {
    const list = this.latencies.get(kind) ?? [];
    list.push(ms);
    this.latencies.set(kind, list);
  }

  error(kind: string, message: string): void {
    const seen = this.errors.get(kind);
    if (seen) seen.count++;
    else this.errors.set(kind, { count: 1, first: message });
  }

  errorCount(): number {
    return [...this.errors.values()].reduce((sum, e) => sum + e.count, 0);
  }
}

/** One timed request; resolves to the response body (drained) or null after counting an error. */
async function timed(
  tally: Tally,
  kind: string,
  url: string,
  init: RequestInit & { expect: number },
): Promise<{ body: ArrayBuffer; headers: Headers } | null> {
  const started = performance.now();
  try {
    const response = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    const body = await response.arrayBuffer();
    const ms = performance.now() - started;
    if (response.status !== init.expect) {
      tally.error(kind, `${response.status} ${Buffer.from(body).toString('utf8').slice(0, 200)}`);
      return null;
    }
    tally.sample(kind, ms);
    return { body, headers: response.headers };
  } catch (error) {
    tally.error(kind, `${(error as Error).name}: ${(error as Error).message}`);
    return null;
  }
}

const SEARCH_WORDS = ['load', 'a0', 'clip', 'bench', 'mov', 'c01'];

/** A person clicking around: one folder page, who am I, a search, a thumbnail; then again. */
export async function browse(target: Target, tally: Tally, deadline: number, seed: number): Promise<void> {
  const headers = { authorization: `Bearer ${target.token}` };
  const folder = encodeURIComponent(target.folder);
  // Between half and one and a half times the pause, so the people do not click in step.
  const think = () =>
    target.thinkMs > 0
      ? new Promise((resolve) => setTimeout(resolve, target.thinkMs * (0.5 + Math.random())))
      : undefined;
  for (let round = seed; performance.now() < deadline; round++) {
    const order = round % 2 ? 'asc' : 'desc';
    const q = SEARCH_WORDS[round % SEARCH_WORDS.length];
    const thumbnail = target.thumbnails[round % Math.max(1, target.thumbnails.length)];
    const steps: Array<[kind: string, path: string]> = [
      ['list', `/api/assets?folder=${folder}&limit=${target.limit}&order=${order}`],
      ['me', '/api/me'],
      ['search', `/api/search?q=${q}&limit=50`],
      ...(thumbnail ? [['thumbnail', `/api/assets/${thumbnail}/thumbnail`] as [string, string]] : []),
    ];
    for (const [kind, path] of steps) {
      if (performance.now() >= deadline) return;
      await timed(tally, kind, `${target.base}${path}`, { headers, expect: 200 });
      await think();
    }
  }
}

export interface UploadPlan {
  folder: string;
  sizeBytes: number;
  chunkBytes: number;
}

/** Uploads files of `sizeBytes` one after another until the deadline; counts every acknowledged byte. */
export async function upload(
  target: Target,
  plan: UploadPlan,
  tally: Tally,
  deadline: number,
  name: string,
): Promise<void> {
  // Random bytes (nothing compresses them), one block shared by every chunk of this uploader.
  const chunk = randomBytes(plan.chunkBytes);
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  for (let n = 0; performance.now() < deadline; n++) {
    const started = performance.now();
    const created = await timed(tally, 'upload create', `${target.base}/api/uploads`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${target.token}`,
        'tus-resumable': '1.0.0',
        'upload-length': String(plan.sizeBytes),
        'upload-metadata': `filename ${b64(`${name}-${n}.bin`)},folder ${b64(plan.folder)}`,
      },
      expect: 201,
    });
    const location = created?.headers.get('location');
    if (!location) {
      await new Promise((resolve) => setTimeout(resolve, 1000)); // counted; try a new upload
      continue;
    }
    const url = new URL(location, target.base).href;
    let offset = 0;
    let failed = false;
    while (offset < plan.sizeBytes && !failed) {
      if (performance.now() >= deadline) return;
      const length = Math.min(plan.chunkBytes, plan.sizeBytes - offset);
      const patched = await timed(tally, 'upload patch', url, {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${target.token}`,
          'tus-resumable': '1.0.0',
          'upload-offset': String(offset),
          'content-type': 'application/offset+octet-stream',
        },
        body: chunk.subarray(0, length),
        expect: 204,
      });
      if (!patched) {
        failed = true; // counted; this upload is given up, the next one starts
        break;
      }
      offset = Number(patched.headers.get('upload-offset'));
      tally.uploadedBytes += length;
    }
    if (failed) continue;
    tally.uploadsDone++;
    tally.uploadMs.push(performance.now() - started);
  }
}
