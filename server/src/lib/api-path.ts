import { posix } from 'node:path';

/**
 * Whether a request path would name something under /api once a lenient reader has had its
 * way with it: percent-decoding (repeated), backslashes, repeated slashes, `.`/`..` segments,
 * `;params` and letter case. The web app's fallback answers 404 to all of those rather than its
 * page, so no spelling of an API path is ever anything but an API answer or a 404.
 */
export function looksLikeApiPath(rawPath: string): boolean {
  let path = rawPath.split('?')[0];
  for (let i = 0; i < 4; i++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // Not valid percent-encoding: nobody would serve it as a page either.
      return true;
    }
    if (decoded === path) break;
    path = decoded;
  }
  path = path
    .replaceAll('\\', '/')
    .split('/')
    .map((segment) => segment.split(';')[0].trim())
    .join('/');
  const normalized = posix.normalize(`/${path}`).toLowerCase();
  return normalized === '/api' || normalized.startsWith('/api/');
}
