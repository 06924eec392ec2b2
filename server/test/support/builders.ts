import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { TestDailies } from './harness.js';
import { untilSettled } from './poll.js';

/** Imports bytes as an asset through the real import path (lake write, checksums, index). */
export function importFile(t: TestDailies, folder: string, name: string, content: string | Buffer) {
  return t.dailies.imports.importStream(SYSTEM_ACTOR, folder, name, Readable.from([Buffer.from(content)]));
}

/** Imports the file at `path` (a media fixture) as `folder/name`, streamed as an upload is. */
export async function importFromDisk(
  t: TestDailies,
  folder: string,
  name: string,
  path: string | Promise<string>,
) {
  return t.dailies.imports.importStream(SYSTEM_ACTOR, folder, name, createReadStream(await path));
}

/** Imports the file at `path` as `folder/name` and waits until the API shows its processing settled. */
export async function importSettled(
  t: TestDailies,
  folder: string,
  name: string,
  path: string,
  timeoutMs: number,
): Promise<any> {
  const imported = await importFromDisk(t, folder, name, path);
  return untilSettled(async () => (await t.api('GET', `/api/assets/${imported.id}`)).body, timeoutMs);
}
