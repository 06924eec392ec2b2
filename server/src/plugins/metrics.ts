import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client';
import { Forbidden, Unauthenticated } from '../lib/errors.js';

/**
 * Prometheus metrics at /metrics: process defaults plus one histogram of HTTP requests by route.
 * They tell how busy the server is and which routes exist, so only an admin (session or API
 * token) or a scraper sending `Authorization: Bearer <DAILIES_METRICS_TOKEN>` reads them.
 */
export const metricsPlugin = fp(
  async (app: FastifyInstance, options: { registry: Registry; token?: string }) => {
    const { registry } = options;
    const allowed = (request: FastifyRequest): boolean => {
      if (request.actor?.isAdmin) return true;
      if (!options.token) return false;
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      return match !== null && sameSecret(match[1], options.token);
    };
    // A second app on the same Dailies (a test with its own logger) shares the metrics.
    const existing = registry.getSingleMetric('dailies_http_request_duration_seconds');
    if (!existing) collectDefaultMetrics({ register: registry, prefix: 'dailies_' });
    const duration =
      (existing as Histogram | undefined) ??
      new Histogram({
        name: 'dailies_http_request_duration_seconds',
        help: 'HTTP request duration by route and status',
        labelNames: ['method', 'route', 'status'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
        registers: [registry],
      });
    const errors =
      (registry.getSingleMetric('dailies_http_errors_total') as Counter | undefined) ??
      new Counter({
        name: 'dailies_http_errors_total',
        help: 'HTTP responses with status >= 500',
        registers: [registry],
      });
    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unknown';
      duration.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
      if (reply.statusCode >= 500) errors.inc();
    });
    // Public to the actor plugin so a scraper's bearer (not an API token) reaches the check below.
    app.get('/metrics', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
      if (!allowed(request) && request.auth) throw new Forbidden('Only admins read the metrics.');
      if (!allowed(request))
        throw new Unauthenticated(
          'Metrics are for admins, or for a scraper sending the DAILIES_METRICS_TOKEN as a bearer token.',
        );
      reply.header('content-type', registry.contentType);
      return registry.metrics();
    });
  },
);

/** Compares digests so neither the length nor the content leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}
