/**
 * The API fuzzed from its own OpenAPI document (issue 11): for every operation, as anonymous, an
 * editor and an admin, fast-check makes parameters and bodies, some shaped as the schema asks and
 * some hostile (wrong types, huge strings, objects where text is expected, `%` `_` `..`, control
 * and bidi characters), and every answer must hold:
 * - never a 5xx;
 * - every JSON error is `{ error, message }`;
 * - a success matches the response schema the document declares;
 * - no absolute server path (the data dir, the lake) in any answer;
 * - nothing of a folder the editor cannot see (its asset's name, ids) reaches the editor or anonymous.
 *
 * Real: the whole server in-process (SQLite catalog, fs lake, an fs edit volume).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/features/access/actor.js';
import {
  ADMIN_PASSWORD,
  type Client,
  makeUser,
  signIn,
  startServer,
  type TestServer,
} from '../auth/support.js';

type Schema = Record<string, unknown> & {
  type?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  anyOf?: Schema[];
  enum?: unknown[];
  nullable?: boolean;
};
interface Operation {
  method: string;
  path: string;
  parameters: Array<{ in: 'path' | 'query'; name: string; required?: boolean; schema: Schema }>;
  body?: Schema;
  responses: Record<string, Schema | undefined>;
}

// Ajv as Fastify ships it; the document's schemas are plain JSON Schema with OpenAPI's `nullable`.
const Ajv = createRequire(import.meta.resolve('fastify'))('ajv') as new (
  options: Record<string, unknown>,
) => { compile(schema: unknown): ((data: unknown) => boolean) & { errors?: unknown } };
const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: false });

const HIDDEN_NAME = 'vault-QZ7-plan.mov';
const HIDDEN_TRASHED = 'vault-QZ7-trashed.mov';
const RUNS_PER_OPERATION = 60;
const TUS_RUNS = 200;
const SETTINGS_RUNS = 150;

let s: TestServer;
let admin: Client;
let editor: Client;
let openAssetId: string;
let hiddenAssetId: string;
let hiddenFolderId: string;
let openToken: string;
const volumeDir = mkdtempSync(join(tmpdir(), 'dailies-fuzz-volume-'));
writeFileSync(join(volumeDir, 'render.mov'), 'rendered');

beforeAll(async () => {
  s = await startServer('sqlite', {
    volumes: [{ id: 'edit', name: 'Edit', path: volumeDir, displayPath: '\\\\edit', groups: ['editors'] }],
  });
  admin = await signIn(s.app, 'admin', ADMIN_PASSWORD);
  editor = (await makeUser(admin, 'editor', ['editors'])).client;
  await admin.post('/api/folders', { path: '/Open' });
  await admin.request('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin', 'editors'] });
  await admin.post('/api/folders', { path: '/Vault' });
  await admin.request('PUT', '/api/folders/groups', { path: '/Vault', groups: ['admin'] });
  const open = await s.dailies.imports.importStream(
    SYSTEM_ACTOR,
    '/Open',
    'open-clip.mov',
    Readable.from([Buffer.from('open bytes')]),
  );
  openAssetId = open.id;
  const hidden = await s.dailies.imports.importStream(
    SYSTEM_ACTOR,
    '/Vault',
    HIDDEN_NAME,
    Readable.from([Buffer.from('hidden bytes')]),
  );
  hiddenAssetId = hidden.id;
  const trashed = await s.dailies.imports.importStream(
    SYSTEM_ACTOR,
    '/Vault',
    HIDDEN_TRASHED,
    Readable.from([Buffer.from('trashed bytes')]),
  );
  await s.dailies.trash.trash(SYSTEM_ACTOR, [trashed.id]);
  hiddenFolderId = (await s.dailies.catalog.folders.getByPath('/Vault'))!.id;
  const [link] = await s.dailies.downloads.links(SYSTEM_ACTOR, [open.id]);
  openToken = link.url.split('/').pop()!;
}, 120_000);

afterAll(async () => {
  await s?.close();
  rmSync(volumeDir, { recursive: true, force: true });
});

/** Values that break naive code: each is tried where any parameter or field goes. */
const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    '',
    '%',
    '_',
    '%_%',
    '..',
    '../..',
    '/..',
    '/../../etc/passwd',
    '/Open/../Vault',
    '\u0000',
    'a\u202eb',
    'line\nbreak',
    '\\',
    '%2e%2e',
    '%00',
    'ǅ',
    'A\u030a',
    '/vault',
    '/VAULT',
    '\u{1f4a5}',
    ' ',
    '*',
    "'; DROP TABLE assets; --",
    'NaN',
    '-1',
    '1e400',
    'null',
    '[object Object]',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constant('x'.repeat(5000)),
  fc.constant(`/${'a'.repeat(300)}`),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
  fc.constant({ $gt: '' }),
  fc.constant([[[]]]),
);

