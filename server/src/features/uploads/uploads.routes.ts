import type { IncomingMessage } from 'node:http';
import { ERRORS, Server } from '@tus/server';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { isNameTooLong } from '../../lib/server-paths.js';
import { sendAnswer, uploadRequest } from './request-body.js';
import type { UploadsService } from './uploads.service.js';

export const UPLOADS_PATH = '/api/uploads';
/** Sent with the response that completes an upload. */
export const ASSET_ID_HEADER = 'Dailies-Asset-Id';
/** Sent instead when the asset is made after that response (a large upload to an S3 lake): `publishing`. */
export const UPLOAD_STATE_HEADER = 'Dailies-Upload-State';

/**
 * The tus 1.0 endpoint (creation, creation-with-upload, creation-defer-length, termination,
 * expiration). Encapsulated: inside this plugin Fastify leaves every request body alone, so tus
 * streams the bytes straight from the socket into the lake.
 */
export const uploadsRoutes: FastifyPluginAsync<{ uploads: UploadsService; maxBytes: number }> = async (
  app,
  { uploads, maxBytes },
) => {
  const requests = new WeakMap<IncomingMessage, FastifyRequest>();
  /** tus hands hooks a web Request; the Fastify request (actor, logger, id) is found through the Node one. */
  const fastifyRequest = (req: Request): FastifyRequest => {
    const raw = (req as { runtime?: { node?: { req?: IncomingMessage } } }).runtime?.node?.req;
    const request = raw && requests.get(raw);
    if (!request) throw new Error('A tus request arrived without its Fastify request.');
    return request;
  };
  // One tus server per staging store: when the lake is swapped, new requests go to the new one.
  let tusFor: { store: UploadsService['store']; server: Server } | null = null;
  const tusServer = (): Server => {
    const store = uploads.store;
    if (tusFor?.store !== store) tusFor = { store, server: makeTus(store) };
    return tusFor.server;
  };
  const makeTus = (store: UploadsService['store']) =>
    new Server({
      path: UPLOADS_PATH,
      datastore: store.datastore,
      // Shared by every server (PostgreSQL advisory locks), so two never write one upload at once.
      locker: uploads.locks,
      disableTerminationForFinishedUploads: true,
      // Larger ones answer 413, also when a deferred length is declared or the bytes run past it.
      maxSize: maxBytes,
      // Same origin only: the web app is served from here, and no other site may drive uploads
      // with a visitor's cookie (tus would otherwise answer `Access-Control-Allow-Origin: *`).
      allowedOrigins: () => false,
      exposedHeaders: [ASSET_ID_HEADER, UPLOAD_STATE_HEADER],
      namingFunction: () => store.newId(),
      generateUrl: (_req, { path, id }) => `${path}/${store.tokenOf(id)}`,
      getFileIdFromRequest: (_req, token) => (token ? store.idFromToken(token) : undefined),
      onUploadCreate: async (req, upload) => ({
        metadata: await uploads.begin(
          fastifyRequest(req).actor,
          upload.metadata ?? {},
          // A deferred length: at least the bytes this creation request already carries.
          upload.size ?? numberHeader(req.headers.get('content-length')),
        ),
      }),
      onIncomingRequest: async (req, id) => {
        const { actor } = fastifyRequest(req);
        if (req.method === 'HEAD') await uploads.settle(actor, id);
        else if (req.method === 'PATCH')
          await uploads.authorizeWrite(actor, id, {
            declaredLength: numberHeader(req.headers.get('upload-length')),
            contentLength: numberHeader(req.headers.get('content-length')),
          });
        else if (req.method === 'DELETE') await uploads.authorize(actor, id);
      },
      onUploadFinish: async (req, upload): Promise<{ headers?: Record<string, string> }> => {
        const completion = await uploads.complete(fastifyRequest(req).actor, upload);
        if ('publishing' in completion) return { headers: { [UPLOAD_STATE_HEADER]: 'publishing' } };
        return completion.asset ? { headers: { [ASSET_ID_HEADER]: completion.asset.id } } : {};
      },
      onResponseError: (req, error) => {
        const request = fastifyRequest(req);
        if (error instanceof AppError || isNameTooLong(error)) {
          const { status, body } = app.errorAnswer(error, request);
          return { status_code: status, body: JSON.stringify(body) };
        }
        const tooLarge = (error as { body?: unknown }).body;
        if (tooLarge === ERRORS.ERR_MAX_SIZE_EXCEEDED.body || tooLarge === ERRORS.ERR_SIZE_EXCEEDED.body) {
          const limit = `${maxBytes.toLocaleString('en')} bytes, DAILIES_UPLOAD_MAX_BYTES`;
          return {
            status_code: 413,
            body: JSON.stringify({
              error: 'too_large',
              message:
                tooLarge === ERRORS.ERR_MAX_SIZE_EXCEEDED.body
                  ? `The upload is larger than this server accepts (at most ${limit}).`
                  : `The request carries more bytes than the upload's length, or than this server accepts (at most ${limit}).`,
              requestId: request.id,
            }),
          };
        }
        // tus's own protocol answers (404, 409 offset, 410 expired, 413) keep their status.
        if (typeof (error as { status_code?: unknown }).status_code === 'number') return undefined;
        request.log.error({ err: error }, 'upload failed');
        return {
          status_code: 500,
          body: JSON.stringify({
            error: 'internal',
            message: 'Something went wrong on the server; it has been logged.',
            requestId: request.id,
          }),
        };
      },
    });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  const handle = async (request: FastifyRequest, reply: FastifyReply) => {
    requests.set(request.raw, request);
    reply.hijack();
    const answer = async () =>
      sendAnswer(reply.raw, await tusServer().handleWeb(uploadRequest(request.raw, reply.raw)));
    try {
      await (request.method === 'PATCH' ? uploads.receiving(answer) : answer());
    } catch (error) {
      request.log.error({ err: error }, 'tus handler failed');
      if (!reply.raw.headersSent) reply.raw.writeHead(500);
      reply.raw.end();
    }
  };
  const schema = {
    tags: ['uploads'],
    summary: 'tus 1.0 resumable upload (Upload-Metadata: filename, folder)',
  };
  app.route({ method: ['POST', 'OPTIONS'], url: UPLOADS_PATH, schema, handler: handle });
  app.route({
    method: ['HEAD', 'PATCH', 'DELETE', 'OPTIONS'],
    url: `${UPLOADS_PATH}/:token`,
    schema,
    handler: handle,
  });
};

/** A header holding a whole number of bytes, or undefined. */
function numberHeader(value: string | null): number | undefined {
  if (value === null || !/^\d{1,16}$/.test(value)) return undefined;
  return Number(value);
}
