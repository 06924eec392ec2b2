import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics at /metrics: process defaults plus one histogram of HTTP requests by route. */
export const metricsPlugin = fp(async (app: FastifyInstance, options: { registry: Registry }) => {
  const { registry } = options;
  collectDefaultMetrics({ register: registry, prefix: 'dailies_' });
  const duration = new Histogram({
    name: 'dailies_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const errors = new Counter({
    name: 'dailies_http_errors_total',
    help: 'HTTP responses with status >= 500',
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unknown';
    duration.observe({ method: request.method, route, status: reply.statusCode }, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) errors.inc();
  });
  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
});
