import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/features/access/actor.js';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { eventsRoutes } from '../../src/features/events/events.routes.js';
import { actorPlugin } from '../../src/plugins/actor.js';
import { errorsPlugin } from '../../src/plugins/errors.js';
import { createDailies, type Dailies } from '../../src/wiring.js';
import { until } from '../support/poll.js';
import { openSse, type SseClient } from '../support/sse-client.js';

// Real: SQLite catalog and fs lake in a temp dir, the in-process event bus, HTTP over loopback.
const EDITOR: Actor = { id: 'u-editor', username: 'edith', groups: ['editors'], isAdmin: false };
const VFX: Actor = { id: 'u-vfx', username: 'vic', groups: ['vfx'], isAdmin: false };

describe('GET /api/events', () => {
  let dir: string;
  let dailies: Dailies;
  const apps: FastifyInstance[] = [];
  const clients: SseClient[] = [];

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dailies-events-'));
    dailies = await createDailies(loadConfig({}, { dataDir: dir, adminPassword: 'events-admin-password' }));
    await dailies.users.createGroup(SYSTEM_ACTOR, { name: 'vfx' });
    await dailies.folders.create(EDITOR, '/Editors');
    await dailies.folders.create(VFX, '/Secret');
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const app of apps.splice(0)) await app.close();
    await dailies.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The events route as the sign-in feature will mount it: the actor comes from the request. */
  async function listenAs(actors: Record<string, Actor>): Promise<string> {
    const app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    await app.register(errorsPlugin);
    await app.register(actorPlugin, {
      resolveActor: async (request) => actors[String(request.headers['x-test-user'])],
    });
    await app.register(eventsRoutes, { events: dailies.liveEvents, heartbeatMs: 100 });
    apps.push(app);
    return app.listen({ host: '127.0.0.1', port: 0 });
  }

  async function connect(base: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = await openSse(`${base}/api/events`, headers);
    clients.push(client);
    // The first comment shows the subscription is in place.
    await until(() => client.comments.includes('connected'), {
      timeout: 1000,
      what: 'the subscription',
    }).catch(() => {});
    return client;
  }

  const put = (folder: string, name: string) =>
    dailies.imports.importStream(
      SYSTEM_ACTOR,
      folder,
      name,
      Readable.from([Buffer.from(`${folder}/${name}`)]),
    );

  it('streams events with heartbeats to the full app, as text/event-stream', async () => {
    const app = await buildApp(dailies, { eventsHeartbeatMs: 100 });
    apps.push(app);
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: 'events-admin-password' },
    });
    const session = login.cookies.find((c) => c.name === 'dailies_session')!.value;
    const client = await connect(base, { cookie: `dailies_session=${session}` });
    expect(client.status).toBe(200);
    expect(client.contentType).toMatch(/^text\/event-stream/);
    const asset = await put('/Editors', 'clip.txt');
    expect(await client.next((m) => m.type === 'asset.created')).toEqual({
      type: 'asset.created',
      assetId: asset.id,
      folderPath: '/Editors',
    });
    await until(() => client.comments.includes('heartbeat'), { what: 'a heartbeat' });
  });

  it('sends each actor only the events of folders it may see', async () => {
    const base = await listenAs({ editor: EDITOR, vfx: VFX, admin: SYSTEM_ACTOR });
    const editor = await connect(base, { 'x-test-user': 'editor' });
    const vfx = await connect(base, { 'x-test-user': 'vfx' });
    const admin = await connect(base, { 'x-test-user': 'admin' });

    const secret = await put('/Secret', 'plate.txt');
    const shared = await put('/Editors', 'cut.txt');
    await dailies.assets.rename(EDITOR, shared.id, 'cut v2.txt');

    expect(await editor.next((m) => m.type === 'asset.changed')).toMatchObject({ assetId: shared.id });
    await vfx.next((m) => m.assetId === secret.id);
    await admin.next((m) => m.type === 'asset.changed' && m.assetId === shared.id);
    const editorSaw = editor.messages.map((m: any) => `${m.type} ${m.assetId ?? m.folderPath}`);
    expect(editorSaw).toEqual([`asset.created ${shared.id}`, `asset.changed ${shared.id}`]);
    expect(vfx.messages).toEqual([{ type: 'asset.created', assetId: secret.id, folderPath: '/Secret' }]);
    expect(admin.messages.map((m: any) => m.assetId)).toEqual([secret.id, shared.id, shared.id]);
  });

  it('passes events.missed (its server lost PostgreSQL for a while) to every stream, carrying nothing else', async () => {
    const base = await listenAs({ editor: EDITOR, vfx: VFX });
    const editor = await connect(base, { 'x-test-user': 'editor' });
    const vfx = await connect(base, { 'x-test-user': 'vfx' });
    dailies.events.publish({ type: 'events.missed', folderPath: '/Secret' } as never);
    expect(await editor.next((m) => m.type === 'events.missed')).toEqual({ type: 'events.missed' });
    expect(await vfx.next((m) => m.type === 'events.missed')).toEqual({ type: 'events.missed' });
  });

  it('follows permission changes at once, despite its cache', async () => {
    const base = await listenAs({ editor: EDITOR });
    const editor = await connect(base, { 'x-test-user': 'editor' });
    const before = await put('/Secret', 'one.txt');
    await dailies.folders.setGroups(SYSTEM_ACTOR, '/Secret', ['admin', 'vfx', 'editors']);
    const after = await put('/Secret', 'two.txt');
    await editor.next((m) => m.assetId === after.id);
    expect(editor.messages.some((m: any) => m.assetId === before.id)).toBe(false);
    expect(editor.messages[0]).toEqual({ type: 'folder.changed', folderPath: '/Secret' });
  });

  it('tells an actor an asset left its sight when moved where it may not look', async () => {
    const base = await listenAs({ editor: EDITOR });
    const editor = await connect(base, { 'x-test-user': 'editor' });
    const asset = await put('/Editors', 'leaving.txt');
    dailies.events.publish({
      type: 'asset.moved',
      assetId: asset.id,
      folderPath: '/Secret',
      fromFolderPath: '/Editors',
    });
    expect(await editor.next((m) => m.type === 'asset.deleted')).toEqual({
      type: 'asset.deleted',
      assetId: asset.id,
      folderPath: '/Editors',
    });
    expect(JSON.stringify(editor.messages)).not.toContain('/Secret');
  });

  it('tells whoever asked for a move how far it got, and nobody else', async () => {
    const base = await listenAs({ editor: EDITOR, vfx: VFX });
    const editor = await connect(base, { 'x-test-user': 'editor' });
    const vfx = await connect(base, { 'x-test-user': 'vfx' });
    const a = await put('/Editors', 'one.txt');
    const b = await put('/Editors', 'two.txt');
    await dailies.folders.create(EDITOR, '/Editors/Selects');
    const { jobId } = await dailies.assets.requestMove(EDITOR, [a.id, b.id], '/Editors/Selects');
    // Only the move runs here: processing the two files is another test's business.
    await dailies.jobs.work(dailies.handlers, { concurrency: { 'asset.probe': 0 } });
    const done = await editor.next(
      (m) => m.type === 'job.progress' && m.jobId === jobId && m.state === 'done',
    );
    expect(done).toMatchObject({ name: 'assets.move', actorId: EDITOR.id, done: 2, total: 2 });
    expect(editor.messages.filter((m: any) => m.type === 'asset.moved')).toHaveLength(2);
    // Events reach a stream in order: once a later one everybody sees arrived, so would the progress.
    dailies.events.publish({ type: 'folder.changed', folderPath: '/' });
    await vfx.next((m) => m.type === 'folder.changed' && m.folderPath === '/');
    expect(vfx.messages.some((m: any) => m.type === 'job.progress')).toBe(false);
  });

  it('answers HEAD with the headers alone, at once, holding no stream slot', async () => {
    const base = await listenAs({ editor: EDITOR });
    // Node drops writes to a HEAD response: before the fix its headers never left, so this hung.
    // More HEADs than one account may hold streams (8): none may still count when they are done.
    for (let i = 0; i < 10; i++) {
      const response = await fetch(`${base}/api/events`, {
        method: 'HEAD',
        headers: { 'x-test-user': 'editor' },
        signal: AbortSignal.timeout(5000),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(await response.text()).toBe('');
    }
    const client = await connect(base, { 'x-test-user': 'editor' });
    expect(client.status).toBe(200);
  });

  it('refuses a caller who is not signed in', async () => {
    const base = await listenAs({});
    const response = await fetch(`${base}/api/events`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'unauthenticated' });
  });
});
