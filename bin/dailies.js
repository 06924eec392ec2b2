#!/usr/bin/env -S node --max-semi-space-size=2
// The flag keeps V8's young generation small (2 MB semi-spaces instead of 16): about 30 MB less
// resident memory, while an upload's chunks are short-lived either way. Run this file directly
// (scripts/up.sh, npm start) so the flag applies.
// Runs the TypeScript sources through tsx: one code path for development, tests and production,
// and no stale build to trip over.
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'server/src/cli/main.ts')).href);
