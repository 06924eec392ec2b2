import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { SearchQuery, SearchResponse } from './search.schemas.js';
import type { SearchService } from './search.service.js';

export const searchRoutes: FastifyPluginAsyncTypebox<{ search: SearchService }> = async (app, { search }) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: 'Search the whole lake',
        description:
          'Free text and filters over every asset the caller may see, with a total and facet counts. ' +
          'Permissions are applied inside the query, so pages, totals and counts never include ' +
          'hidden assets. Page with `cursor`/`nextCursor`.',
        querystring: SearchQuery,
        response: { 200: SearchResponse },
      },
    },
    (request) => search.search(request.actor, request.query),
  );
};
