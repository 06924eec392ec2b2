import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';

/** One error model for every route: `{ error, message, details?, requestId }`. */
export const errorsPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return reply
        .status(error.status)
        .send({ error: error.code, message: error.message, details: error.details, requestId: request.id });
    }
    if ((error as FastifyError).validation) {
      const first = (error as FastifyError).validation?.[0];
      const where = first?.instancePath
        ? ` (${first.instancePath.replace(/^\//, '').replaceAll('/', '.')})`
        : '';
      return reply.status(400).send({
        error: 'invalid',
        message: `The request is not valid${where}: ${first?.message ?? error.message}.`,
        details: (error as FastifyError).validation,
        requestId: request.id,
      });
    }
    const status = (error as FastifyError).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.status(status).send({
        error: (error as FastifyError).code ?? 'bad_request',
        message: error.message,
        requestId: request.id,
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({
      error: 'internal',
      message: 'Something went wrong on the server; it has been logged.',
      requestId: request.id,
    });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
      requestId: request.id,
    }),
  );
});
