import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { hideServerPaths } from '../lib/server-paths.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The answer names the server's directories on purpose (the admins' settings page). */
    showsServerPaths?: boolean;
  }
}

/**
 * The last line before a JSON answer leaves: any of the server's own directories in it (a job's
 * error, an asset's failure reason quoting a tool, a store's message) is replaced by its name,
 * `<lake>/Day 01/a.mov`. Where files live on the server tells a caller nothing they need, and
 * is what a symlink or a `file://` playlist would need. Streams (downloads, media) pass as they are.
 */
export const serverPathsPlugin = fp(
  async (
    app: FastifyInstance,
    options: { serverPaths: () => ReadonlyArray<{ path: string; name: string }> },
  ) => {
    app.addHook('onSend', async (request, _reply, payload) => {
      if (typeof payload !== 'string' || request.routeOptions.config?.showsServerPaths) return payload;
      return hideServerPaths(payload, options.serverPaths());
    });
  },
);
