import { stat } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/**
 * Serves the built web app at `/` with a fallback to `index.html` for the app's own routes
 * (`/folders/...`, `/trash`), so a reload or a shared link works. Anything under `/api/`
 * that no route matched stays a JSON 404.
 */
export async function webPlugin(app: FastifyInstance, options: { webDir: string }): Promise<void> {
  const root = normalize(options.webDir);
  // The build writes `.br` and `.gz` beside each text file (web/compress-plugin.ts): the one a
  // browser accepts is sent as is, so nothing is compressed per request.
  await app.register(fastifyStatic, { root, serve: false, preCompressed: true });

  app.get('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = decodePath(request.url.split('?')[0]);
    if (path === null || path === '/api' || path.startsWith('/api/')) return reply.callNotFound();
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
