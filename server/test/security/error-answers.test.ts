/**
 * The error handler (issue 11, finding 12): no answer holds one of the server's own
 * directories, and a path the system cannot hold is a 400 that says so. Real Fastify with the
 * errors plugin; the routes throw what the stores throw.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError, Invalid, StorageError } from '../../src/lib/errors.js';
import { errorsPlugin } from '../../src/plugins/errors.js';

const DATA = '/srv/dailies-data';
const LAKE = '/srv/dailies-data/lake';
const VOLUME = '/mnt/edit-share';
let app: FastifyInstance;

beforeAll(async () => {
  app = Fastify();
  await app.register(errorsPlugin, {
    serverPaths: () => [
      { path: LAKE, name: 'lake' },
      { path: `${VOLUME}/`, name: 'volume Edit' },
      { path: DATA, name: 'data' },
    ],
  });
  app.get('/storage', async () => {
    throw new StorageError(`Storage failed to write: EACCES: permission denied, open '${LAKE}/Day 01/a.mov'`);
  });
  app.get('/too-long', async () => {
    const cause = Object.assign(
      new Error(`ENAMETOOLONG: name too long, mkdir '${LAKE}/${'d'.repeat(300)}'`),
      {
        code: 'ENAMETOOLONG',
      },
    );
    throw new StorageError(`Storage failed to create folder: ${cause.message}`, cause);
  });
  app.get('/volume', async () => {
    throw new AppError(
      503,
      'storage_unavailable',
      `The volume "Edit" is not mounted: ${VOLUME} does not exist.`,
    );
  });
  app.get('/data', async () => {
    throw new Invalid(`Cannot read ${DATA}/secret and ${DATA}/work/x.part`);
  });
  app.get('/plain', async () => {
    throw new Error(`Unexpected failure reading ${LAKE}/x`);
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
});

describe('error answers', () => {
  it('never hold a server directory, and keep what a person needs', async () => {
    const answers = await Promise.all(
      ['/storage', '/volume', '/data', '/plain'].map((url) => app.inject({ url })),
    );
    for (const answer of answers) {
      expect(answer.body).not.toContain(DATA);
      expect(answer.body).not.toContain(LAKE);
      expect(answer.body).not.toContain(VOLUME);
      expect(answer.json()).toMatchObject({ error: expect.any(String), message: expect.any(String) });
    }
    expect(answers[0].json().message).toBe(
      "Storage failed to write: EACCES: permission denied, open '<lake>/Day 01/a.mov'",
    );
    expect(answers[1].json().message).toBe('The volume "Edit" is not mounted: <volume Edit> does not exist.');
    expect(answers[2].json().message).toBe('Cannot read <data>/secret and <data>/work/x.part');
    expect(answers[3].statusCode).toBe(500);
  });

  it('answer 400 path_too_long when the system refuses a path as too long', async () => {
    const answer = await app.inject({ url: '/too-long' });
    expect(answer.statusCode).toBe(400);
    expect(answer.json().error).toBe('path_too_long');
    expect(answer.body).not.toContain(LAKE);
  });
});
