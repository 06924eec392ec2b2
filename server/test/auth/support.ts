import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Argon2PasswordHasher } from '../../src/adapters/crypto/argon2-password-hasher.js';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import { CSRF_HEADER, SESSION_COOKIE } from '../../src/plugins/actor.js';
import type { Clock } from '../../src/ports/clock.js';
import { createDailies, type Dailies } from '../../src/wiring.js';
import { testDatabaseUrl } from '../support/services.js';

export type Dialect = 'sqlite' | 'postgres';
export const ADMIN_PASSWORD = 'first-admin-password';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  constructor(public time = Date.UTC(2026, 10, 27, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export interface TestServer {
  dailies: Dailies;
  app: FastifyInstance;
  clock: ManualClock;
  close(): Promise<void>;
}

/** A real Dailies (catalog on SQLite or PostgreSQL, fs lake) with its HTTP app; cheap argon2id. */
export async function startServer(
  dialect: Dialect,
  overrides: Partial<Config> = {},
  options: { onFirstAdminPassword?: (password: string) => void; eventsHeartbeatMs?: number } = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dailies-auth-'));
  const config = loadConfig(
    {},
    {
      dataDir,
      adminPassword: ADMIN_PASSWORD,
      watchLake: false,
      inProcessWorkers: false,
      reconcileInterval: 0,
      secret: 'test-secret',
      ...(dialect === 'postgres' ? { databaseUrl: await testDatabaseUrl() } : {}),
      ...overrides,
    },
  );
  const clock = new ManualClock();
  const dailies = await createDailies(config, {
    clock,
    passwordHasher: new Argon2PasswordHasher({ memoryCost: 1024, timeCost: 1 }),
    onFirstAdminPassword: options.onFirstAdminPassword ?? (() => {}),
  });
  const app = await buildApp(dailies, { eventsHeartbeatMs: options.eventsHeartbeatMs });
  return {
    dailies,
    app,
    clock,
    close: async () => {
      await app.close();
      await dailies.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A client of the HTTP API: anonymous, a browser session (cookie + CSRF), or an API token. */
export class Client {
  constructor(
    readonly app: FastifyInstance,
    public credentials: { cookie?: string; csrf?: string; bearer?: string; address?: string } = {},
  ) {}

  async request(
    method: InjectOptions['method'],
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<LightMyRequestResponse> {
    const { cookie, csrf, bearer, address } = this.credentials;
    return this.app.inject({
      method,
      url,
      ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      ...(address ? { remoteAddress: address } : {}),
      headers: {
        ...(cookie ? { cookie: `${SESSION_COOKIE}=${cookie}` } : {}),
        ...(csrf ? { [CSRF_HEADER]: csrf } : {}),
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
    });
  }

  get(url: string) {
    return this.request('GET', url);
  }
  post(url: string, body?: unknown) {
    return this.request('POST', url, body ?? {});
  }
}

export function sessionCookieOf(response: LightMyRequestResponse): string | undefined {
  return response.cookies.find((c) => c.name === SESSION_COOKIE)?.value;
}

/** Signs in through the API; returns a client holding the cookie and the CSRF token. */
export async function signIn(app: FastifyInstance, username: string, password: string): Promise<Client> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username, password },
  });
  if (response.statusCode !== 200)
    throw new Error(`sign-in of ${username} failed: ${response.statusCode} ${response.body}`);
  return new Client(app, { cookie: sessionCookieOf(response), csrf: response.json().user.csrfToken });
}

/** Creates a user through the admin API and signs them in with a changed password. */
export async function makeUser(
  admin: Client,
  username: string,
  groups: string[],
  password = `${username}-password`,
): Promise<{ client: Client; id: string; password: string }> {
  const created = await admin.post('/api/users', { username, groups, password: 'temporary-password' });
  if (created.statusCode !== 201)
    throw new Error(`creating ${username}: ${created.statusCode} ${created.body}`);
  const first = await signIn(admin.app, username, 'temporary-password');
  const changed = await first.post('/api/auth/password', {
    currentPassword: 'temporary-password',
    newPassword: password,
  });
  if (changed.statusCode !== 200)
    throw new Error(`password of ${username}: ${changed.statusCode} ${changed.body}`);
  return { client: first, id: created.json().user.id, password };
}

/** Every row of the identity tables and folder groups, to assert a refused request changed nothing. */
export async function snapshot(dailies: Dailies): Promise<string> {
  const db = dailies.connection.db;
  const tables = ['users', 'groups', 'groupMembers', 'folderGroups', 'folderAccess', 'apiTokens'] as const;
  const out: Record<string, unknown> = {};
  for (const table of tables) {
    out[table] = await db
      .selectFrom(table)
      .selectAll()
      .execute()
      .then((rows) => rows.map((r) => JSON.stringify(r)).sort());
  }
  return JSON.stringify(out);
}