/** What a field of this name and schema usually holds here, so valid-shaped requests reach the rules. */
function shaped(schema: Schema, name = ''): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => shaped(s, name)));
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const base = ((): fc.Arbitrary<unknown> => {
    switch (schema.type) {
      case 'string': {
        if (name === 'cursor')
          return fc
            .oneof(
              fc.tuple(
                fc.oneof(
                  fc.dictionary(fc.string(), fc.integer(), { maxKeys: 2 }),
                  fc.array(fc.integer()),
                  hostile,
                ),
                fc.oneof(fc.uuid(), hostile),
              ),
              fc.tuple(fc.string(), fc.uuid()),
              hostile,
            )
            .map((value) => Buffer.from(JSON.stringify(value) ?? '').toString('base64url'));
        if (/path|folder/i.test(name))
          return fc.constantFrom('/', '/Open', '/Vault', '/Open/sub', '/Vault/sub', '/New', '/render.mov');
        if (/^ids?$|^id$/.test(name)) return fc.constantFrom(openAssetId, hiddenAssetId, crypto.randomUUID());
        if (schema.format === 'date-time')
          return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
        const max = Math.min(Number(schema.maxLength ?? 30), 30);
        return fc.oneof(
          fc.string({
            minLength: Number(schema.minLength ?? 0),
            maxLength: Math.max(max, Number(schema.minLength ?? 0)),
          }),
          fc.constantFrom('editors', 'admin', 'project-x', 'open-clip.mov', 'new name.mov', 'edit'),
        );
      }
      case 'integer':
        return fc.integer({
          min: Number(schema.minimum ?? -10),
          max: Number(schema.maximum ?? 10_000),
        });
      case 'number':
        return fc.double({
          min: Number(schema.minimum ?? -10),
          max: Number(schema.maximum ?? 1e6),
          noNaN: true,
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(schema.items ? field(schema.items, name.replace(/s$/, '')) : hostile, {
          minLength: Number(schema.minItems ?? 0),
          maxLength: Math.min(Number(schema.maxItems ?? 4), 4),
        });
      case 'object': {
        const properties = schema.properties ?? {};
        const required = new Set(schema.required ?? []);
        return fc.record(
          Object.fromEntries(Object.entries(properties).map(([key, sub]) => [key, field(sub, key)])),
          { requiredKeys: Object.keys(properties).filter((k) => required.has(k)) },
        );
      }
      default:
        return hostile;
    }
  })();
  return schema.nullable ? fc.option(base, { nil: null }) : base;
}

/** Mostly what the schema asks for, sometimes anything at all. */
function field(schema: Schema, name = ''): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 4, arbitrary: shaped(schema, name) }, { weight: 1, arbitrary: hostile });
}

function pathValue(route: string, name: string): fc.Arbitrary<unknown> {
  if (route.startsWith('/api/assets/'))
    return fc.oneof(fc.constantFrom(openAssetId, hiddenAssetId, crypto.randomUUID()), hostile);
  if (route.startsWith('/api/downloads/')) return fc.oneof(fc.constant(openToken), hostile);
  if (route.startsWith('/api/volumes/')) return fc.oneof(fc.constantFrom('edit', 'nope'), hostile);
  if (name === 'name') return fc.oneof(fc.constantFrom('project-x', 'nogroup'), hostile);
  return fc.oneof(fc.constant(crypto.randomUUID()), hostile);
}

const asText = (value: unknown) => (typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));

function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>> }): Operation[] {
  const out: Operation[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, raw] of Object.entries(operations)) {
      const op = raw as {
        parameters?: Operation['parameters'];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
        responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
      };
      out.push({
        method: method.toUpperCase(),
        path,
        parameters: (op.parameters ?? []).filter((p) => p.in === 'path' || p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
        responses: Object.fromEntries(
          Object.entries(op.responses ?? {}).map(([status, r]) => [
            status,
            r.content?.['application/json']?.schema,
          ]),
        ),
      });
    }
  }
  return out;
}

