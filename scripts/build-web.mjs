// Builds the web app when it is present (the server serves web/dist at /).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

if (existsSync('web/vite.config.ts')) {
  execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
} else {
  console.error('[build] no web app yet (web/vite.config.ts missing); serving the API only');
}
