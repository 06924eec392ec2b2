import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { looksLikeApiPath } from '../lib/api-path.js';

/**
 * Serves the built web app at `/` with a fallback to `index.html` for the app's own routes
 * (`/folders/...`, `/trash`), so a reload or a shared link works. Anything that no route matched
 * and reads as under `/api/` in any spelling (`/API/x`, `//api/x`, `/api/x/`) stays a JSON 404.
 */
export async function webPlugin(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  const root = normalize(options.webDir);
  // The build writes `.br` and `.gz` beside each text file (web/compress-plugin.ts): the one a
  // browser accepts is sent as is, so nothing is compressed per request.
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });
  const policy = webContentSecurityPolicy(await readFile(join(root, 'index.html'), 'utf8'));

  // Public: the page holds nothing; what it shows comes from /api with the caller's rights.
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = decodePath(request.url.split('?')[0]);
    if (path === null || looksLikeApiPath(request.url)) return reply.callNotFound();
    reply.header('content-security-policy', policy);
    const file = join(root, path);
    if (path !== '/' && file.startsWith(root + sep) && (await isFile(file))) {
      // Vite puts a content hash in every name under /assets/, so those never change.
      const hashed = path.startsWith('/assets/');
      return reply.sendFile(path.slice(1), {
        maxAge: hashed ? '365d' : 0,
        immutable: hashed,
      });
    }
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html', { cacheControl: false });
  });
}

/**
 * The page's policy: scripts only from this origin plus the inline early-request script the
 * build puts into index.html, allowed by its hash (no `unsafe-inline` script), so an injected
 * `<script>` or `onerror=` never runs. Media and images come from this origin (blob: and data:
 * for the player and the icon); styles may be inline (React sets them).
 */
export function webContentSecurityPolicy(indexHtml: string): string {
  const hashes = [...indexHtml.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi)]
    .filter((m) => m[1].length > 0)
    .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
  return [
    "default-src 'self'",
    `script-src 'self' ${hashes.join(' ')}`.trim(),
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
