/**
 * Uploads through tus (`/api/uploads`): many files at once, a few in flight, each resumable.
 * tus-js-client remembers every unfinished upload in localStorage by fingerprint, so after a
 * reload or a dropped connection the same file, chosen again, continues where it stopped.
 *
 * A name already taken in its folder is a question, not a failure: the file waits (`duplicate`)
 * until the person chooses keep both (Dailies names it `name (2).ext`), skip, or cancel; the
 * choice holds for the rest of the batch (the files queued together).
 */
import { useSyncExternalStore } from 'react';
import type { DetailedError, Upload } from 'tus-js-client';
import { requestHeaders } from '../../../lib/api-client';
import { joinPath } from '../../../lib/paths';

/** The tus client loads with the first upload: most visits upload nothing. */
const loadTus = () => import('tus-js-client');

export const UPLOAD_ENDPOINT = '/api/uploads';
const PARALLEL = 3;
const CHUNK = 64 * 1024 * 1024;

export type UploadState =
  | 'queued'
  | 'uploading'
  | 'done'
  | 'failed'
  | 'cancelled'
  /** The name is taken: waiting for keep both, skip or cancel. */
  | 'duplicate'
  | 'skipped';

/** What to do with a file whose name is taken in its folder. */
export type DuplicateChoice = 'keep-both' | 'skip' | 'cancel';

export interface UploadItem {
  id: number;
  name: string;
  /** The folder the file lands in (a dropped folder's structure is kept below the target). */
  folder: string;
  size: number;
  sent: number;
  state: UploadState;
  /** Bytes already on the server when this upload resumed a previous one. */
  resumedFrom: number;
  error?: string;
  /** The files queued together: a duplicate-name choice holds for all of them. */
  batch: number;
  /** Uploaded with "keep both": Dailies picks a free name if this one is taken. */
  keepBoth?: boolean;
  /**
   * Every byte is in and the server is publishing it in the lake (a large file on S3 is
   * copied to its place after the last answer); its clip appears when that is done.
   */
  publishing?: boolean;
}

interface Entry {
  item: UploadItem;
  file: File;
  upload?: Upload;
}

export interface FileWithPath {
  file: File;
  /** `Card A/CLIP/A001.mov` for a file inside a dropped folder; the name alone otherwise. */
  relativePath: string;
}

let entries: Entry[] = [];
let snapshot: UploadItem[] = [];
let nextId = 1;
let nextBatch = 1;
/** Each batch's duplicate-name choice, once made. */
const batchChoices = new Map<number, DuplicateChoice>();
const listeners = new Set<() => void>();
const finishedListeners = new Set<(item: UploadItem) => void>();

function emit() {
  snapshot = entries.map((e) => e.item);
  for (const listener of listeners) listener();
}

function patch(entry: Entry, change: Partial<UploadItem>) {
  entry.item = { ...entry.item, ...change };
  emit();
}

/** Queues files for upload into `folder`; a file from a dropped folder goes to the matching sub-folder. */
export function enqueueUploads(files: FileWithPath[], folder: string) {
  const batch = nextBatch++;
  for (const { file, relativePath } of files) {
    const dirs = relativePath.split('/').slice(0, -1).filter(Boolean);
    const target = dirs.reduce((path, dir) => joinPath(path, dir), folder);
    entries.push({
      file,
      item: {
        id: nextId++,
        name: file.name,
        folder: target,
        size: file.size,
        sent: 0,
        state: 'queued',
        resumedFrom: 0,
        batch,
      },
    });
  }
  emit();
  pump();
}

function pump() {
  const running = entries.filter((e) => e.item.state === 'uploading').length;
  const waiting = entries.filter((e) => e.item.state === 'queued');
  for (const entry of waiting.slice(0, Math.max(0, PARALLEL - running))) void start(entry);
}

async function start(entry: Entry) {
  patch(entry, { state: 'uploading', error: undefined });
  const { file, item } = entry;
  let tus: Awaited<ReturnType<typeof loadTus>>;
  try {
    tus = await loadTus();
  } catch (error) {
    patch(entry, { state: 'failed', error: `The upload could not start: ${(error as Error).message}` });
    return;
  }
  // Cancelled while the client loaded.
  if (entry.item.state !== 'uploading') return;
  const upload = new tus.Upload(file, {
    endpoint: UPLOAD_ENDPOINT,
    chunkSize: CHUNK,
    retryDelays: [0, 1000, 3000, 5000, 10000],
    metadata: {
      filename: file.name,
      folder: item.folder,
      filetype: file.type || 'application/octet-stream',
      ...(item.keepBoth ? { duplicate: 'keep-both' } : {}),
    },
    headers: requestHeaders(),
    storeFingerprintForResuming: true,
    removeFingerprintOnSuccess: true,
    fingerprint: async () =>
      [
        'dailies',
        item.folder,
        file.name,
        file.size,
        file.lastModified,
        window.location.origin,
        ...(item.keepBoth ? ['keep-both'] : []),
      ].join('|'),
    onProgress: (sent, total) => patch(entry, { sent, size: total }),
    onSuccess: ({ lastResponse }) => {
      const publishing = lastResponse.getHeader('Dailies-Upload-State') === 'publishing';
      patch(entry, { state: 'done', sent: item.size, publishing });
      for (const listener of finishedListeners) listener(entry.item);
      pump();
    },
    onError: (error) => {
      if (entry.item.state === 'cancelled') return;
      if (nameTaken(error)) onNameTaken(entry);
      else patch(entry, { state: 'failed', error: uploadErrorMessage(error) });
      pump();
    },
    onShouldRetry: (error) => {
      const status = error.originalResponse?.getStatus() ?? 0;
      // A taken name is a question for the person, not something time heals.
      if (nameTaken(error)) return false;
      // Client errors (forbidden, conflict, too large) will not heal by retrying.
      return status === 0 || status === 409 || status === 423 || status >= 500;
    },
  });
  entry.upload = upload;
  try {
    const previous = await upload.findPreviousUploads();
    if (previous.length > 0) {
      upload.resumeFromPreviousUpload(previous[0]);
      patch(entry, { resumedFrom: -1 });
    }
  } catch {
    // No stored uploads (private mode): start afresh.
  }
  if (entry.item.state !== 'uploading') return;
  upload.start();
}

