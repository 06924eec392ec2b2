/**
 * Numbers in query strings that ajv reads as Infinity (`1e400`) pass `integer` and `maximum`;
 * every such parameter must answer 400, never reach a service (a search and a page made 500s).
 * Real: the app with SQLite and an fs lake.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Client } from '../auth/support.js';
import { signInAdmin, startDailies, type TestDailies } from '../support/harness.js';

let t: TestDailies;
let admin: Client;
beforeAll(async () => {
  t = await startDailies();
  admin = await signInAdmin(t);
});
afterAll(() => t?.close());

it.each([
  '/api/assets?folder=/&limit=1e400',
  '/api/assets?folder=/&offset=1e400',
  '/api/search?q=a&limit=1e400',
  '/api/search?q=a&limit=-1e400',
  '/api/audit?limit=1e400',
  '/api/storage/cleanup?trashDays=1e400',
])('%s answers 400 with a message', async (url) => {
  const answer = await admin.get(url);
  expect(answer.statusCode).toBe(400);
  expect(answer.json().message).toMatch(/finite|must/);
});

it('a finite number still passes', async () => {
  expect((await admin.get('/api/assets?folder=/&limit=5')).statusCode).toBe(200);
});
