import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { signToken } from '../../src/lib/signing.js';
import type { Asset } from '../../src/ports/catalog.js';
import { ADMIN_PASSWORD, Client, makeUser, signIn, startServer, type TestServer } from './support.js';

// Real: the server in-process (SQLite catalog, fs lake), its HMAC-signed download URLs.
describe('signed download URLs', () => {
  let s: TestServer;
  let admin: Client;
  let member: { client: Client; id: string };
  let outsider: { client: Client; id: string };
  let secret: Asset;
  const anonymous = () => new Client(s.app);

  beforeEach(async () => {
    s = await startServer('sqlite', { downloadUrlTtl: 600 });
    admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
    await admin.post('/api/groups', { name: 'project-x' });
    member = await makeUser(admin, 'member', ['editors', 'project-x']);
    outsider = await makeUser(admin, 'outsider', ['editors']);
    await admin.post('/api/folders', { path: '/Secret' });
    await admin.request('PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin', 'project-x'] });
    secret = await s.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Secret',
      'plate.mov',
      Readable.from([Buffer.from('secret plate bytes')]),
    );
  });
  afterEach(() => s.close());

  async function mint(client: Client, ids: string[]) {
    return client.post('/api/assets/download', { ids });
  }

  it('serves the bytes to whoever holds an intact, unexpired URL', async () => {
    const minted = await mint(member.client, [secret.id]);
    expect(minted.statusCode).toBe(200);
    const { url } = minted.json().items[0];
    const file = await anonymous().get(url);
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('secret plate bytes');
    const audit = (await admin.get('/api/audit?action=asset.download')).json().items;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorName: 'member', targetId: secret.id, address: '127.0.0.1' });
  });

  it('rejects a tampered URL, in the payload or in the signature', async () => {
    const { url } = (await mint(member.client, [secret.id])).json().items[0];
    const token: string = url.split('/').pop();
    const [body, signature] = token.split('.');
    const payload = JSON.parse(Buffer.from(body, 'base64url').toString());
    const longer = Buffer.from(JSON.stringify({ ...payload, e: payload.e + 86_400 })).toString('base64url');
    const flipped = `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`;
    for (const forged of [`${longer}.${signature}`, `${body}.${flipped}`, body, `${body}.`, 'garbage']) {
      const response = await anonymous().get(`/api/downloads/${forged}`);
      expect(response.statusCode, forged).toBe(404);
      expect(response.body).not.toContain('secret plate bytes');
    }
  });

  it('rejects an expired URL', async () => {
    const { url } = (await mint(member.client, [secret.id])).json().items[0];
    s.clock.advance(601_000);
    const response = await anonymous().get(url);
    expect(response.statusCode).toBe(404);
    expect(response.json().message).toMatch(/expired/);
  });

  it('never mints for an asset the caller may not see, and a URL for a forbidden asset is refused', async () => {
    const refused = await mint(outsider.client, [secret.id]);
    expect(refused.statusCode).toBe(404);
    expect(refused.body).not.toContain('plate.mov');
    // The same answer as for an asset that does not exist.
    const missing = await mint(outsider.client, ['00000000-0000-4000-8000-000000000000']);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toBe(refused.json().message);
    expect((await admin.get('/api/audit?action=asset.download')).json().items).toEqual([]);

    // A correctly signed token naming the outsider (as if minted for them) does not open it.
    const forged = signToken(
      'download',
      { a: secret.id, u: outsider.id, e: Math.floor(s.clock.now() / 1000) + 600 },
      'test-secret',
    );
    expect((await anonymous().get(`/api/downloads/${forged}`)).statusCode).toBe(404);
    // Nor one naming a user who does not exist.
    const ghost = signToken(
      'download',
      { a: secret.id, u: 'ghost', e: Math.floor(s.clock.now() / 1000) + 600 },
      'test-secret',
    );
    expect((await anonymous().get(`/api/downloads/${ghost}`)).statusCode).toBe(404);
  });

  it('stops working when the one it was minted for loses access, or the asset goes to the trash', async () => {
    const { url } = (await mint(member.client, [secret.id])).json().items[0];
    expect((await anonymous().get(url)).statusCode).toBe(200);
    await admin.request('DELETE', `/api/groups/project-x/members/member`);
    expect((await anonymous().get(url)).statusCode).toBe(404);

    const open = await s.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/',
      'open.mov',
      Readable.from([Buffer.from('x')]),
    );
    const link = (await mint(member.client, [open.id])).json().items[0].url;
    expect((await anonymous().get(link)).statusCode).toBe(200);
    await member.client.post('/api/assets/delete', { ids: [open.id] });
    expect((await anonymous().get(link)).statusCode).toBe(404);
  });
});
