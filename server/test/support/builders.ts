import { Readable } from 'node:stream';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import type { TestDailies } from './harness.js';

/** Imports bytes as an asset through the real import path (lake write, checksums, index). */
export function importFile(t: TestDailies, folder: string, name: string, content: string | Buffer) {
  return t.dailies.imports.importStream(SYSTEM_ACTOR, folder, name, Readable.from([Buffer.from(content)]));
}