/** The server's answer to a name already taken in the folder (409, reason `name_taken`). */
function nameTaken(error: Error | DetailedError): boolean {
  const response = (error as DetailedError).originalResponse;
  if (response?.getStatus() !== 409) return false;
  try {
    return (
      (JSON.parse(response.getBody()) as { details?: { reason?: string } }).details?.reason === 'name_taken'
    );
  } catch {
    return false;
  }
}

function onNameTaken(entry: Entry) {
  const choice = batchChoices.get(entry.item.batch);
  if (choice) applyChoice(entry, choice);
  else patch(entry, { state: 'duplicate', error: undefined });
}

function applyChoice(entry: Entry, choice: DuplicateChoice) {
  if (choice === 'keep-both') patch(entry, { state: 'queued', keepBoth: true, sent: 0 });
  else if (choice === 'skip') patch(entry, { state: 'skipped' });
  else cancelUpload(entry.item.id);
}

/**
 * The person's answer to a taken name: it applies to every file of the batch waiting on one now
 * and to those that meet one later. Cancel stops the whole batch.
 */
export function answerDuplicate(batch: number, choice: DuplicateChoice) {
  batchChoices.set(batch, choice);
  for (const entry of entries) {
    if (entry.item.batch !== batch) continue;
    if (entry.item.state === 'duplicate') applyChoice(entry, choice);
    else if (choice === 'cancel' && (entry.item.state === 'queued' || entry.item.state === 'uploading'))
      cancelUpload(entry.item.id);
  }
  pump();
}

function uploadErrorMessage(error: Error | DetailedError): string {
  const body = (error as DetailedError).originalResponse?.getBody();
  if (body) {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return parsed.message;
    } catch {
      return body.slice(0, 200);
    }
  }
  return error.message.split('\n')[0];
}

/** Stops an upload and tells the server to drop what it received. */
export function cancelUpload(id: number) {
  const entry = entries.find((e) => e.item.id === id);
  if (!entry || entry.item.state === 'done' || entry.item.state === 'skipped') return;
  const wasRunning = entry.item.state === 'uploading';
  patch(entry, { state: 'cancelled' });
  if (wasRunning && entry.upload) void entry.upload.abort(true).catch(() => {});
  pump();
}

export function cancelAllUploads() {
  for (const entry of entries)
    if (entry.item.state === 'queued' || entry.item.state === 'uploading' || entry.item.state === 'duplicate')
      cancelUpload(entry.item.id);
}

export function retryUpload(id: number) {
  const entry = entries.find((e) => e.item.id === id);
  if (entry?.item.state !== 'failed') return;
  patch(entry, { state: 'queued', error: undefined });
  pump();
}

/** Removes finished, failed and cancelled rows from the list. */
export function clearFinishedUploads() {
  entries = entries.filter(
    (e) => e.item.state === 'queued' || e.item.state === 'uploading' || e.item.state === 'duplicate',
  );
  emit();
}

export function onUploadFinished(listener: (item: UploadItem) => void): () => void {
  finishedListeners.add(listener);
  return () => finishedListeners.delete(listener);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function useUploads(): UploadItem[] {
  return useSyncExternalStore(subscribe, () => snapshot);
}

export interface InterruptedUpload {
  name: string;
  folder: string;
  size: number | null;
  key: string;
}

/** Uploads a previous page left unfinished; choosing the same file again resumes each. */
export async function interruptedUploads(): Promise<InterruptedUpload[]> {
  try {
    const tus = await loadTus();
    const all = await tus.defaultOptions.urlStorage.findAllUploads();
    return all.map((u) => ({
      name: u.metadata.filename ?? 'file',
      folder: u.metadata.folder ?? '/',
      size: u.size,
      key: u.urlStorageKey,
    }));
  } catch {
    return [];
  }
}

export async function forgetInterruptedUpload(key: string) {
  const tus = await loadTus();
  await tus.defaultOptions.urlStorage.removeUpload(key);
}
