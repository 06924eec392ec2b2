/**
 * What a first visit downloads: the built web app's entry script and the scripts it preloads,
 * then every chunk loaded later (admin, trash, the tus client), in bytes and gzipped. Size is
 * not timing, but the machine is shared, so the load average is printed as with every figure.
 *
 *   npm run build && npx tsx bench/web-bundle.ts
 */
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { WEB_DIR } from '../e2e/support/server.js';
import { print, round } from './support.js';

const html = readFileSync(join(WEB_DIR, 'index.html'), 'utf8');
const firstVisit = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]));
const sizes = (file: string) => {
  const bytes = readFileSync(join(WEB_DIR, 'assets', file));
  return { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const chunks = readdirSync(join(WEB_DIR, 'assets'))
  .filter((f) => f.endsWith('.js'))
  .map((file) => ({ file, firstVisit: firstVisit.has(file), ...sizes(file) }));
const sum = (list: typeof chunks, key: 'bytes' | 'gzip') => list.reduce((n, c) => n + c[key], 0);
const first = chunks.filter((c) => c.firstVisit);
print('web-bundle', {
  loadAverage: loadavg().map((l) => round(l)),
  firstVisitBytes: sum(first, 'bytes'),
  firstVisitGzip: sum(first, 'gzip'),
  chunks,
});
