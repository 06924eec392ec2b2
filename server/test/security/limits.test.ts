/**
 * Limits at the edge (issue 11, finding 10): the largest upload, and how many live event
 * streams one account holds. Real: the server on a loopback port (SQLite, fs lake).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  type Client,
  makeUser,
  signIn,
  startServer,
  type TestServer,
} from '../auth/support.js';
import { until } from '../support/poll.js';

const MAX = 1000;
const STREAMS = 2;
let s: TestServer;
let base: string;
let admin: Client;
let editor: Client;

const metadata = (name: string) =>
  `filename ${Buffer.from(name).toString('base64')},folder ${Buffer.from('/').toString('base64')}`;

beforeAll(async () => {
  s = await startServer('sqlite', { uploadMaxBytes: MAX, eventStreamsPerUser: STREAMS });
  admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
  editor = (await makeUser(admin, 'editor', ['editors'])).client;
  base = await s.app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await s?.close();
});

describe('the largest upload', () => {
  it('refuses a declared length past DAILIES_UPLOAD_MAX_BYTES with 413 and says the limit', async () => {
    const response = await editor.request('POST', '/api/uploads', undefined, {
      'tus-resumable': '1.0.0',
      'upload-length': String(MAX + 1),
      'upload-metadata': metadata('big.mov'),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json()).toMatchObject({ error: 'too_large' });
    expect(response.json().message).toContain('1,000 bytes');
    const options = await editor.request('OPTIONS', '/api/uploads', undefined, { 'tus-resumable': '1.0.0' });
    expect(options.headers['tus-max-size']).toBe(String(MAX));
  });

  it('refuses a deferred length past the limit, when declared or as the bytes run past it', async () => {
    const create = async (name: string) => {
      const created = await editor.request('POST', '/api/uploads', undefined, {
        'tus-resumable': '1.0.0',
        'upload-defer-length': '1',
        'upload-metadata': metadata(name),
      });
      expect(created.statusCode).toBe(201);
      return new URL(created.headers.location as string, 'http://x').pathname;
    };
    const declared = await editor.request('PATCH', await create('declared.mov'), Buffer.alloc(10), {
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'upload-length': String(MAX + 1),
      'content-type': 'application/offset+octet-stream',
    });
    expect(declared.statusCode).toBe(413);
    expect(declared.json().error).toBe('too_large');
    const overrun = await editor.request('PATCH', await create('overrun.mov'), Buffer.alloc(MAX + 10), {
      'tus-resumable': '1.0.0',
      'upload-offset': '0',
      'content-type': 'application/offset+octet-stream',
    });
    expect(overrun.statusCode).toBe(413);
    expect(overrun.json().error).toBe('too_large');
  });

  it('still takes an upload of exactly the limit', async () => {
    const created = await editor.request('POST', '/api/uploads', Buffer.alloc(MAX, 7), {
      'tus-resumable': '1.0.0',
      'upload-length': String(MAX),
      'upload-metadata': metadata('exact.mov'),
      'content-type': 'application/offset+octet-stream',
    });
    expect(created.statusCode).toBe(201);
    expect(created.headers['upload-offset']).toBe(String(MAX));
  });
});

describe('live event streams per account', () => {
  const open = (client: Client) => {
    const controller = new AbortController();
    const response = fetch(`${base}/api/events`, {
      headers: { cookie: `dailies_session=${client.credentials.cookie}` },
      signal: controller.signal,
    });
    return { response, close: () => controller.abort() };
  };

  it(`answers 429 past ${STREAMS} open streams of one account, and lets one in again once one closes`, async () => {
    const first = open(editor);
    const second = open(editor);
    expect((await first.response).status).toBe(200);
    expect((await second.response).status).toBe(200);
    const third = open(editor);
    const refused = await third.response;
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { message: string }).message).toMatch(/at most 2/);
    // Another account is not affected.
    const other = open(admin);
    expect((await other.response).status).toBe(200);
    other.close();
    first.close();
    // The server sees the close a moment later: ask until it has.
    const again = await until(
      async () => {
        const stream = open(editor);
        return (await stream.response).status === 200 ? stream : null;
      },
      { timeout: 5000, interval: 50, what: 'a stream to be let in again' },
    );
    again.close();
    second.close();
  });
});
