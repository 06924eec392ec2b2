import type { FastifyRequest } from 'fastify';

/** Query parameters that carry a credential: an OIDC provider's `code` and `state`, tokens. */
const SECRET_PARAMETERS = new Set([
  'code',
  'state',
  'token',
  'access_token',
  'id_token',
  'refresh_token',
  'session_state',
  'password',
  'secret',
]);
/** Path segments after which the rest of the path is a credential (a signed download URL). */
const SECRET_AFTER = new Set(['downloads']);
const REDACTED = '[redacted]';

/**
 * A request URL as it may be written to the log: the token of a signed download URL and the
 * provider's `code`/`state` of a sign-in are replaced, whatever spelling the client used
 * (`/api/download%73/<token>`, `?CODE=`), since anyone who reads the log could otherwise use them.
 */
export function redactUrl(url: string): string {
  const mark = url.indexOf('?');
  const path = mark === -1 ? url : url.slice(0, mark);
  const query = mark === -1 ? null : url.slice(mark + 1);
  const segments = path.split('/');
  const cut = segments.findIndex((segment) => SECRET_AFTER.has(decoded(segment).toLowerCase()));
  const safePath =
    cut === -1 || cut === segments.length - 1 ? path : [...segments.slice(0, cut + 1), REDACTED].join('/');
  if (query === null) return safePath;
  const safeQuery = query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      const key = equals === -1 ? pair : pair.slice(0, equals);
      return SECRET_PARAMETERS.has(decoded(key.replaceAll('+', ' ')).trim().toLowerCase())
        ? `${key}=${REDACTED}`
        : pair;
    })
    .join('&');
  return `${safePath}?${safeQuery}`;
}

/** Fastify's request serializer with the URL redacted. */
export function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
