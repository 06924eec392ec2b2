import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * What every answer carries, the API's and the web app's alike, even the streamed ones that
 * bypass Fastify's reply (tus, the event stream): no sniffing a JSON or a download into HTML, no
 * framing (clickjacking), no Referer carrying a signed URL elsewhere, and a policy that lets
 * an API answer opened as a page run nothing. The web app's page replaces the policy with its
 * own (plugins/web.ts). HSTS only when the client reached us over TLS: on plain HTTP it would be
 * ignored, and behind a proxy that terminates TLS `trustProxy` says so.
 */
export const API_CONTENT_SECURITY_POLICY =
  "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const securityHeadersPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('onRequest', async (request, reply) => {
    const raw = reply.raw;
    raw.setHeader('x-content-type-options', 'nosniff');
    raw.setHeader('referrer-policy', 'no-referrer');
    raw.setHeader('x-frame-options', 'DENY');
    raw.setHeader('cross-origin-opener-policy', 'same-origin');
    raw.setHeader('content-security-policy', API_CONTENT_SECURITY_POLICY);
    if (request.protocol === 'https') raw.setHeader('strict-transport-security', 'max-age=31536000');
  });
});
