import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Config } from '../../src/config.js';
import { importFile } from '../support/builders.js';
import type { CatalogKind, TestDailies } from '../support/harness.js';
import { testS3Bucket } from '../support/services.js';

export const EXAMPLES = '/work/shared/reference/ascmhl/examples';

/** Both catalogs and both lakes, paired so each code path runs once without four full runs. */
export const SETUPS: Array<{ catalog: CatalogKind; lake: 'fs' | 's3' }> = [
  { catalog: 'sqlite', lake: 'fs' },
  { catalog: 'postgres', lake: 's3' },
];

export async function lakeConfig(lake: 'fs' | 's3'): Promise<Partial<Config>> {
  if (lake === 'fs') return {};
  const bucket = await testS3Bucket();
  const { endpoint, region, accessKeyId, secretAccessKey } = bucket;
  return {
    lake: `s3://${bucket.bucket}/lake`,
    s3: { endpoint, region, accessKeyId, secretAccessKey, forcePathStyle: true } as Config['s3'],
  };
}

/** Every file of a directory, history included, as paths under it. */
export function filesOf(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

/**
 * Imports a card (a directory with its `ascmhl/` history) into a lake folder through the real
 * import path, file by file, as `dailies import` does. `change` may alter a file's bytes on the way.
 */
export async function importCard(
  t: TestDailies,
  dir: string,
  folder: string,
  options: { skip?: string[]; change?: (path: string, bytes: Buffer) => Buffer } = {},
): Promise<void> {
  for (const path of filesOf(dir)) {
    if (options.skip?.includes(path)) continue;
    const bytes = readFileSync(join(dir, path));
    const i = path.lastIndexOf('/');
    const sub = i < 0 ? folder : `${folder}/${path.slice(0, i)}`;
    await importFile(t, sub, path.slice(i + 1), options.change ? options.change(path, bytes) : bytes);
  }
}

export function sizeOf(path: string): number {
  return statSync(path).size;
}