/** Operations left out, and why. */
function skipped(op: Operation, role: string): boolean {
  // A stream that never ends, and tus (bytes, not JSON: fuzzed with its headers below).
  if (op.path === '/api/events' || op.path.startsWith('/api/uploads')) return true;
  // Would end the session the run signs in with.
  if (role !== 'anonymous' && (op.path === '/api/auth/logout' || op.path === '/api/auth/signup')) return true;
  // An admin pointing this lake at a generated directory (such as "/") would index the
  // machine: fuzzed below on a throwaway deployment, every directory kept under its scratch.
  if (role === 'admin' && op.path === '/api/settings' && op.method === 'PUT') return true;
  return false;
}

describe('the API fuzzed from its OpenAPI document', () => {
  it('answers every generated request without a 5xx, a malformed error, a schema mismatch, a server path or a hidden asset', async () => {
    const doc = (await s.app.inject({ url: '/api/openapi.json' })).json();
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(40);
    const validators = new Map<string, (data: unknown) => boolean>();
    const problems: string[] = [];
    let tried = 0;
    const byStatus = new Map<string, number>();
    const dataDir = s.dailies.config.dataDir;
    const lake = s.dailies.config.lake;
    const hidden = [HIDDEN_NAME, HIDDEN_TRASHED, hiddenAssetId, hiddenFolderId];

    // The editor and anonymous first: what the admin does afterwards (regrouping the vault)
    // must not make a later editor answer look like a leak.
    for (const role of ['anonymous', 'editor', 'admin'] as const) {
      const client = role === 'anonymous' ? null : role === 'admin' ? admin : editor;
      for (const op of operations) {
        if (skipped(op, role)) continue;
        const pathParams = op.parameters.filter((p) => p.in === 'path');
        const queryParams = op.parameters.filter((p) => p.in === 'query');
        const request = fc.record({
          path: fc.record(Object.fromEntries(pathParams.map((p) => [p.name, pathValue(op.path, p.name)]))),
          query: fc.record(
            Object.fromEntries(queryParams.map((p) => [p.name, field(p.schema, p.name)])),
            // A page cursor is a probe of its own: always sent where an operation takes one.
            { requiredKeys: queryParams.filter((p) => p.name === 'cursor').map((p) => p.name) },
          ),
          body: op.body ? field(op.body) : fc.constant(undefined),
        });
        await fc.assert(
          fc.asyncProperty(request, async ({ path, query, body }) => {
            let url = op.path;
            for (const [name, value] of Object.entries(path))
              url = url.replace(`{${name}}`, encodeURIComponent(asText(value)));
            const search = new URLSearchParams();
            for (const [name, value] of Object.entries(query)) {
              if (Array.isArray(value)) for (const v of value) search.append(name, asText(v));
              else search.append(name, asText(value));
            }
            if ([...search].length) url += `?${search}`;
            const payload = body === undefined ? undefined : JSON.stringify(body);
            const headers: Record<string, string> =
              payload === undefined ? {} : { 'content-type': 'application/json' };
            const response = client
              ? await client.request(op.method as 'GET', url, payload, headers)
              : await s.app.inject({ method: op.method as 'GET', url, payload, headers });
            tried++;
            const statusClass = `${role} ${Math.floor(response.statusCode / 100)}xx`;
            byStatus.set(statusClass, (byStatus.get(statusClass) ?? 0) + 1);
            const where = `${op.method} ${url.slice(0, 200)} as ${role}${payload ? ` with ${payload.slice(0, 200)}` : ''}`;
            const text = response.body;
            const sent = `${decodeURIComponent(url.replace(/%(?![0-9a-f]{2})/gi, '%25'))} ${payload ?? ''}`;
            if (response.statusCode >= 500)
              problems.push(`${where}: ${response.statusCode} ${text.slice(0, 300)}`);
            const json = String(response.headers['content-type'] ?? '').includes('json');
            if (json && response.statusCode >= 400) {
              const error = JSON.parse(text);
              if (typeof error.error !== 'string' || typeof error.message !== 'string')
                problems.push(`${where}: error not {error, message}: ${text.slice(0, 300)}`);
            }
            const schema = op.responses[String(response.statusCode)];
            if (json && response.statusCode < 300 && schema) {
              const key = `${op.method} ${op.path} ${response.statusCode}`;
              let validate = validators.get(key);
              if (!validate) {
                validate = ajv.compile(schema);
                validators.set(key, validate);
              }
              if (!validate(JSON.parse(text)))
                problems.push(
                  `${where}: answer does not match its schema: ${JSON.stringify((validate as { errors?: unknown }).errors).slice(0, 300)}`,
                );
            }
            const adminSettings = role === 'admin' && op.path === '/api/settings';
            if (!adminSettings && (text.includes(dataDir) || text.includes(lake)))
              problems.push(`${where}: shows a server path: ${text.slice(0, 300)}`);
            if (role !== 'admin')
              for (const secret of hidden)
                if (text.includes(secret) && !sent.includes(secret))
                  problems.push(`${where}: shows hidden ${secret}`);
            // Reported together at the end, with every example.
            return true;
          }),
          { numRuns: RUNS_PER_OPERATION },
        );
      }
    }
    console.log(
      `OpenAPI fuzzing: ${tried} requests tried over ${operations.length} operations, ${problems.length} problems; ` +
        [...byStatus].map(([k, v]) => `${k}: ${v}`).join(', '),
    );
    expect(problems.slice(0, 30)).toEqual([]);
    expect(tried).toBeGreaterThan(2000);
  }, 600_000);
});

