// Compiles the server to server/dist, which bin/dailies.js runs while it is as new as the sources.
import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';

rmSync('server/dist', { recursive: true, force: true });
execFileSync('npx', ['tsc', '-p', 'server/tsconfig.build.json'], { stdio: 'inherit' });
// Plain JavaScript the worker thread loads by its path (worker threads get no TypeScript loader).
copyFileSync('server/src/lib/checksum-worker.mjs', 'server/dist/lib/checksum-worker.mjs');
for (const file of ['sqlite-reader.mjs', 'sqlite-statements.mjs'])
  copyFileSync(`server/src/adapters/db/${file}`, `server/dist/adapters/db/${file}`);
// Its time is the build's: a source file newer than it makes bin/dailies.js run the sources.
writeFileSync('server/dist/.built', `${new Date().toISOString()}\n`);
