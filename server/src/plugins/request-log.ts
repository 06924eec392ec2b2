import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's request lines at debug, one per request when it completes (Fastify's own are two at
 * info: a busy server's log would be only requests). Errors keep their level: the errors plugin
 * logs a 5xx. The request is serialized by the redacting serializer (log-redaction.ts).
 */
export class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_error: unknown, request: FastifyRequest, reply: FastifyReply): void {
    reply.log.debug(
      { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) },
      'request completed',
    );
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'no such route');
  }
}