/**
 * What the run above leaves out, on a throwaway deployment of its own (its data dir, lake and
 * catalog are thrown away after): tus uploads with generated headers and bytes, and an admin's
 * `PUT /api/settings` with generated bodies — every directory they name is moved under this
 * deployment's scratch directory and every S3 endpoint to a closed local port, so a generated
 * `/` never points a lake at the machine.
 */
describe('tus uploads and admin settings, fuzzed on a throwaway deployment', () => {
  it('never answers 5xx, a malformed error or a server path, and never lets anonymous in', async () => {
    const th = await startServer('sqlite');
    const scratch = mkdtempSync(join(tmpdir(), 'dailies-fuzz-settings-'));
    try {
      const thAdmin = await signIn(th.app, 'admin', ADMIN_PASSWORD);
      const thEditor = (await makeUser(thAdmin, 'editor', ['editors'])).client;
      await thAdmin.post('/api/folders', { path: '/Open' });
      await thAdmin.request('PUT', '/api/folders/groups', { path: '/Open', groups: ['admin', 'editors'] });
      const dataDir = th.dailies.config.dataDir;
      const problems: string[] = [];
      const byStatus = new Map<string, number>();
      let tried = 0;
      const record = (
        where: string,
        role: string,
        response: { statusCode: number; body: string; headers: Record<string, unknown> },
        mayShowPaths = false,
      ) => {
        tried++;
        const key = `${role} ${Math.floor(response.statusCode / 100)}xx`;
        byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
        if (response.statusCode >= 500)
          problems.push(`${where}: ${response.statusCode} ${response.body.slice(0, 300)}`);
        if (role === 'anonymous' && response.statusCode < 300 && !/OPTIONS/.test(where))
          problems.push(`${where}: anonymous got ${response.statusCode}`);
        const text = `${response.body} ${JSON.stringify(response.headers)}`;
        if (!mayShowPaths && (text.includes(dataDir) || text.includes(scratch)))
          problems.push(`${where}: shows a server path: ${text.slice(0, 300)}`);
        if (
          String(response.headers['content-type'] ?? '').includes('json') &&
          response.statusCode >= 400 &&
          response.body !== ''
        ) {
          const error = JSON.parse(response.body);
          if (typeof error.error !== 'string' || typeof error.message !== 'string')
            problems.push(`${where}: error not {error, message}: ${response.body.slice(0, 300)}`);
        }
      };

      // tus: creation with generated headers, then HEAD/PATCH/DELETE on a real upload or a made-up one.
      const b64 = (v: string) => Buffer.from(v).toString('base64');
      const metadata = fc.oneof(
        fc
          .record({
            filename: fc.oneof(fc.constantFrom('a.mov', '../x', '', '%00', 'a/b'), fc.string()),
            folder: fc.oneof(fc.constantFrom('/Open', '/', '/Nope', '/../..'), fc.string()),
          })
          .map(({ filename, folder }) => `filename ${b64(filename)},folder ${b64(folder)}`),
        fc.string(),
      );
      const number = fc.oneof(
        fc.nat(10_000).map(String),
        fc.constantFrom('-1', 'NaN', '1e400', '9007199254740993', '', ' 1', '0x10', '99999999999999999999'),
      );
      const tusHeaders = fc.record(
        {
          'tus-resumable': fc.constantFrom('1.0.0', '0.2', ''),
          'upload-length': number,
          'upload-defer-length': fc.constantFrom('1', '0', 'x'),
          'upload-metadata': metadata,
          'upload-offset': number,
          'content-type': fc.constantFrom(
            'application/offset+octet-stream',
            'application/json',
            'text/plain',
          ),
        },
        { requiredKeys: [] },
      );
      const clients = { anonymous: null, editor: thEditor, admin: thAdmin } as const;
      for (const [role, client] of Object.entries(clients)) {
        const send = (method: string, url: string, headers: Record<string, string>, payload?: Buffer) =>
          client
            ? client.request(method as 'POST', url, payload, headers)
            : th.app.inject({ method: method as 'POST', url, payload, headers });
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom('POST', 'HEAD', 'PATCH', 'DELETE', 'OPTIONS'),
            tusHeaders,
            fc.uint8Array({ maxLength: 64 }),
            fc.oneof(fc.constant('real'), fc.constant(crypto.randomUUID()), fc.string({ maxLength: 20 })),
            async (method, headers, bytes, which) => {
              let url = '/api/uploads';
              if (method !== 'POST') {
                let token = which;
                if (which === 'real') {
                  const made = await thEditor.request('POST', '/api/uploads', undefined, {
                    'tus-resumable': '1.0.0',
                    'upload-length': '4',
                    'upload-metadata': `filename ${b64(`f${tried}.bin`)},folder ${b64('/Open')}`,
                  });
                  token =
                    String(made.headers.location ?? '')
                      .split('/')
                      .pop() ?? 'none';
                }
                url = `/api/uploads/${encodeURIComponent(token)}`;
              }
              const payload = method === 'PATCH' || method === 'POST' ? Buffer.from(bytes) : undefined;
              const response = await send(method, url, headers, payload);
              record(
                `${method} ${url} as ${role} with ${JSON.stringify(headers).slice(0, 200)}`,
                role,
                response,
              );
              return true;
            },
          ),
          { numRuns: TUS_RUNS },
        );
      }

      // PUT /api/settings as the admin, from its schema, every directory kept under `scratch`.
      const doc = (await th.app.inject({ url: '/api/openapi.json' })).json();
      const put = operationsOf(doc).find((op) => op.method === 'PUT' && op.path === '/api/settings');
      expect(put?.body).toBeDefined();
      const contained = (value: unknown) =>
        typeof value === 'string' ? join(scratch, value.replace(/\.\./g, '_')) : value;
      const tame = (body: unknown): unknown => {
        if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
        const out = { ...(body as Record<string, unknown>) };
        if (out.lake && typeof out.lake === 'object' && !Array.isArray(out.lake)) {
          const lake = { ...(out.lake as Record<string, unknown>) };
          if ('path' in lake) lake.path = contained(lake.path);
          if ('endpoint' in lake || lake.kind === 's3') lake.endpoint = 'http://127.0.0.1:9';
          out.lake = lake;
        }
        if (Array.isArray(out.volumes))
          out.volumes = out.volumes.map((v) =>
            v && typeof v === 'object' && 'path' in v
              ? { ...v, path: contained((v as { path: unknown }).path) }
              : v,
          );
        return out;
      };
      const before = JSON.stringify((await s.app.inject({ url: '/healthz' })).statusCode);
      for (const [role, client] of Object.entries(clients)) {
        await fc.assert(
          fc.asyncProperty(field(put!.body!), async (generated) => {
            const body = tame(generated);
            const payload = JSON.stringify(body) ?? 'null';
            const headers = { 'content-type': 'application/json' };
            const response = client
              ? await client.request('PUT', '/api/settings', payload, headers)
              : await th.app.inject({ method: 'PUT', url: '/api/settings', payload, headers });
            // The admin is shown the directories they set; nobody else reaches the route.
            record(
              `PUT /api/settings as ${role} with ${payload.slice(0, 200)}`,
              role,
              response,
              role === 'admin',
            );
            // A body the schema refuses is 400 before anyone is asked who they are; never a 2xx.
            if (role === 'editor' && response.statusCode < 300)
              problems.push(`PUT /api/settings as editor: ${response.statusCode}`);
            return true;
          }),
          { numRuns: role === 'admin' ? SETTINGS_RUNS : 20 },
        );
      }
      // Whatever the admin set, only the throwaway deployment's lake moved, and under scratch.
      const now = (await thAdmin.get('/api/settings')).json();
      if (now.lake?.kind === 'fs')
        expect(now.lake.path.startsWith(scratch) || now.lake.path.startsWith(dataDir)).toBe(true);
      expect(JSON.stringify((await s.app.inject({ url: '/healthz' })).statusCode)).toBe(before);
      console.log(
        `tus and settings fuzzing: ${tried} requests tried, ${problems.length} problems; ` +
          [...byStatus].map(([k, v]) => `${k}: ${v}`).join(', '),
      );
      expect(problems.slice(0, 30)).toEqual([]);
      expect(tried).toBeGreaterThan(500);
    } finally {
      await th.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 600_000);
});
