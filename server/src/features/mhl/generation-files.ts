import { readFileSync } from 'node:fs';
import type { MhlFileEntry } from '../../lib/mhl/mhl-document.js';
import type { GenerationFile } from '../../lib/mhl/mhl-writer.js';

/**
 * Whether a generation already records exactly these files with these xxh64 values: Dailies
 * then adds no generation (indexing its own generation triggers a verification again, and a
 * second copy of unchanged files says nothing new).
 */
export function sameFiles(recorded: MhlFileEntry[], files: GenerationFile[]): boolean {
  if (recorded.length !== files.length) return false;
  const was = new Map(recorded.map((f) => [f.path, f.values.xxh64?.value]));
  return files.every((f) => was.has(f.path) && was.get(f.path) === f.values.xxh64?.value);
}

let version: string | null = null;

/** Dailies' version, written into each generation's `<tool>`. */
export function toolVersion(): string {
  if (version === null) {
    version = 'unknown';
    // From the sources or from a build: the repository's package.json is a few folders up.
    for (const up of ['../../../../', '../../../', '../../', '../']) {
      try {
        const pkg = JSON.parse(readFileSync(new URL(`${up}package.json`, import.meta.url), 'utf8'));
        if (pkg.name === 'dailies') {
          version = String(pkg.version);
          break;
        }
      } catch {
        // not there: one folder further up
      }
    }
  }
  return version;
}
