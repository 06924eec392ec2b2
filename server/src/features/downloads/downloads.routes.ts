import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError } from '../../lib/errors.js';
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
      const range = parseRange(request.headers.range);
      const file = await downloads.open(request.params.token, range ?? undefined);
      reply
        .header('accept-ranges', 'bytes')
        .header('content-type', 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${asciiName(file.name)}"; filename*=UTF-8''${encodeURIComponent(file.name)}`,
        )
        .header('cache-control', 'private, no-store');
      if (file.range) {
        if (file.range.start >= file.size) {
          file.stream.destroy();
          throw new AppError(416, 'range_not_satisfiable', `The file has ${file.size} bytes.`);
        }
        reply
          .status(206)
          .header('content-range', `bytes ${file.range.start}-${file.range.end}/${file.size}`)
          .header('content-length', file.range.end - file.range.start + 1);
      } else {
        reply.header('content-length', file.size);
      }
      return reply.send(file.stream);
    },
  );
};

/** `bytes=a-b`, `bytes=a-`; suffix ranges (`bytes=-n`) and multiple ranges are served whole. */
function parseRange(header: string | undefined): { start: number; end: number } | null {
  const match = header?.match(/^bytes=(\d+)-(\d*)$/);
  if (!match) return null;
  const start = Number(match[1]);
  // Open-ended: to the end, however far the start lies (a start past the end is then 416, not ignored).
  const end = match[2] ? Number(match[2]) : Number.POSITIVE_INFINITY;
  return end >= start ? { start, end } : null;
}

function asciiName(name: string): string {
  return name.replace(/[^\x20-\x7e]|["\\]/g, '_');
}
