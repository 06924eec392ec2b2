import { posix } from 'node:path';

/**
 * Whether a request path would name something under /api once a lenient reader has had its
 * way with it: percent-decoding (repeated), backslashes, repeated slashes, `.`/`..` segments,
 * `;params` and letter case. The web app's fallback answers 404 to all of those rather than its
 * page, so no spelling of an API path is ever anything but an API answer or a 404.
 */
export function looksLikeApiPath(rawPath: string): boolean {
  // An absolute-form request line (`GET http://host/api/x`) names the path after its origin.
  let path = rawPath.split('?')[0].replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
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
    // A NUL or other control character ends a name for some readers (C code, proxies).
    .map((segment) => untilControl(segment.split(';')[0]).trim())
    .join('/');
  const normalized = posix.normalize(`/${path}`).toLowerCase();
  return normalized === '/api' || normalized.startsWith('/api/');
}

/** The text before its first control character (C0 or DEL). */
function untilControl(text: string): string {
  const chars = [...text];
  const end = chars.findIndex((char) => {
    const code = char.codePointAt(0) ?? 0;
    return code < 0x20 || code === 0x7f;
  });
  return end === -1 ? text : chars.slice(0, end).join('');
}
