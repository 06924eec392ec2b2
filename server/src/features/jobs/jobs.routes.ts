import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { NotFound } from '../../lib/errors.js';
import type { JobQueue } from '../../ports/job-queue.js';
import { mayFollowJob } from '../access/access.policy.js';

export const JobResponse = Type.Object({
  id: Type.String(),
  name: Type.String(),
  state: Type.String({ description: 'queued, running, done or failed' }),
  attempts: Type.Integer(),
  progressDone: Type.Number(),
  progressTotal: Type.Number(),
  error: Type.Union([Type.String(), Type.Null()]),
});

export const jobsRoutes: FastifyPluginAsyncTypebox<{ jobs: JobQueue }> = async (app, { jobs }) => {
  app.get(
    '/api/jobs/:id',
    {
      schema: {
        tags: ['jobs'],
        summary: 'A job and its progress',
        params: Type.Object({ id: Type.String() }),
        response: { 200: JobResponse },
      },
    },
    async (request) => {
      const job = await jobs.get(request.params.id);
      // Jobs name assets; only the actor who asked (or an admin) learns about one.
      if (!job || !mayFollowJob(request.actor, job)) throw new NotFound('The job was not found.');
      return job;
    },
  );
};
