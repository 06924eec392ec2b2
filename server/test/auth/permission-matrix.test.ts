/**
 * The permission matrix: every route the server registers, called by five callers, each cell
 * asserting the status and that nothing of an asset the caller may not see shows in the body
 * (nor changes in the catalog or the lake). A route without an entry here fails the first test:
 * whoever adds a route says what each caller gets.
 *
 * Real: the whole server in-process (SQLite catalog, fs lake, an fs edit volume), sessions
 * made by signing in through the API; the event stream over real HTTP.
 */
import { createReadStream, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Actor, SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import { JOB_NAMES } from '../../src/jobs/types.js';
import { c4Of, hashAll } from '../../src/lib/mhl/hash-formats.js';
import { writeChain, writeGeneration } from '../../src/lib/mhl/mhl-writer.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/plugins/actor.js';
import type { Asset } from '../../src/ports/catalog.js';
import { mediaFixture } from '../support/media-fixtures.js';
import { untilSettled } from '../support/poll.js';
import { ADMIN_PASSWORD, Client, makeUser, signIn, startServer, type TestServer } from './support.js';
import { spellingsOf } from './url-spellings.js';

type Role = 'anonymous' | 'noGroup' | 'outsider' | 'member' | 'admin';
const ROLES: Role[] = ['anonymous', 'noGroup', 'outsider', 'member', 'admin'];
/** Who may see /Secret (groups admin and project-x). */
const SEES_SECRET: Role[] = ['member', 'admin'];

interface Request {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Strings of /Secret the caller did not send (ids, names): never in the body of one who may not see it. */
  secrets?: string[];
}

interface Case {
  name: string;
  build(f: Fixture, role: Role): Promise<Request>;
  expect: Record<Role, number>;
  /** The body is a signed URL's bytes: the token, not the caller, is the credential. */
  bearerUrl?: boolean;
  /** A text/event-stream: checked over real HTTP, status only. */
  stream?: boolean;
  /** The request ends the caller's session (sign-out, sign-up): use a fresh one. */
  freshSession?: boolean;
}

const signedIn = (status: number): Record<Role, number> => ({
  anonymous: 401,
  noGroup: status,
  outsider: status,
  member: status,
  admin: status,
});
const adminOnly = (status: number): Record<Role, number> => ({
  anonymous: 401,
  noGroup: 403,
  outsider: 403,
  member: 403,
  admin: status,
});
const secretOnly = (status: number): Record<Role, number> => ({
  anonymous: 401,
  noGroup: 404,
  outsider: 404,
  member: status,
  admin: status,
});
const everyone = (status: number): Record<Role, number> => ({
  anonymous: status,
  noGroup: status,
  outsider: status,
  member: status,
  admin: status,
});

/** tus request headers. */
const tus = (extra: Record<string, string> = {}) => ({ 'tus-resumable': '1.0.0', ...extra });
const tusMetadata = (folder: string, filename: string) =>
  `filename ${Buffer.from(filename).toString('base64')},folder ${Buffer.from(folder).toString('base64')}`;

const MATRIX: Record<string, Case[]> = {
  'GET /healthz': [
    { name: 'health', build: async () => ({ method: 'GET', url: '/healthz' }), expect: everyone(200) },
  ],
  'GET /metrics': [
    {
      name: 'metrics',
      build: async () => ({ method: 'GET', url: '/metrics' }),
      expect: { anonymous: 401, noGroup: 403, outsider: 403, member: 403, admin: 200 },
    },
  ],
  // Public to the actor plugin like /metrics: its credential is DAILIES_LAKE_EVENTS_TOKEN, which
  // this server has none of, so the route answers as if it did not exist, whoever calls
  // (server/test/lake-events/ covers the token).
  'POST /api/lake/events': [
    {
      name: 'S3 events, off without a token',
      build: async () => ({
        method: 'POST',
        url: '/api/lake/events',
        body: { Records: [] },
        headers: { authorization: 'Bearer guess' },
      }),
      expect: everyone(404),
    },
  ],
  // The web app: the page itself holds nothing; everything it shows comes from /api with the caller's rights.
  'GET /*': [
    {
      name: 'app page',
      build: async () => ({ method: 'GET', url: '/folders/Secret' }),
      expect: everyone(200),
    },
    {
      name: 'unmatched api path stays a 404',
      build: async () => ({ method: 'GET', url: '/api/no-such-route' }),
      expect: everyone(404),
    },
  ],
  'GET /api/openapi.json': [
    {
      name: 'document',
      build: async () => ({ method: 'GET', url: '/api/openapi.json' }),
      expect: everyone(200),
    },
  ],
  'POST /api/reconcile': [
    {
      name: 're-index',
      build: async () => ({ method: 'POST', url: '/api/reconcile', body: {} }),
      expect: adminOnly(200),
    },
  ],

  'GET /api/folders': [
    {
      name: 'the root lists only visible children',
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'GET',
          url: '/api/folders?path=/',
          secrets: [f.secretFolderId, 'project-x', sub.name],
        };
      },
      expect: signedIn(200),
    },
    {
      name: 'a hidden folder is missing',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'GET',
          url: '/api/folders?path=/Secret',
          secrets: [f.secretFolderId, asset.id, 'project-x'],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/folders': [
    {
      name: 'create inside a hidden folder',
      build: async (f) => ({
        method: 'POST',
        url: '/api/folders',
        body: { path: `/Secret/${f.unique('new')}` },
      }),
      expect: secretOnly(201),
    },
  ],
  'PATCH /api/folders': [
    {
      name: 'rename a hidden folder',
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'PATCH',
          url: '/api/folders',
          body: { path: sub.path, newPath: `/Secret/${f.unique('renamed')}` },
          secrets: [sub.id],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'DELETE /api/folders': [
    {
      name: 'delete a hidden folder',
      build: async (f) => {
        const sub = await f.secretFolder();
        const asset = await f.secretAsset(sub.path);
        return {
          method: 'DELETE',
          url: `/api/folders?path=${encodeURIComponent(sub.path)}`,
          secrets: [sub.id, asset.id, asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'PUT /api/folders/groups': [
    {
      name: "change a folder's groups",
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'PUT',
          url: '/api/folders/groups',
          body: { path: sub.path, groups: ['admin', 'project-x', 'editors'] },
          secrets: [sub.id],
        };
      },
      expect: adminOnly(200),
    },
  ],
  // A look is for admins; a folder the caller cannot see is missing, one they see forbidden.
  'GET /api/folders/look': [
    {
      name: "read a hidden folder's look",
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'GET',
          url: `/api/folders/look?path=${encodeURIComponent(sub.path)}`,
          secrets: [sub.id],
        };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 403, admin: 200 },
    },
  ],
  'PUT /api/folders/look': [
    {
      name: "set a hidden folder's look",
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'PUT',
          url: `/api/folders/look?path=${encodeURIComponent(sub.path)}`,
          body: { lut: null, burnIn: { clipName: true, timecode: false, frameCounter: false } },
          secrets: [sub.id],
        };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 403, admin: 200 },
    },
  ],
  'DELETE /api/folders/look': [
    {
      name: "clear a hidden folder's look",
      build: async (f) => {
        const sub = await f.secretFolder();
        return {
          method: 'DELETE',
          url: `/api/folders/look?path=${encodeURIComponent(sub.path)}`,
          secrets: [sub.id],
        };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 403, admin: 200 },
    },
  ],

  'GET /api/assets': [
    {
      name: 'list a hidden folder',
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'GET', url: '/api/assets?folder=/Secret', secrets: [asset.id, asset.name] };
      },
      expect: secretOnly(200),
    },
    {
      name: 'jump to a position in a hidden folder',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'GET',
          url: '/api/assets?folder=/Secret&offset=0&limit=5',
          secrets: [asset.id, asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id': [
    {
      name: 'read a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'GET', url: `/api/assets/${asset.id}`, secrets: [asset.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'PATCH /api/assets/:id': [
    {
      name: 'rename a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'PATCH',
          url: `/api/assets/${asset.id}`,
          body: { name: `${f.unique('renamed')}.mov` },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/log': [
    {
      name: "a hidden asset's logging fields",
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'GET', url: `/api/assets/${asset.id}/log`, secrets: [asset.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'PATCH /api/assets/:id/log': [
    {
      name: "log a hidden asset's scene",
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'PATCH',
          url: `/api/assets/${asset.id}/log`,
          body: { scene: '12' },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'PATCH /api/assets/log': [
    {
      name: 'bulk-log a selection holding a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'PATCH',
          url: '/api/assets/log',
          body: { ids: [asset.id], log: { circled: true } },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/log-fields': [
    {
      name: 'custom logging fields',
      build: async () => ({ method: 'GET', url: '/api/log-fields' }),
      expect: signedIn(200),
    },
  ],
  'POST /api/log-fields': [
    {
      name: 'define a custom logging field',
      build: async (f) => ({
        method: 'POST',
        url: '/api/log-fields',
        body: {
          key: f
            .unique('f')
            .toLowerCase()
            .replace(/[^a-z0-9_]/g, '_')
            .slice(0, 32),
          label: 'Lens',
          kind: 'text',
        },
      }),
      expect: adminOnly(201),
    },
  ],
  'PATCH /api/log-fields/:id': [
    {
      name: 'relabel a custom logging field',
      build: async (f) => {
        const key = f
          .unique('f')
          .toLowerCase()
          .replace(/[^a-z0-9_]/g, '_')
          .slice(0, 32);
        const field = await f.dailies.logging.createField(SYSTEM_ACTOR, { key, label: 'Lens', kind: 'text' });
        return { method: 'PATCH', url: `/api/log-fields/${field.id}`, body: { label: 'Glass' } };
      },
      expect: adminOnly(200),
    },
  ],
  'DELETE /api/log-fields/:id': [
    {
      name: 'remove a custom logging field',
      build: async (f) => {
        const key = f
          .unique('f')
          .toLowerCase()
          .replace(/[^a-z0-9_]/g, '_')
          .slice(0, 32);
        const field = await f.dailies.logging.createField(SYSTEM_ACTOR, { key, label: 'Lens', kind: 'text' });
        return { method: 'DELETE', url: `/api/log-fields/${field.id}` };
      },
      expect: adminOnly(204),
    },
  ],
  'POST /api/log-import/preview': [
    {
      name: "preview a script supervisor's CSV on a hidden folder",
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/log-import/preview?folder=/Secret',
          body: `Clip,Scene\n${asset.name},12\n`,
          headers: { 'content-type': 'text/csv' },
          secrets: [asset.id],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/log-import/apply': [
    {
      name: "apply a script supervisor's CSV to a hidden folder",
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/log-import/apply?folder=/Secret',
          body: `Clip,Scene\n${asset.name},12\n`,
          headers: { 'content-type': 'text/csv' },
          secrets: [asset.id],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/assets/move': [
    {
      name: 'move a hidden asset to an open folder',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/assets/move',
          body: { ids: [asset.id], folder: '/Open' },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'POST /api/assets/delete': [
    {
      name: 'delete a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/assets/delete',
          body: { ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/assets/restore': [
    {
      name: 'restore a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset({ trashed: true });
        return {
          method: 'POST',
          url: '/api/assets/restore',
          body: { ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/trash': [
    {
      name: 'the trash shows only what one may see',
      build: async (f) => {
        const asset = await f.secretAsset({ trashed: true });
        return { method: 'GET', url: '/api/trash', secrets: [asset.id, asset.name] };
      },
      expect: signedIn(200),
    },
  ],
  'DELETE /api/trash': [
    {
      name: 'emptying the trash purges only what one may see',
      build: async (f) => {
        const asset = await f.secretAsset({ trashed: true });
        return { method: 'DELETE', url: '/api/trash', secrets: [asset.id, asset.name] };
      },
      expect: signedIn(200),
    },
  ],
  'POST /api/assets/download': [
    {
      name: 'no signed URL for a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/assets/download',
          body: { ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/downloads/:token': [
    {
      name: 'a signed URL works for whoever holds it, signed in or not',
      build: async (f) => {
        const asset = await f.secretAsset();
        const [link] = await f.dailies.downloads.links(f.actors.member, [asset.id]);
        return { method: 'GET', url: link.url };
      },
      expect: everyone(200),
      bearerUrl: true,
    },
  ],
  'GET /api/jobs/:id': [
    {
      name: "another user's job is missing",
      build: async (f) => {
        const asset = await f.secretAsset();
        const moved = await f.clients.member.post('/api/assets/move', { ids: [asset.id], folder: '/Open' });
        return { method: 'GET', url: `/api/jobs/${moved.json().jobId}`, secrets: [asset.id, asset.name] };
      },
      expect: secretOnly(200),
    },
  ],

  'GET /api/auth/config': [
    {
      name: 'sign-in options',
      build: async () => ({ method: 'GET', url: '/api/auth/config' }),
      expect: everyone(200),
    },
  ],
  'GET /api/auth/oidc/start': [
    {
      // The matrix server has no provider; oidc.test.ts runs the flow against a real one.
      name: 'single sign-on, not set up here',
      build: async () => ({ method: 'GET', url: '/api/auth/oidc/start' }),
      expect: everyone(404),
    },
  ],
  'GET /api/auth/oidc/callback': [
    {
      name: 'the return from the provider, not set up here',
      build: async () => ({ method: 'GET', url: '/api/auth/oidc/callback?code=x&state=y' }),
      expect: everyone(404),
    },
  ],
  'POST /api/auth/login': [
    {
      name: 'a wrong password',
      build: async (f) => ({
        method: 'POST',
        url: '/api/auth/login',
        body: { username: f.unique('nobody'), password: 'wrong-password' },
      }),
      expect: everyone(401),
    },
  ],
  'POST /api/auth/signup': [
    {
      name: 'sign up',
      build: async (f) => ({
        method: 'POST',
        url: '/api/auth/signup',
        body: { username: f.unique('newcomer'), password: 'newcomer-password' },
      }),
      // Sign-up waits for an admin's approval by default: no session starts.
      expect: everyone(202),
    },
  ],
  'POST /api/auth/login/code': [
    {
      name: 'a code for a challenge that does not exist',
      build: async () => ({
        method: 'POST',
        url: '/api/auth/login/code',
        body: { challenge: 'made-up', code: '123456' },
      }),
      expect: everyone(401),
    },
  ],
  'POST /api/auth/login/enrol': [
    {
      name: 'enrol on a challenge that does not exist',
      build: async () => ({ method: 'POST', url: '/api/auth/login/enrol', body: { challenge: 'made-up' } }),
      expect: everyone(401),
    },
  ],
  'POST /api/auth/login/enrol/confirm': [
    {
      name: 'confirm enrolment on a challenge that does not exist',
      build: async () => ({
        method: 'POST',
        url: '/api/auth/login/enrol/confirm',
        body: { challenge: 'made-up', code: '123456' },
      }),
      expect: everyone(401),
    },
  ],
  'GET /api/auth/two-factor': [
    {
      name: 'my two-factor sign-in',
      build: async () => ({ method: 'GET', url: '/api/auth/two-factor' }),
      expect: signedIn(200),
    },
  ],
  'POST /api/auth/two-factor/setup': [
    {
      name: 'set-up with a wrong password',
      build: async () => ({
        method: 'POST',
        url: '/api/auth/two-factor/setup',
        body: { password: 'not-it' },
      }),
      expect: signedIn(403),
    },
  ],
  'POST /api/auth/two-factor/enable': [
    {
      name: 'enable with nothing being enrolled',
      build: async () => ({ method: 'POST', url: '/api/auth/two-factor/enable', body: { code: '123456' } }),
      expect: signedIn(400),
    },
  ],
  'POST /api/auth/two-factor/disable': [
    {
      name: 'disable while it is off',
      build: async (f, role) => ({
        method: 'POST',
        url: '/api/auth/two-factor/disable',
        body: { password: role === 'anonymous' ? 'x' : f.passwords[role].password, code: '123456' },
      }),
      expect: signedIn(409),
    },
  ],
  'POST /api/auth/two-factor/recovery-codes': [
    {
      name: 'new recovery codes while it is off',
      build: async (f, role) => ({
        method: 'POST',
        url: '/api/auth/two-factor/recovery-codes',
        body: { password: role === 'anonymous' ? 'x' : f.passwords[role].password, code: '123456' },
      }),
      expect: signedIn(409),
    },
  ],
  'PUT /api/auth/two-factor/policy': [
    {
      name: 'leave two-factor optional',
      build: async () => ({ method: 'PUT', url: '/api/auth/two-factor/policy', body: { policy: 'off' } }),
      expect: adminOnly(200),
    },
  ],
  'POST /api/auth/logout': [
    {
      name: 'sign out',
      build: async () => ({ method: 'POST', url: '/api/auth/logout', body: {} }),
      expect: signedIn(204),
      freshSession: true,
    },
  ],
  'POST /api/auth/password': [
    {
      name: 'a wrong current password',
      build: async () => ({
        method: 'POST',
        url: '/api/auth/password',
        body: { currentPassword: 'not-it', newPassword: 'whatever-new' },
      }),
      expect: signedIn(403),
    },
  ],
  'GET /api/me': [
    { name: 'who am I', build: async () => ({ method: 'GET', url: '/api/me' }), expect: signedIn(200) },
  ],
  'GET /api/tokens': [
    { name: 'my tokens', build: async () => ({ method: 'GET', url: '/api/tokens' }), expect: signedIn(200) },
  ],
  'POST /api/tokens': [
    {
      name: 'make a token',
      build: async (f, role) => ({
        method: 'POST',
        url: '/api/tokens',
        body: { name: 'matrix', password: role === 'anonymous' ? 'x' : f.passwords[role].password },
      }),
      expect: signedIn(201),
    },
  ],
  'DELETE /api/tokens/:id': [
    {
      name: "revoke the member's token",
      build: async (f) => {
        const created = await f.clients.member.post('/api/tokens', {
          name: 'members',
          password: f.passwords.member.password,
        });
        return { method: 'DELETE', url: `/api/tokens/${created.json().item.id}` };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 204, admin: 204 },
    },
  ],

  'GET /api/users': [
    { name: 'list users', build: async () => ({ method: 'GET', url: '/api/users' }), expect: adminOnly(200) },
  ],
  'POST /api/users': [
    {
      name: 'create a user',
      build: async (f) => ({ method: 'POST', url: '/api/users', body: { username: f.unique('made') } }),
      expect: adminOnly(201),
    },
  ],
  'PATCH /api/users/:id': [
    {
      name: 'change a user',
      build: async (f) => ({
        method: 'PATCH',
        url: `/api/users/${await f.throwawayUser()}`,
        body: { disabled: true },
      }),
      expect: adminOnly(200),
    },
  ],
  'DELETE /api/users/:id': [
    {
      name: 'delete a user',
      build: async (f) => ({ method: 'DELETE', url: `/api/users/${await f.throwawayUser()}` }),
      expect: adminOnly(204),
    },
  ],
  'POST /api/users/:id/approve': [
    {
      name: 'approve a sign-up',
      build: async (f) => ({ method: 'POST', url: `/api/users/${await f.pendingSignUp()}/approve` }),
      expect: adminOnly(200),
    },
  ],
  'POST /api/users/:id/reject': [
    {
      name: 'reject a sign-up',
      build: async (f) => ({ method: 'POST', url: `/api/users/${await f.pendingSignUp()}/reject` }),
      expect: adminOnly(204),
    },
  ],
  'DELETE /api/users/:id/two-factor': [
    {
      name: "reset a user's two-factor sign-in",
      build: async (f) => ({ method: 'DELETE', url: `/api/users/${await f.throwawayUser()}/two-factor` }),
      expect: adminOnly(204),
    },
  ],
  'GET /api/groups': [
    {
      name: 'list groups',
      build: async () => ({ method: 'GET', url: '/api/groups' }),
      expect: adminOnly(200),
    },
  ],
  'POST /api/groups': [
    {
      name: 'create a group',
      build: async (f) => ({ method: 'POST', url: '/api/groups', body: { name: f.unique('grp') } }),
      expect: adminOnly(201),
    },
  ],
  'DELETE /api/groups/:name': [
    {
      name: 'delete a group',
      build: async (f) => ({ method: 'DELETE', url: `/api/groups/${await f.throwawayGroup()}` }),
      expect: adminOnly(204),
    },
  ],
  'POST /api/groups/:name/members': [
    {
      name: 'add a member',
      build: async (f) => ({
        method: 'POST',
        url: `/api/groups/${await f.throwawayGroup()}/members`,
        body: { user: await f.throwawayUser() },
      }),
      expect: adminOnly(200),
    },
  ],
  'DELETE /api/groups/:name/members/:user': [
    {
      name: 'remove a member',
      build: async (f) => ({
        method: 'DELETE',
        url: `/api/groups/project-x/members/${await f.throwawayUser(['project-x'])}`,
      }),
      expect: adminOnly(200),
    },
  ],
  'GET /api/audit': [
    {
      name: 'read the audit log',
      build: async () => ({ method: 'GET', url: '/api/audit' }),
      expect: adminOnly(200),
    },
  ],

  'GET /api/storage': [
    {
      name: 'the figures add only the folders one may see',
      build: async (f) => {
        await f.secretAsset();
        return { method: 'GET', url: '/api/storage', secrets: [f.secretFolderId, 'Secret', 'project-x'] };
      },
      expect: signedIn(200),
    },
    {
      name: 'a hidden folder is missing',
      build: async (f) => ({
        method: 'GET',
        url: '/api/storage?folder=/Secret',
        secrets: [f.secretFolderId],
      }),
      expect: secretOnly(200),
    },
  ],
  'GET /api/storage/growth': [
    {
      name: 'the daily figures of what one may see',
      build: async (f) => {
        await f.dailies.storage.recordDay();
        return { method: 'GET', url: '/api/storage/growth', secrets: ['project-x'] };
      },
      expect: signedIn(200),
    },
  ],
  'GET /api/storage/duplicates': [
    {
      name: 'hidden copies are not listed',
      build: async (f) => {
        const [a, b] = await f.secretDuplicates();
        return {
          method: 'GET',
          url: '/api/storage/duplicates',
          secrets: [a.id, b.id, a.name, b.name, 'Secret'],
        };
      },
      expect: signedIn(200),
    },
  ],
  'POST /api/storage/duplicates/resolve': [
    {
      name: 'a hidden copy is refused as a missing one is',
      build: async (f) => {
        const [a, b] = await f.secretDuplicates();
        return {
          method: 'POST',
          url: '/api/storage/duplicates/resolve',
          body: { groups: [{ keep: a.id, trash: [b.id] }] },
          secrets: [a.name, b.name],
        };
      },
      expect: { anonymous: 401, noGroup: 400, outsider: 400, member: 202, admin: 202 },
    },
  ],
  'GET /api/storage/cleanup': [
    {
      name: 'the lists hold only what one may see',
      build: async (f) => {
        const asset = await f.secretAsset();
        await f.dailies.catalog.assets.update(asset.id, { state: 'failed', stateReason: 'test' });
        return { method: 'GET', url: '/api/storage/cleanup?trashDays=0', secrets: [asset.id, asset.name] };
      },
      expect: signedIn(200),
    },
  ],
  'POST /api/storage/cleanup': [
    {
      name: 'a hidden failed asset is refused as a missing one is',
      build: async (f) => {
        const asset = await f.secretAsset();
        await f.dailies.catalog.assets.update(asset.id, { state: 'failed', stateReason: 'test' });
        return {
          method: 'POST',
          url: '/api/storage/cleanup',
          body: { list: 'failed', ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: { anonymous: 401, noGroup: 400, outsider: 400, member: 200, admin: 200 },
    },
    {
      name: 'emptying hidden trash purges nothing',
      build: async (f) => {
        const asset = await f.secretAsset({ trashed: true });
        return {
          method: 'POST',
          url: '/api/storage/cleanup',
          body: { list: 'old-trash', ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: signedIn(200),
    },
  ],
  'GET /api/storage/retention': [
    {
      name: 'what the trash will purge, of what one may see',
      build: async (f) => {
        await f.secretAsset({ trashed: true });
        return { method: 'GET', url: '/api/storage/retention' };
      },
      expect: signedIn(200),
    },
  ],
  'GET /api/storage/settings': [
    {
      name: 'read storage settings',
      build: async () => ({ method: 'GET', url: '/api/storage/settings' }),
      expect: adminOnly(200),
    },
  ],
  'PUT /api/storage/settings': [
    {
      name: 'save storage settings',
      build: async () => ({
        method: 'PUT',
        url: '/api/storage/settings',
        body: {
          retentionDays: 30,
          idleDays: 14,
          prices: { lake: 0.02, derived: null, volumes: { edit: 0.2 } },
          currency: 'EUR',
        },
      }),
      expect: adminOnly(200),
    },
  ],

  'POST /api/uploads': [
    {
      name: 'upload into a hidden folder',
      build: async (f) => ({
        method: 'POST',
        url: '/api/uploads',
        headers: tus({
          'upload-length': '5',
          'upload-metadata': tusMetadata('/Secret', `${f.unique('up')}.mov`),
        }),
      }),
      expect: secretOnly(201),
    },
  ],
  'OPTIONS /api/uploads': [
    {
      name: 'tus capabilities',
      build: async () => ({ method: 'OPTIONS', url: '/api/uploads', headers: tus() }),
      expect: signedIn(204),
    },
  ],
  'PATCH /api/uploads/:token': [
    {
      name: "send bytes to the member's upload",
      build: async (f) => ({
        method: 'PATCH',
        url: await f.memberUpload(),
        body: Buffer.from('12345'),
        headers: tus({ 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' }),
      }),
      expect: secretOnly(204),
    },
  ],
  'HEAD /api/uploads/:token': [
    {
      name: "ask about the member's upload",
      build: async (f) => ({ method: 'HEAD', url: await f.memberUpload(), headers: tus() }),
      expect: secretOnly(200),
    },
  ],
  'DELETE /api/uploads/:token': [
    {
      name: "cancel the member's upload",
      build: async (f) => ({ method: 'DELETE', url: await f.memberUpload(), headers: tus() }),
      expect: secretOnly(204),
    },
  ],
  'OPTIONS /api/uploads/:token': [
    {
      name: 'tus capabilities of an upload',
      build: async (f) => ({ method: 'OPTIONS', url: await f.memberUpload(), headers: tus() }),
      expect: signedIn(204),
    },
  ],

  'GET /api/volumes': [
    {
      name: 'volumes one may use',
      build: async () => ({ method: 'GET', url: '/api/volumes' }),
      expect: signedIn(200),
    },
  ],
  'POST /api/volumes/:id/copy': [
    {
      name: 'copy a hidden asset to the volume',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/copy',
          body: { ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'POST /api/volumes/:id/prepare-selection': [
    {
      name: 'prepare a hidden asset for edit on the volume',
      build: async (f, role) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/prepare-selection',
          // A name of its own per call: bins are never written over an existing file (409).
          body: { ids: [asset.id], name: `matrix ${role} ${Math.random().toString(36).slice(2, 10)}` },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'POST /api/volumes/:id/remove': [
    {
      name: 'remove a hidden asset from the volume',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/remove',
          body: { ids: [asset.id] },
          secrets: [asset.name],
        };
      },
      // Who may see it learns there is no copy to remove; nobody else learns it exists.
      expect: secretOnly(400),
    },
  ],
  'POST /api/volumes/:id/copy-folder': [
    {
      name: 'copy a hidden folder to the volume',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/copy-folder',
          body: { folder: '/Secret' },
          secrets: [asset.name, asset.id],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'POST /api/volumes/:id/prepare': [
    {
      name: 'prepare a hidden folder for edit on the volume',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/prepare',
          body: { folder: '/Secret' },
          secrets: [asset.name, asset.id],
        };
      },
      expect: secretOnly(202),
    },
  ],
  'POST /api/volumes/:id/remove-folder': [
    {
      name: "remove a hidden folder's copies from the volume",
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/volumes/edit/remove-folder',
          body: { folder: '/Secret' },
          secrets: [asset.name, asset.id],
        };
      },
      // Nothing of it is on the volume: nothing to remove, for those who may see it.
      expect: secretOnly(202),
    },
  ],
  'POST /api/volumes/:id/scan': [
    {
      name: 'scan the volume',
      build: async () => ({ method: 'POST', url: '/api/volumes/edit/scan', body: {} }),
      expect: { anonymous: 401, noGroup: 404, outsider: 200, member: 200, admin: 200 },
    },
  ],
  'GET /api/volumes/:id/files': [
    {
      name: 'browse the volume',
      build: async () => ({ method: 'GET', url: '/api/volumes/edit/files?path=/' }),
      expect: { anonymous: 401, noGroup: 404, outsider: 200, member: 200, admin: 200 },
    },
  ],
  'POST /api/volumes/:id/import': [
    {
      name: 'bring a render from the volume into a hidden folder',
      build: async (f) => ({
        method: 'POST',
        url: '/api/volumes/edit/import',
        body: { paths: [f.volumeFile], folder: '/Secret' },
      }),
      expect: secretOnly(202),
    },
  ],

  'GET /api/assets/:id/thumbnail': [
    {
      name: 'the thumbnail of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/thumbnail`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/proxy': [
    {
      name: 'the proxy of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/proxy`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/filmstrip': [
    {
      name: 'the filmstrip cues of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/filmstrip`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/filmstrip.vtt': [
    {
      name: 'the filmstrip cues by their file name of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/filmstrip.vtt`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/filmstrip.jpg': [
    {
      name: 'the filmstrip sprite of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/filmstrip.jpg`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/waveform': [
    {
      name: 'the waveform of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/waveform`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/metadata': [
    {
      name: 'the technical metadata of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/metadata`, secrets: [clip.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/assets/:id/retry': [
    {
      name: 'process a hidden asset again',
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'POST', url: `/api/assets/${asset.id}/retry`, body: {}, secrets: [asset.name] };
      },
      expect: secretOnly(202),
    },
  ],
  'GET /api/assets/:id/notes': [
    {
      name: 'the notes of a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        const note = await f.dailies.notes.add(SYSTEM_ACTOR, asset.id, { text: f.unique('secret note') });
        return { method: 'GET', url: `/api/assets/${asset.id}/notes`, secrets: [asset.name, note.text] };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/assets/:id/notes': [
    {
      name: 'a note on a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: `/api/assets/${asset.id}/notes`,
          body: { text: 'hello' },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(201),
    },
  ],
  'PATCH /api/notes/:noteId': [
    {
      name: "the member's own note on a hidden asset",
      build: async (f) => {
        const asset = await f.secretAsset();
        const note = await f.dailies.notes.add(f.actors.member, asset.id, { text: f.unique('own note') });
        return {
          method: 'PATCH',
          url: `/api/notes/${note.id}`,
          body: { text: 'changed' },
          secrets: [asset.name, note.text],
        };
      },
      expect: secretOnly(200),
    },
    {
      name: "someone else's note on a hidden asset: its author or an admin only",
      build: async (f) => {
        const asset = await f.secretAsset();
        const note = await f.dailies.notes.add(SYSTEM_ACTOR, asset.id, { text: f.unique('their note') });
        return {
          method: 'PATCH',
          url: `/api/notes/${note.id}`,
          body: { text: 'changed' },
          secrets: [asset.name, note.text],
        };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 403, admin: 200 },
    },
  ],
  'DELETE /api/notes/:noteId': [
    {
      name: "the member's own note on a hidden asset",
      build: async (f) => {
        const asset = await f.secretAsset();
        const note = await f.dailies.notes.add(f.actors.member, asset.id, { text: f.unique('own note') });
        return { method: 'DELETE', url: `/api/notes/${note.id}`, secrets: [asset.name, note.text] };
      },
      expect: secretOnly(204),
    },
    {
      name: "someone else's note on a hidden asset: its author or an admin only",
      build: async (f) => {
        const asset = await f.secretAsset();
        const note = await f.dailies.notes.add(SYSTEM_ACTOR, asset.id, { text: f.unique('their note') });
        return { method: 'DELETE', url: `/api/notes/${note.id}`, secrets: [asset.name, note.text] };
      },
      expect: { anonymous: 401, noGroup: 404, outsider: 404, member: 403, admin: 204 },
    },
  ],
  'GET /api/bins': [
    {
      name: 'a bin of a hidden folder',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'GET',
          url: '/api/bins?folder=/Secret&recursive=true&format=ale',
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/bins': [
    {
      name: 'a bin of a hidden asset',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/bins',
          body: { ids: [asset.id], format: 'fcpxml' },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/audio/:track': [
    {
      // The clip has one audio track, so no track file is made: whoever may see it gets a
      // 404 for the track, the same answer a hidden clip gives everyone else.
      name: 'an audio track of a hidden clip',
      build: async (f) => {
        const clip = await secretClip(f);
        return { method: 'GET', url: `/api/assets/${clip.id}/audio/1`, secrets: [clip.name] };
      },
      expect: secretOnly(404),
    },
  ],
  'GET /api/assets/:id/sequence': [
    {
      name: 'the frame range of a hidden image sequence',
      build: async (f) => {
        const { sequence, base } = await secretSequence(f);
        return { method: 'GET', url: `/api/assets/${sequence.id}/sequence`, secrets: [base] };
      },
      expect: secretOnly(200),
    },
  ],
  'PUT /api/assets/:id/sequence': [
    {
      name: 'the frame rate of a hidden image sequence',
      build: async (f) => {
        const { sequence, base } = await secretSequence(f);
        return {
          method: 'PUT',
          url: `/api/assets/${sequence.id}/sequence`,
          body: { frameRate: '25' },
          secrets: [base],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/assets/:id/frames/download': [
    {
      name: 'no signed URL for a frame of a hidden image sequence',
      build: async (f) => {
        const { sequence, base } = await secretSequence(f);
        return {
          method: 'POST',
          url: `/api/assets/${sequence.id}/frames/download`,
          body: { frames: [1] },
          secrets: [base],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/assets/:id/mhl': [
    {
      name: "a hidden asset's ASC MHL verdict",
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'GET', url: `/api/assets/${asset.id}/mhl`, secrets: [asset.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/mhl/card': [
    {
      name: 'a hidden card is missing',
      build: async (f) => {
        const { card, file } = await secretCard(f);
        return { method: 'GET', url: `/api/mhl/card?folder=${encodeURIComponent(card)}`, secrets: [file] };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/mhl/folder': [
    {
      name: 'an MHL of a hidden folder is missing',
      build: async (f) => {
        const asset = await f.secretAsset();
        return { method: 'GET', url: '/api/mhl/folder?folder=/Secret', secrets: [asset.name] };
      },
      expect: secretOnly(200),
    },
  ],
  'POST /api/mhl/selection': [
    {
      name: 'an MHL of a hidden asset is refused as a missing one is',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'POST',
          url: '/api/mhl/selection',
          body: { assetIds: [asset.id] },
          secrets: [asset.name],
        };
      },
      expect: secretOnly(200),
    },
  ],
  'GET /api/search': [
    {
      name: 'search never finds what one may not see',
      build: async (f) => {
        const asset = await f.secretAsset();
        return {
          method: 'GET',
          url: `/api/search?q=${asset.name.slice(0, -4)}`,
          secrets: [asset.id, asset.name],
        };
      },
      expect: signedIn(200),
    },
  ],
  'GET /api/settings': [
    {
      name: 'the lake and volumes in effect',
      build: async () => ({ method: 'GET', url: '/api/settings' }),
      expect: adminOnly(200),
    },
  ],
  'PUT /api/settings': [
    {
      name: 'save the volumes (checked, applied at once)',
      build: async (f) => ({
        method: 'PUT',
        url: '/api/settings',
        body: {
          volumes: [
            { id: 'edit', name: 'Edit', path: f.volumeDir, displayPath: '\\\\edit', groups: ['editors'] },
          ],
        },
      }),
      expect: adminOnly(200),
    },
  ],
  'GET /api/events': [
    {
      name: 'the event stream',
      build: async () => ({ method: 'GET', url: '/api/events' }),
      expect: signedIn(200),
      stream: true,
    },
  ],
};

/**
 * One clip in /Secret with every derivative made. The matrix server runs no workers, so they
 * run here once, until the queue is empty, and stop before any cell is called.
 */
let processedClip: Promise<Asset> | null = null;
function secretClip(f: Fixture): Promise<Asset> {
  processedClip ??= (async () => {
    const { dailies } = f;
    const clip = await dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Secret',
      `${f.unique('secretclip')}.mp4`,
      createReadStream(await mediaFixture('h264Mp4')),
    );
    // Only processing runs: the moves and copies cells asked for must not happen behind them.
    const others = JOB_NAMES.filter((name) => !name.startsWith('asset.'));
    await dailies.jobs.work(dailies.handlers, {
      concurrency: Object.fromEntries(others.map((name) => [name, 0])),
    });
    await untilSettled(() => dailies.catalog.assets.get(clip.id), 200_000);
    await dailies.jobs.stop();
    expect((await dailies.catalog.assets.get(clip.id))?.state).toBe('ready');
    return clip;
  })();
  return processedClip;
}

/** Two frames in /Secret, one image sequence (the first frame's asset becomes it, keeping its id). */
async function secretSequence(f: Fixture): Promise<{ sequence: Asset; base: string }> {
  const base = f.unique('secretplate');
  const frame = (n: string) =>
    f.dailies.imports.importStream(
      SYSTEM_ACTOR,
      '/Secret',
      `${base}.${n}.dpx`,
      Readable.from([Buffer.from(base)]),
    );
  const sequence = await frame('0001');
  await frame('0002');
  return { sequence, base };
}

/** A camera card with an ASC MHL history in /Secret, verified: its folder path and file name. */
async function secretCard(f: Fixture): Promise<{ card: string; file: string }> {
  const card = `/Secret/${f.unique('card')}`;
  const file = `${f.unique('secretclip')}.mov`;
  const bytes = Buffer.from(file);
  const put = (folder: string, name: string, body: Buffer) =>
    f.dailies.imports.importStream(SYSTEM_ACTOR, folder, name, Readable.from([body]));
  await put(card, file, bytes);
  const generation = Buffer.from(
    writeGeneration({
      createdAt: 0,
      hostname: 'offload',
      toolVersion: '1',
      process: 'in-place',
      files: [
        {
          path: file,
          size: bytes.length,
          values: { xxh64: { value: hashAll(['xxh64'], bytes).xxh64!, action: 'original', hashDate: 0 } },
        },
      ],
    }),
  );
  const name = '0001_card_2026-12-01_000000Z.mhl';
  await put(`${card}/ascmhl`, name, generation);
  await put(
    `${card}/ascmhl`,
    'ascmhl_chain.xml',
    Buffer.from(writeChain([{ sequence: 1, path: name, c4: c4Of(generation) }])),
  );
  const folderId = (await f.dailies.catalog.folders.getByPath(card))!.id;
  await f.dailies.mhl.runVerify(
    { data: { folderId } } as never,
    { signal: new AbortController().signal } as never,
  );
  return { card, file };
}

interface Fixture {
  dailies: TestServer['dailies'];
  clients: Record<Exclude<Role, 'anonymous'>, Client> & { anonymous: Client };
  actors: Record<'member', Actor>;
  secretFolderId: string;
  volumeFile: string;
  /** Where the edit volume is mounted. */
  volumeDir: string;
  unique(prefix: string): string;
  /** A fresh asset in /Secret (or below), optionally already in the trash. */
  secretAsset(options?: { trashed?: boolean } | string): Promise<Asset>;
  secretFolder(): Promise<{ id: string; path: string; name: string }>;
  /** Two fresh assets in /Secret with one checksum and size. */
  secretDuplicates(): Promise<[Asset, Asset]>;
  throwawayUser(groups?: string[]): Promise<string>;
  /** An account made by sign-up, waiting for approval; its id. */
  pendingSignUp(): Promise<string>;
  throwawayGroup(): Promise<string>;
  /** A tus upload the member started in /Secret; its URL. */
  memberUpload(): Promise<string>;
  /** Everything of /Secret in the catalog and the lake, to prove a refused caller changed nothing. */
  secretState(): Promise<string>;
  passwords: Record<Exclude<Role, 'anonymous'>, { username: string; password: string }>;
}

describe('permission matrix', () => {
  let server: TestServer;
  let f: Fixture;
  let base: string;
  const volumeDir = mkdtempSync(join(tmpdir(), 'dailies-matrix-volume-'));
  // A built web app of one page, so the app's own route is registered whether or not `web/` was built.
  const webDir = mkdtempSync(join(tmpdir(), 'dailies-matrix-web-'));
  writeFileSync(join(webDir, 'index.html'), '<!doctype html><title>Dailies</title>');

  beforeAll(async () => {
    server = await startServer('sqlite', {
      webDir,
      volumes: [{ id: 'edit', name: 'Edit', path: volumeDir, displayPath: '\\\\edit', groups: ['editors'] }],
    });
    const { dailies, app } = server;
    const admin = await signIn(app, 'admin', ADMIN_PASSWORD);
    expect((await admin.post('/api/groups', { name: 'project-x' })).statusCode).toBe(201);
    const noGroup = await makeUser(admin, 'nogroup', []);
    const outsider = await makeUser(admin, 'outsider', ['editors']);
    const member = await makeUser(admin, 'member', ['editors', 'project-x']);
    await admin.post('/api/folders', { path: '/Secret' });
    await admin.request('PUT', '/api/folders/groups', { path: '/Secret', groups: ['admin', 'project-x'] });
    await admin.post('/api/folders', { path: '/Open' });
    await admin.request('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin', 'editors'] });
    writeFileSync(join(volumeDir, 'render.mov'), 'rendered');
    const secretFolderId = (await dailies.catalog.folders.getByPath('/Secret'))!.id;
    const memberActor = (await dailies.users.actorById(member.id))!;
    let counter = 0;
    const unique = (prefix: string) => `${prefix}${++counter}z${Math.random().toString(36).slice(2, 8)}`;
    f = {
      dailies,
      clients: {
        anonymous: new Client(app),
        noGroup: noGroup.client,
        outsider: outsider.client,
        member: member.client,
        admin,
      },
      actors: { member: memberActor },
      passwords: {
        noGroup: { username: 'nogroup', password: noGroup.password },
        outsider: { username: 'outsider', password: outsider.password },
        member: { username: 'member', password: member.password },
        admin: { username: 'admin', password: ADMIN_PASSWORD },
      },
      secretFolderId,
      volumeFile: '/render.mov',
      volumeDir,
      unique,
      async secretAsset(options = {}) {
        const folder = typeof options === 'string' ? options : '/Secret';
        const name = `${unique('secretclip')}.mov`;
        const asset = await dailies.imports.importStream(
          SYSTEM_ACTOR,
          folder,
          name,
          Readable.from([Buffer.from(name)]),
        );
        if (typeof options !== 'string' && options.trashed)
          await dailies.trash.trash(SYSTEM_ACTOR, [asset.id]);
        return asset;
      },
      async secretDuplicates() {
        const pair = [await this.secretAsset(), await this.secretAsset()] as [Asset, Asset];
        const checksum = unique('dup');
        for (const asset of pair)
          await dailies.catalog.assets.update(asset.id, { checksumXxh64: checksum, size: 99 });
        return pair;
      },
      async secretFolder() {
        const name = unique('sub');
        const folder = await dailies.folders.create(memberActor, `/Secret/${name}`);
        return { id: folder.id, path: folder.path, name };
      },
      async throwawayUser(groups = []) {
        const created = await dailies.users.create(SYSTEM_ACTOR, { username: unique('temp'), groups });
        return created.user.id;
      },
      async pendingSignUp() {
        const username = unique('waiting');
        const response = await app.inject({
          method: 'POST',
          url: '/api/auth/signup',
          remoteAddress: `10.9.${counter % 250}.${Math.floor(counter / 250) % 250}`,
          payload: { username, password: `${username}-password` },
        });
        expect(response.statusCode).toBe(202);
        return (await dailies.catalog.users.getByUsername(username))!.id;
      },
      async throwawayGroup() {
        return (await dailies.users.createGroup(SYSTEM_ACTOR, { name: unique('tmpgrp') })).name;
      },
      async memberUpload() {
        const response = await member.client.request('POST', '/api/uploads', undefined, {
          'tus-resumable': '1.0.0',
          'upload-length': '5',
          'upload-metadata': tusMetadata('/Secret', `${unique('upload')}.mov`),
        });
        expect(response.statusCode).toBe(201);
        return new URL(response.headers.location as string, 'http://localhost').pathname;
      },
      async secretState() {
        const { catalog } = dailies;
        const folders = await catalog.folders.subtree('/Secret');
        const groups = await catalog.folders.groupsOf(folders.map((x) => x.id));
        const live = await catalog.assets.liveInFolders(folders.map((x) => x.id));
        const trashed = (await catalog.assets.trashed()).filter((a) => a.trashedFrom?.startsWith('/Secret'));
        const lake = readdirSync(join(dailies.config.lake, 'Secret'), { recursive: true }).map(String).sort();
        return JSON.stringify({ folders, groups: [...groups], live, trashed, lake });
      },
    };
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    // Made before the cells run, so none waits on ffmpeg.
    await secretClip(f);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    rmSync(volumeDir, { recursive: true, force: true });
    rmSync(webDir, { recursive: true, force: true });
  });

  it('has an entry for every route the server registers, and none for routes that are gone', () => {
    const registered = new Set<string>();
    const gets = new Set(server.app.routeTable.filter((r) => r.method === 'GET').map((r) => r.url));
    for (const route of server.app.routeTable) {
      // Fastify answers HEAD for every GET with the GET's handler; only explicit HEAD routes count.
      if (route.method === 'HEAD' && gets.has(route.url)) continue;
      registered.add(`${route.method} ${route.url}`);
    }
    const missing = [...registered].filter((key) => !(key in MATRIX));
    const stale = Object.keys(MATRIX).filter((key) => !registered.has(key));
    expect(
      missing,
      `Routes without an entry in the permission matrix (server/test/auth/permission-matrix.test.ts): ${missing.join(', ')}. ` +
        'Add one saying what anonymous, a user with no group, an editor without access, one with access, and an admin get.',
    ).toEqual([]);
    expect(stale, `Matrix entries for routes the server no longer registers: ${stale.join(', ')}`).toEqual(
      [],
    );
  });

  describe.each(Object.keys(MATRIX))('%s', (key) => {
    it.each(MATRIX[key].map((c) => [c.name, c] as const))('%s', async (_name, cell) => {
      for (const role of ROLES) {
        let client = f.clients[role];
        if (cell.freshSession && role !== 'anonymous') {
          const { username, password } = f.passwords[role];
          client = await signIn(server.app, username, password);
        }
        const request = await cell.build(f, role);
        const before = await f.secretState();
        const where = `${key} (${cell.name}) as ${role}`;
        if (cell.stream) {
          const controller = new AbortController();
          const response = await fetch(`${base}${request.url}`, {
            headers: client.credentials.cookie
              ? { cookie: `dailies_session=${client.credentials.cookie}` }
              : {},
            signal: controller.signal,
          });
          expect(response.status, where).toBe(cell.expect[role]);
          controller.abort();
          continue;
        }
        const response = await client.request(request.method, request.url, request.body, request.headers);
        expect(response.statusCode, `${where}: ${response.body}`).toBe(cell.expect[role]);
        if (!SEES_SECRET.includes(role) && !cell.bearerUrl) {
          for (const secret of request.secrets ?? [])
            expect(response.body, `${where} shows ${secret}`).not.toContain(secret);
          expect(await f.secretState(), `${where} changed /Secret`).toBe(before);
        }
      }
    });
  });

  /**
   * Every route under other spellings of its URL (issue 11, finding 1: `/%61pi/folders` was
   * served to anyone), with its own methods plus HEAD and OPTIONS, as anonymous, an editor
   * outside /Secret's groups, one inside, and an admin. A spelling reaches the route itself
   * (and so its checks) or no route: anonymous never gets a 2xx from a route that is not
   * public, nobody gets a 5xx, and nothing of /Secret reaches one who may not see it.
   */
  it('holds under other spellings of every URL, methods and request lines', async () => {
    const secret = await f.secretAsset();
    const secretUpload = await f.memberUpload();
    const [link] = await f.dailies.downloads.links(f.actors.member, [secret.id]);
    const concrete = (url: string): string | null => {
      if (url === '/*') return null;
      if (url.startsWith('/api/uploads/')) return secretUpload;
      if (url.startsWith('/api/downloads/')) return new URL(link.url, 'http://x').pathname;
      return url
        .replace(':id', url.startsWith('/api/assets/') ? secret.id : crypto.randomUUID())
        .replace(':name', 'project-x')
        .replace(':user', 'member');
    };
    const publicRoute = new Map(server.app.routeTable.map((r) => [`${r.method} ${r.url}`, r.public]));
    const paths = [...new Set(server.app.routeTable.map((r) => r.url))];
    const leaks: string[] = [];
    let tried = 0;
    const check = (where: string, role: Role, routeIsPublic: boolean, status: number, body: string) => {
      tried++;
      if (status >= 500) leaks.push(`${where} as ${role}: ${status} ${body.slice(0, 200)}`);
      if (role === 'anonymous' && !routeIsPublic && status >= 200 && status < 300)
        leaks.push(`${where} as anonymous: ${status}`);
      // A signed download URL is the credential itself: whoever holds it gets the bytes.
      const bearer = where.includes('(/api/downloads/:token');
      if (
        !bearer &&
        (role === 'anonymous' || role === 'outsider') &&
        (body.includes(secret.name) || body.includes(f.secretFolderId))
      )
        leaks.push(`${where} as ${role} shows /Secret`);
    };
    // Raw HTTP to the listening server: absolute-form request lines as a proxy may forward
    // them, and the event stream, which never ends: its answer is read to the end of its
    // headers and the socket closed. A deadline turns a hang into a failure naming the request.
    const { hostname, port } = new URL(base);
    const raw = (line: string, headers: string[] = [], headersOnly = false) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const socket = connect(Number(port), hostname);
        let text = '';
        const done = () => {
          clearTimeout(deadline);
          socket.destroy();
          resolve({ status: Number(text.split(' ')[1]) || 0, body: text });
        };
        const deadline = setTimeout(() => {
          socket.destroy();
          reject(new Error(`no answer within 10 s to ${line}: ${text.slice(0, 200)}`));
        }, 10_000);
        socket.setEncoding('latin1');
        socket.on('data', (chunk) => {
          text += chunk;
          if (headersOnly && text.includes('\r\n\r\n')) done();
        });
        socket.on('end', done);
        socket.on('error', (error) => {
          clearTimeout(deadline);
          reject(error);
        });
        const extra = headers.map((h) => `${h}\r\n`).join('');
        socket.write(`${line}\r\nHost: ${hostname}:${port}\r\n${extra}Connection: close\r\n\r\n`);
      });
    const clients = { ...f.clients };
    const credentialsOf = (role: Role) => {
      const { cookie, csrf } = clients[role].credentials;
      return [
        ...(cookie ? [`Cookie: ${SESSION_COOKIE}=${cookie}`] : []),
        ...(csrf ? [`${CSRF_HEADER}: ${csrf}`] : []),
      ];
    };
    // Sign-out (and a password change) end the session they are sent with: the role signs in
    // again, so the requests after it are still tried as that role.
    let signedInAgain = 0;
    let streamsOpened = 0;
    const signInAgain = async (role: Role) => {
      if (role === 'anonymous') return;
      signedInAgain++;
      const { username, password } = f.passwords[role];
      clients[role] = await signIn(server.app, username, password);
    };
    const stillSignedIn = async (role: Role) =>
      role === 'anonymous' || (await clients[role].request('GET', '/api/me')).statusCode === 200;
    // Who may not see /Secret goes first, and must change nothing of it.
    const before = await f.secretState();
    for (const role of ['anonymous', 'outsider', 'member', 'admin'] as const) {
      if (role === 'member')
        expect(await f.secretState(), 'anonymous or outsider changed /Secret').toBe(before);
      for (const url of paths) {
        const path = concrete(url);
        if (path === null) continue;
        const methods = new Set([
          ...server.app.routeTable.filter((r) => r.url === url).map((r) => r.method),
          'HEAD',
          'OPTIONS',
        ]);
        for (const spelling of spellingsOf(path)) {
          for (const method of methods) {
            const isPublic = publicRoute.get(`${method} ${url}`) ?? false;
            const where = `${method} ${spelling.path} (${url}, ${spelling.name})`;
            if (url === '/api/events') {
              // The stream never ends under inject: over a socket, read to its headers.
              const answer = await raw(`${method} ${spelling.path} HTTP/1.1`, credentialsOf(role), true);
              check(where, role, isPublic, answer.status, answer.body);
              expect(answer.status, where).toBeGreaterThan(0);
              if (answer.status === 200 && answer.body.includes('text/event-stream')) streamsOpened++;
              continue;
            }
            const client = clients[role];
            const response = await client.request(
              method as 'GET',
              spelling.path,
              method === 'GET' || method === 'HEAD' || method === 'OPTIONS' ? undefined : {},
            );
            check(where, role, isPublic, response.statusCode, response.body);
            if (url.startsWith('/api/auth/') && response.statusCode < 300 && !(await stillSignedIn(role)))
              await signInAgain(role);
          }
        }
      }
    }
    // The absolute-form request line (`GET http://host/api/...`), sent raw to the listening
    // server as each role: a proxy may forward it as it came.
    for (const role of ['anonymous', 'outsider', 'member', 'admin'] as const) {
      for (const url of paths) {
        const path = concrete(url);
        if (path === null || !server.app.routeTable.some((r) => r.url === url && r.method === 'GET'))
          continue;
        const isPublic = publicRoute.get(`GET ${url}`) ?? false;
        for (const target of [
          `http://${hostname}:${port}${path}`,
          `http://evil.example${path}`,
          `HTTP://${hostname.toUpperCase()}:${port}${path}`,
          `http://${hostname}:${port}${spellingsOf(path)[0].path}`,
        ]) {
          const answer = await raw(`GET ${target} HTTP/1.1`, credentialsOf(role), url === '/api/events');
          check(`GET ${target} (${url}, absolute form)`, role, isPublic, answer.status, answer.body);
          // A response always comes back: the server did not drop the connection.
          expect(answer.status, target).toBeGreaterThan(0);
        }
      }
    }
    console.log(
      `permission matrix under other spellings: ${tried} requests tried, ${leaks.length} leaks ` +
        `(${streamsOpened} event streams opened by signed-in roles, ${signedInAgain} sign-ins after a sign-out)`,
    );
    expect(leaks).toEqual([]);
    expect(tried).toBeGreaterThan(1000);
    // The new ground was really covered: signed-in roles reached the stream, and sign-out ran.
    expect(streamsOpened).toBeGreaterThan(0);
    expect(signedInAgain).toBeGreaterThan(0);
  }, 600_000);
});
