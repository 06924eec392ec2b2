import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, Unauthenticated } from '../../lib/errors.js';
import type { Authentication } from '../auth/auth.service.js';
import type { EventsService } from './events.service.js';

interface Options {
  events: EventsService;
  /** A comment line this often keeps proxies and browsers from closing an idle stream. */
  heartbeatMs?: number;
  /** Streams one user may hold open in this process (tabs, scripts); more answer 429. */
  maxPerUser?: number;
}

/** A client that reads slower than events come is cut off rather than buffered without end. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export const eventsRoutes: FastifyPluginAsyncTypebox<Options> = async (
  app,
  { events, heartbeatMs = 15_000, maxPerUser = 8 },
) => {
  const streams = new Set<ServerResponse>();
  // Each stream holds a socket, a subscription and a timer: one account must not be able to
  // hold an unbounded number of them.
  const perUser = new Map<string, number>();
  // Open streams would keep the server from closing.
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get(
    '/api/events',
    {
      schema: {
        tags: ['events'],
        summary: 'Live changes, as server-sent events (text/event-stream)',
        description:
          'Each message is `data: <JSON>` with a `type` (`asset.created`, `asset.changed`, `asset.moved`, ' +
          '`asset.deleted`, `asset.restored`, `folder.created`, `folder.changed`, `folder.deleted`, ' +
          '`job.progress`, `volume.prepared`) and the asset or folder it is about. Only what the caller may see is sent. ' +
          'Comment lines (`: heartbeat`) keep the stream alive. Events missed while disconnected are ' +
          'not replayed: reload what is shown after reconnecting, and on `events.missed` (the server ' +
          "lost the other servers' events for a while).",
        produces: ['text/event-stream'],
      },
    },
    async (request, reply) => {
      if (!request.auth) throw new Unauthenticated();
      const userId = request.auth.actor.id;
      const open = perUser.get(userId) ?? 0;
      if (open >= maxPerUser)
        throw new AppError(
          429,
          'too_many_streams',
          `This account already has ${open} live event streams open (at most ${maxPerUser}); close other tabs or scripts and try again.`,
        );
      perUser.set(userId, open + 1);
      reply.hijack();
      const raw = reply.raw;
      // Counted until the socket closes, however the stream ends (even before it started).
      raw.once('close', () => {
        const left = (perUser.get(userId) ?? 1) - 1;
        if (left > 0) perUser.set(userId, left);
        else perUser.delete(userId);
      });
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // Node drops every write to a HEAD response, so its headers would never leave and the
      // socket would hang holding a stream slot: a HEAD gets the headers and nothing more.
      if (request.method === 'HEAD') {
        raw.end();
        return;
      }
      raw.write('retry: 3000\n: connected\n\n');
      streams.add(raw);
      const write = (text: string) => {
        if (raw.writableLength > MAX_BUFFERED_BYTES) raw.destroy();
        else raw.write(text);
      };
      const stream = events.open(request.actor, (event) => write(`data: ${JSON.stringify(event)}\n\n`));
      const heartbeat = setInterval(() => {
        write(': heartbeat\n\n');
        // A stream ends with its session, and when the caller's groups change: the client
        // reconnects (retry) and is filtered by what it may see now.
        void request
          .reauthenticate()
          .then((now) => {
            if (!sameAccess(request.auth, now)) raw.end();
          })
          .catch(() => raw.end());
      }, heartbeatMs);
      raw.on('close', () => {
        clearInterval(heartbeat);
        stream.close();
        streams.delete(raw);
      });
    },
  );
};

function sameAccess(before: Authentication | null, now: Authentication | null): boolean {
  if (!before || !now || before.actor.id !== now.actor.id || before.actor.isAdmin !== now.actor.isAdmin)
    return false;
  return [...before.actor.groups].sort().join('\n') === [...now.actor.groups].sort().join('\n');
}
