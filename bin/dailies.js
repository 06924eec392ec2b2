#!/usr/bin/env node
// Runs the TypeScript sources through tsx: one code path for development, tests and production,
// and no stale build to trip over.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'server/src/cli/main.ts')).href);
