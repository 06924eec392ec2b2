#!/usr/bin/env node
// Runs the compiled CLI when built, otherwise the TypeScript source through tsx (development, tests).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'server/dist/cli/main.js');
if (existsSync(built) && !process.env.DAILIES_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(root, 'server/src/cli/main.ts')).href);
}
