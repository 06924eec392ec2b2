import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream';
import { NodeRequest, sendNodeResponse } from 'srvx/node';

/** Body bytes queued before the socket is paused: a few socket reads, not one. */
const QUEUE_BYTES = 1024 * 1024;

/**
 * The web Request tus reads an upload from, with a cheaper body than Node's `Readable.toWeb`,
 * which copies every socket read into a new array and pauses the socket after each one (its
 * queue is the 16 KiB of the request's high-water mark). At upload speed those copies and
 * pauses cost more of the event loop than writing the bytes to disk.
 */
export function uploadRequest(req: IncomingMessage, res: ServerResponse): Request {
  const request = new NodeRequest({ req, res });
  const body = req.method === 'POST' || req.method === 'PATCH' ? bodyStream(req) : null;
  Object.defineProperty(request, 'body', { value: body });
  return request;
}

function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  // Socket reads are fresh buffers that nothing else writes to, so they are queued as they are.
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        req.pause();
        req.on('data', (chunk: Buffer) => {
          controller.enqueue(chunk);
          if ((controller.desiredSize ?? 0) <= 0) req.pause();
        });
        const stop = finished(req, (error) => {
          stop();
          if (error) controller.error(error);
          else controller.close();
        });
      },
      pull() {
        req.resume();
      },
      cancel(reason) {
        req.destroy(reason instanceof Error ? reason : undefined);
      },
    },
    { highWaterMark: QUEUE_BYTES, size: (chunk) => chunk.byteLength },
  );
}

/**
 * Sends tus's answer. Done also when the client has gone: srvx waits for a 'finish' that a
 * closed connection never emits, so an abandoned PATCH (tus keeps its bytes and answers 204 to
 * no one) held its request, and its place among the PATCHes receiving bytes, for ever.
 */
export async function sendAnswer(res: ServerResponse, answer: Response): Promise<void> {
  const gone = new Promise<void>((resolve) => {
    if (res.closed) resolve();
    else res.once('close', () => resolve());
  });
  await Promise.race([sendNodeResponse(res, answer), gone]);
}
