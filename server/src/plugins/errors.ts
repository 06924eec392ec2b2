import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../lib/errors.js';
import { hideServerPaths, isNameTooLong } from '../lib/server-paths.js';

export interface ErrorAnswer {
  status: number;
  body: { error: string; message: string; details?: unknown; requestId: string };
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The answer for an error, as every route gives it (tus's hooks too, which bypass Fastify's reply). */
    errorAnswer(error: unknown, request: FastifyRequest): ErrorAnswer;
  }
}

export interface ErrorsOptions {
  /** This server's directories, never shown in an answer (read per error: the lake may be swapped). */
  serverPaths?: () => ReadonlyArray<{ path: string; name: string }>;
}

/** One error model for every route: `{ error, message, details?, requestId }`. */
export const errorsPlugin = fp(async (app: FastifyInstance, options: ErrorsOptions) => {
  const hide = (text: string) => hideServerPaths(text, options.serverPaths?.() ?? []);

  const answer = (error: unknown, request: FastifyRequest): ErrorAnswer => {
    if (isNameTooLong(error)) {
      return {
        status: 400,
        body: {
          error: 'path_too_long',
          message:
            'The path is too long for the storage: keep each name under 255 bytes and the whole path under 4,096.',
          requestId: request.id,
        },
      };
    }
    if (error instanceof AppError) {
      if (error.status >= 500) request.log.error({ err: error }, error.message);
      return {
        status: error.status,
        body: {
          error: error.code,
          message: hide(error.message),
          details: error.details,
          requestId: request.id,
        },
      };
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.validation) {
      const first = fastifyError.validation[0];
      const where = first?.instancePath
        ? ` (${first.instancePath.replace(/^\//, '').replaceAll('/', '.')})`
        : '';
      return {
        status: 400,
        body: {
          error: 'invalid',
          message: `The request is not valid${where}: ${first?.message ?? fastifyError.message}.`,
          details: fastifyError.validation,
          requestId: request.id,
        },
      };
    }
    const status = fastifyError.statusCode;
    if (status && status >= 400 && status < 500) {
      return {
        status,
        body: {
          error: fastifyError.code ?? 'bad_request',
          message: hide(fastifyError.message),
          requestId: request.id,
        },
      };
    }
    request.log.error({ err: error }, 'unhandled error');
    return {
      status: 500,
      body: {
        error: 'internal',
        message: 'Something went wrong on the server; it has been logged.',
        requestId: request.id,
      },
    };
  };
  app.decorate('errorAnswer', answer);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    const { status, body } = answer(error, request);
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send({
      error: 'not_found',
      message: `No route ${request.method} ${request.url.split('?')[0]}.`,
      requestId: request.id,
    }),
  );
});
