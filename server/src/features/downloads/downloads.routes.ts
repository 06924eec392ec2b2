import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { downloadHeaders } from '../../lib/content-disposition.js';
import { rangeReply } from '../../lib/http-range.js';
import type { DownloadService } from './download.service.js';

export const DOWNLOAD_PATH = '/api/downloads';

/** Serves fs-lake downloads behind an HMAC-signed, expiring token; no session needed. */
export const downloadsRoutes: FastifyPluginAsyncTypebox<{ downloads: DownloadService }> = async (
  app,
  { downloads },
) => {
  app.get(
    `${DOWNLOAD_PATH}/:token`,
    {
      // The signed token is the credential: a download manager or `curl` holds no session.
      config: { public: true },
      schema: {
        tags: ['downloads'],
        summary: 'The bytes behind a signed download URL (Range supported)',
        params: Type.Object({ token: Type.String() }),
      },
    },
    async (request, reply) => {
      const file = await downloads.open(request.params.token, request.headers.range);
      const { status, headers } = rangeReply(file.size, file.range);
      return reply
        .status(status)
        .headers({ ...downloadHeaders(file.name), 'accept-ranges': 'bytes', ...headers })
        .send(file.stream);
    },
  );
};
