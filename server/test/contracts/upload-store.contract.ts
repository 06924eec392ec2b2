import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { Upload } from '@tus/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Config } from '../../src/config.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { type Client, makeUser, signIn } from '../auth/support.js';
import { checksumsOf, encodeMetadata, type RunningServer, startServer } from '../uploads/support.js';

const TUS = { 'Tus-Resumable': '1.0.0' };

/**
 * The UploadStore contract (`ports/upload-store.ts`). Every implementation (fs staging beside
 * the lake, S3 multipart in the bucket) runs it behind a real server: only the uploader or an
 * admin may resume, inspect or cancel an upload over tus; DELETE leaves nothing staged; expiry
 * removes what is old unless it is being finished; publishing never replaces an object.
 * `lake` gives the config of a fresh, empty lake of the kind under test.
 */
export function uploadStoreContract(label: string, lake: () => Promise<Partial<Config>>): void {
  describe(`UploadStore contract: ${label}`, () => {
    const servers: RunningServer[] = [];
    afterEach(async () => {
      for (const s of servers.splice(0)) await s.stop();
    });
    async function server(overrides: Partial<Config> = {}): Promise<RunningServer> {
      const s = await startServer({ ...(await lake()), ...overrides });
      servers.push(s);
      return s;
    }
    /** An upload staged straight through the port, `sent` of its `size` bytes written. */
    async function staged(s: RunningServer, name: string, body: Buffer, sent = body.length) {
      const { uploads } = s.dailies;
      const metadata = await uploads.begin(SYSTEM_ACTOR, { filename: name, folder: '/' }, body.length);
      const upload = new Upload({ id: uploads.store.newId(), size: body.length, offset: 0, metadata });
      await uploads.store.datastore.create(upload);
      if (sent > 0)
        await uploads.store.datastore.write(Readable.from([body.subarray(0, sent)]), upload.id, 0);
      return upload.id;
    }

    it('only the uploader or an admin may resume, inspect or cancel an upload', async () => {
      const s = await server();
      const admin = await signIn(s.app, 'admin', 'test-admin-password');
      const alice = (await makeUser(admin, 'alice', ['editors'])).client;
      const bob = (await makeUser(admin, 'bob', ['editors'])).client;
      const created = await alice.request('POST', '/api/uploads', undefined, {
        ...TUS,
        'Upload-Length': '10',
        'Upload-Metadata': encodeMetadata({ filename: 'mine.mov', folder: '/' }),
      });
      expect(created.statusCode).toBe(201);
      const path = new URL(String(created.headers.location), 'http://x').pathname;
      const patch = (client: Client, offset: number, bytes: string) =>
        client.request('PATCH', path, Buffer.from(bytes), {
          ...TUS,
          'Upload-Offset': String(offset),
          'Content-Type': 'application/offset+octet-stream',
        });
      const head = (client: Client) => client.request('HEAD', path, undefined, TUS);

      // Someone else's upload is missing to them, whatever they try.
      expect((await patch(bob, 0, 'hijack')).statusCode).toBe(404);
      expect((await head(bob)).statusCode).toBe(404);
      expect((await bob.request('DELETE', path, undefined, TUS)).statusCode).toBe(404);
      expect((await patch(alice, 0, 'first')).statusCode).toBe(204);
      expect((await head(alice)).headers['upload-offset']).toBe('5');
      // An admin may look and cancel; nothing of it stays staged.
      expect((await head(admin)).headers['upload-offset']).toBe('5');
      expect((await admin.request('DELETE', path, undefined, TUS)).statusCode).toBe(204);
      expect([404, 410]).toContain((await head(alice)).statusCode);
      expect(await s.dailies.uploads.store.list()).toEqual([]);
    });

    it('discards an upload, and a missing one is no error', async () => {
      const s = await server();
      const { store } = s.dailies.uploads;
      const id = await staged(s, 'cut.mov', Buffer.from('0123456789'), 4);
      expect(await store.get(id)).toMatchObject({ id, size: 10, offset: 4, published: false });
      await store.discard(id);
      expect(await store.get(id)).toBeNull();
      expect(await store.list()).toEqual([]);
      await store.discard(id);
      await store.discard(store.newId());
    });

    it('publishes a finished upload, never over an object that took its name meanwhile', async () => {
      const s = await server();
      const { store } = s.dailies.uploads;
      const { lake } = s.dailies;
      const body = Buffer.from('the uploaded bytes');
      const id = await staged(s, 'race.mov', body);
      expect(await store.checksums(id)).toEqual(checksumsOf(body));
      // Another writer took the name while the bytes arrived.
      await lake.write('race.mov', Buffer.from('already here'));
      await expect(store.publish(id, 'race.mov')).rejects.toMatchObject({ status: 409 });
      expect((await buffer(await lake.read('race.mov'))).toString()).toBe('already here');
      // Refused, the upload is still there to publish elsewhere.
      const object = await store.publish(id, 'race (2).mov');
      expect(object.size).toBe(body.length);
      expect(await buffer(await lake.read('race (2).mov'))).toEqual(body);
      expect(await store.get(id)).toMatchObject({ published: true });
    });

    it('expires what is older than the expiry, except an upload being finished', async () => {
      const s = await server({ uploadExpiryHours: 1 / 3600 });
      const { store } = s.dailies.uploads;
      const kept = await staged(s, 'finishing.mov', Buffer.from('0123456789'), 3);
      const old = await staged(s, 'abandoned.mov', Buffer.from('0123456789'), 3);
      const busy = (id: string) => id === kept;
      expect(await store.deleteExpired(busy)).toBe(0);
      await vi.waitFor(async () => expect(await store.deleteExpired(busy)).toBe(1), {
        timeout: 10_000,
        interval: 200,
      });
      expect(await store.get(old)).toBeNull();
      expect(await store.get(kept)).toMatchObject({ offset: 3 });
      expect((await store.list()).map((u) => u.id)).toEqual([kept]);
    });
  });
}
