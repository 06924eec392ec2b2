import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { until } from '../support/poll.js';
import { ADMIN_PASSWORD, type Client, makeUser, signIn, startServer, type TestServer } from './support.js';

/** An open event stream: what it received, and whether the server ended it. */
interface Stream {
  text: string;
  ended: Promise<void>;
  close(): void;
}

async function openStream(url: string, cookie: string): Promise<Stream> {
  const controller = new AbortController();
  const response = await fetch(url, {
    headers: { cookie: `dailies_session=${cookie}` },
    signal: controller.signal,
  });
  expect(response.status).toBe(200);
  const stream: Stream = { text: '', ended: Promise.resolve(), close: () => controller.abort() };
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  stream.ended = (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        stream.text += value;
      }
    } catch {
      // aborted by the test
    }
  })();
  return stream;
}

/** Whether `promise` settles within `ms` (a bound on a wait, not a sleep: it ends as soon as it settles). */
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);

// Real: the server on a loopback port (SQLite, fs lake), the event stream over HTTP.
describe('the event stream follows access as it changes', () => {
  let s: TestServer;
  let base: string;
  let admin: Client;
  let member: { client: Client; id: string };

  beforeEach(async () => {
    s = await startServer('sqlite', {}, { eventsHeartbeatMs: 100 });
    base = await s.app.listen({ host: '127.0.0.1', port: 0 });
    admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
    await admin.post('/api/groups', { name: 'project-x' });
    member = await makeUser(admin, 'member', ['editors', 'project-x']);
    await admin.post('/api/folders', { path: '/Secret' });
    await admin.request('PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin', 'project-x'] });
  });
  afterEach(() => s.close());

  const put = (name: string) =>
    s.dailies.imports.importStream(SYSTEM_ACTOR, '/Secret', name, Readable.from([Buffer.from(name)]));

  it('ends when the caller leaves a group, and the reconnected stream hears nothing of the folder', async () => {
    const stream = await openStream(`${base}/api/events`, member.client.credentials.cookie!);
    const seen = await put('seen.mov');
    await until(() => stream.text.includes(seen.id), { what: 'the visible asset' });
    // Still open: a later event comes through too.
    const later = await put('later.mov');
    await until(() => stream.text.includes(later.id), { what: 'a later event' });
    expect(await within(stream.ended, 0)).toBe(false);

    await admin.request('DELETE', '/api/groups/project-x/members/member');
    expect(await within(stream.ended, 5000)).toBe(true);

    const again = await openStream(`${base}/api/events`, member.client.credentials.cookie!);
    const hidden = await put('hidden.mov');
    // Events reach a stream in the order they happen: once one after it (in the root, which
    // every account sees) arrived, the hidden one would have too.
    const marker = await s.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/',
      'marker.mov',
      Readable.from([Buffer.from('m')]),
    );
    await until(() => again.text.includes(marker.id), { what: 'the marker event' });
    await until(() => again.text.includes('heartbeat'), { what: 'a heartbeat' });
    expect(again.text).not.toContain(hidden.id);
    again.close();
  });

  it('ends when the session does', async () => {
    const stream = await openStream(`${base}/api/events`, member.client.credentials.cookie!);
    await until(() => stream.text.includes('heartbeat'), { what: 'a heartbeat' });
    expect(await within(stream.ended, 0)).toBe(false);
    await member.client.post('/api/auth/logout');
    expect(await within(stream.ended, 5000)).toBe(true);
    const refused = await fetch(`${base}/api/events`, {
      headers: { cookie: `dailies_session=${member.client.credentials.cookie}` },
    });
    expect(refused.status).toBe(401);
  });
});
