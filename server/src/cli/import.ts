import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import type { Config } from '../config.js';
import { SYSTEM_ACTOR } from '../features/access/actor.js';
import { AppError } from '../lib/errors.js';
import { joinFolder, normalizeFolderPath } from '../lib/paths.js';
import { createDailies } from '../wiring.js';

/** Copies a local directory tree into the lake under `toFolder`, keeping its structure. */
export async function runImport(config: Config, dir: string, toFolder: string): Promise<number> {
  const root = resolve(dir);
  const info = await stat(root).catch(() => null);
  if (!info?.isDirectory()) {
    console.error(`"${dir}" is not a directory.`);
    return 2;
  }
  const base = normalizeFolderPath(toFolder);
  const dailies = await createDailies(config, { processRole: 'import' });
  let imported = 0;
  const failed: string[] = [];
  try {
    for await (const file of walk(root)) {
      const rel = relative(root, file.path).split(sep);
      const name = rel.pop()!;
      const folder = rel.reduce((path, segment) => joinFolder(path, segment), base);
      try {
        await dailies.imports.importStream(
          SYSTEM_ACTOR,
          folder,
          name,
          createReadStream(file.path),
          file.size,
        );
        imported++;
        console.log(`imported ${joinFolder(folder, name)}`);
      } catch (error) {
        const reason = error instanceof AppError ? error.message : (error as Error).message;
        failed.push(`${rel.concat(name).join('/')}: ${reason}`);
        console.error(`skipped ${rel.concat(name).join('/')}: ${reason}`);
      }
    }
    await dailies.jobs.drain(0).catch(() => {});
    console.log(JSON.stringify({ imported, failed: failed.length }));
    return failed.length > 0 ? 1 : 0;
  } finally {
    await dailies.close();
  }
}

async function* walk(dir: string): AsyncIterable<{ path: string; size: number }> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else if (entry.isFile()) yield { path, size: (await stat(path)).size };
  }
}
