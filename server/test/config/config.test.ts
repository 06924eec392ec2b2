import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Value } from 'typebox/value';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactedConfig } from '../../src/config/redact.js';
import { configVariables, SETTINGS } from '../../src/config/settings.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const ROOT = join(import.meta.dirname, '../../..');
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'dailies-config-'));
});
afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const load = (env: Record<string, string>) => loadConfig({ DAILIES_DATA_DIR: dataDir, ...env });
/** The message a wrong configuration stops with (fails the test when it loads). */
const refusal = (env: Record<string, string>): string => {
  try {
    load(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`loaded: ${JSON.stringify(env)}`);
};
const valueAt = (config: object, key: string) =>
  key.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], config);

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const config = load({});
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', signUp: 'approve', volumes: [] });
    expect(config.oidc).toBeUndefined();
    expect(config.media.toolMemoryMb).toBe(8192);
  });

  it.each([
    ['DAILIES_PORT', 'abc'],
    ['DAILIES_PORT', 'NaN'],
    ['DAILIES_PORT', '-1'],
    ['DAILIES_PORT', '65536'],
    ['DAILIES_PORT', '80.5'],
    ['DAILIES_PORT', '0x50'],
    ['DAILIES_RECONCILE_INTERVAL', 'NaN'],
    ['DAILIES_RECONCILE_INTERVAL', '-5'],
    ['DAILIES_UPLOAD_EXPIRY_HOURS', '0'],
    ['DAILIES_UPLOAD_EXPIRY_HOURS', 'Infinity'],
    ['DAILIES_SESSION_DAYS', '1e999'],
    ['DAILIES_SIGNUP', 'maybe'],
    ['DAILIES_LOG_LEVEL', 'verbose'],
    ['DAILIES_TOOL_SANDBOX', 'on'],
    ['DAILIES_PROXY_PRESET', 'insane'],
    ['DAILIES_WATCH_LAKE', 'no way'],
    ['DAILIES_SIGNIN_LIMIT_CODES', '0'],
    ['DAILIES_VOLUMES', '[{"id":"edit","path":"/mnt/edit"}]'],
    ['DAILIES_VOLUMES', '{"id":"edit"'],
    ['DAILIES_VOLUMES', '[{"id":"a","path":"/a","groups":[]},{"id":"a","path":"/b","groups":[]}]'],
    ['DAILIES_JOB_CONCURRENCY', '{"asset.prox":2}'],
    ['DAILIES_JOB_CONCURRENCY', '{"asset.proxy":-1}'],
    ['DAILIES_OIDC_GROUP_MAP', 'not json'],
    ['S3_ENDPOINT', 'swift.local:8080'],
    ['DATABASE_URL', 'mysql://root:hunter2@db/dailies'],
  ])('%s=%s stops the start, naming the variable', (name, value) => {
    const message = refusal({ [name]: value });
    expect(message).toContain(name);
    expect(message).not.toContain('hunter2');
  });

  it('takes 0 where 0 means something (off, no limit, no workers of a job, any free port)', () => {
    const config = load({
      DAILIES_PORT: '0',
      DAILIES_RECONCILE_INTERVAL: '0',
      DAILIES_VOLUME_SCAN_INTERVAL: '0',
      DAILIES_TOOL_MEMORY_MB: '0',
      DAILIES_TOOL_CPU_SECONDS: '0',
      DAILIES_MEDIA_NICENESS: '0',
      DAILIES_JOB_CONCURRENCY: '{"asset.proxy":0}',
    });
    expect(config.port).toBe(0);
    expect(config.reconcileInterval).toBe(0);
    expect(config.volumeScanInterval).toBe(0);
    expect(config.media).toMatchObject({ toolMemoryMb: 0, toolCpuSeconds: 0, niceness: 0 });
    expect(config.jobConcurrency).toEqual({ 'asset.proxy': 0 });
  });

  it('reads each kind of value, spelt as people do', () => {
    const config = load({
      DAILIES_PORT: ' 9090 ',
      DAILIES_WATCH_LAKE: 'FALSE',
      DAILIES_SIGNUP: 'true',
      DAILIES_LOG_LEVEL: 'Debug',
      DAILIES_TRUST_PROXY: 'false',
      AWS_REGION: 'eu-west-1',
      DAILIES_UPLOAD_EXPIRY_HOURS: '0.5',
      DAILIES_VOLUMES: '[{"id":"edit","path":"/mnt/edit","groups":["editors"]}]',
    });
    expect(config).toMatchObject({ port: 9090, watchLake: false, signUp: 'open', logLevel: 'debug' });
    expect(config.trustProxy).toBe(false);
    expect(config.s3.region).toBe('eu-west-1');
    expect(config.uploadExpiryHours).toBe(0.5);
    expect(config.volumes).toEqual([
      { id: 'edit', name: 'edit', path: '/mnt/edit', displayPath: '/mnt/edit', groups: ['editors'] },
    ]);
    expect(loadConfig({ DAILIES_DATA_DIR: 'relative/data' }).dataDir).toBe(
      join(process.cwd(), 'relative/data'),
    );
    // An empty variable is unset, as a shell's `VAR=` is usually meant.
    expect(load({ DAILIES_PORT: '' }).port).toBe(8080);
  });

  it('configures a sign-on provider only from its issuer and client id', () => {
    expect(refusal({ DAILIES_OIDC_CLIENT_ID: 'dailies' })).toContain('DAILIES_OIDC_ISSUER');
    expect(refusal({ DAILIES_OIDC_ISSUER: 'https://idp.example' })).toContain('DAILIES_OIDC_CLIENT_ID');
    const config = load({ DAILIES_OIDC_ISSUER: 'https://idp.example', DAILIES_OIDC_CLIENT_ID: 'dailies' });
    expect(config.oidc).toMatchObject({
      issuer: 'https://idp.example',
      clientId: 'dailies',
      groupsClaim: 'groups',
    });
  });

  it('any text in any variable either loads as a valid value or stops naming that variable', () => {
    const settable = SETTINGS.filter((s) => s.env.length > 0);
    fc.assert(
      fc.property(
        fc.constantFrom(...settable),
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.double().map(String),
          fc.integer().map(String),
          fc.constantFrom('NaN', '-0', '1e309', 'true', ' ', '[]', '{}', '0x10', '١٢'),
        ),
        (setting, text) => {
          const name = setting.env[0];
          // Issuer alone is refused for its missing client id; give it one.
          const extra: Record<string, string> = name.startsWith('DAILIES_OIDC_')
            ? { DAILIES_OIDC_ISSUER: 'https://idp.example', DAILIES_OIDC_CLIENT_ID: 'dailies' }
            : {};
          let config: ReturnType<typeof loadConfig>;
          try {
            config = load({ ...extra, [name]: text });
          } catch (error) {
            expect(error).toBeInstanceOf(ConfigError);
            expect((error as Error).message).toContain(name);
            return;
          }
          const value = valueAt(config, setting.key);
          if (value !== undefined || !setting.optional) expect(Value.Check(setting.schema, value)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('configuration file', () => {
  const withFile = async (content: string, env: Record<string, string> = {}) => {
    const file = join(dataDir, 'config.json');
    await writeFile(file, content);
    try {
      return { config: load(env), error: null };
    } catch (error) {
      return { config: null, error: error as Error };
    } finally {
      await rm(file);
    }
  };

  it('is held to the same schema, and the environment wins over it', async () => {
    const good = await withFile('{"port": 9000, "media": {"proxyHeight": 480}, "signUp": "off"}');
    expect(good.config).toMatchObject({ port: 9000, signUp: 'off' });
    expect(good.config?.media.proxyHeight).toBe(480);
    expect(good.config?.media.proxyCrf).toBe(23);
    expect((await withFile('{"port": 9000}', { DAILIES_PORT: '9001' })).config?.port).toBe(9001);
  });

  it.each([
    ['{"port": "eighty"}', 'DAILIES_PORT'],
    ['{"port": 1e9}', 'DAILIES_PORT'],
    ['{"reconcileInterval": -1}', 'DAILIES_RECONCILE_INTERVAL'],
    ['{"volumes": [{"id": "edit", "path": "/mnt/edit"}]}', 'DAILIES_VOLUMES'],
    ['{"media": {"toolSandbox": "maybe"}}', 'DAILIES_TOOL_SANDBOX'],
    ['{"media": {"waveformMaxPeaks": 0}}', 'media.waveformMaxPeaks'],
    ['{"prot": 80}', '"prot" is not a setting'],
    ['{"media": {"proxyHieght": 480}}', '"media.proxyHieght" is not a setting'],
    ['{"port": 80,}', 'not valid JSON'],
    ['[1, 2]', 'JSON object'],
    ['{"dataDir": "/elsewhere"}', 'DAILIES_DATA_DIR'],
    ['{"oidc": {"clientId": "dailies"}}', 'DAILIES_OIDC_ISSUER'],
  ])('%s stops the start: %s', async (content, named) => {
    const { error } = await withFile(content);
    expect(error).toBeInstanceOf(ConfigError);
    expect(error?.message).toContain(named);
  });

  it('named by DAILIES_CONFIG must exist', () => {
    expect(refusal({ DAILIES_CONFIG: join(dataDir, 'no-such.json') })).toContain('DAILIES_CONFIG');
  });
});

describe('effective configuration shown by doctor', () => {
  it('names each secret as set and never shows it', () => {
    const config = load({
      DAILIES_SECRET: 'server-secret-value',
      DAILIES_ADMIN_PASSWORD: 'admin-password-value',
      DAILIES_METRICS_TOKEN: 'metrics-token-value',
      AWS_SECRET_ACCESS_KEY: 'aws-secret-value',
      DATABASE_URL: 'postgres://dailies:db-password-value@db:5432/dailies',
      DAILIES_OIDC_ISSUER: 'https://idp.example',
      DAILIES_OIDC_CLIENT_ID: 'dailies',
      DAILIES_OIDC_CLIENT_SECRET: 'oidc-secret-value',
    });
    const shown = JSON.stringify(redactedConfig(config));
    for (const secret of [
      'server-secret',
      'admin-password',
      'metrics-token',
      'aws-secret',
      'db-password',
      'oidc-secret',
    ])
      expect(shown).not.toContain(secret);
    expect(shown).toContain('postgres://dailies:***@db:5432/dailies');
    expect(redactedConfig(config)).toMatchObject({ secret: '(set)', metricsToken: '(set)' });
  });
});

describe("README's configuration table", () => {
  it('lists every variable the configuration reads, and no other', async () => {
    const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(
      readme.indexOf('## Configuration'),
      readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1),
    );
    const listed = new Set(
      section
        .split('\n')
        .filter((line) => line.startsWith('| `'))
        .flatMap((line) =>
          (line.split(' | ')[0].match(/`[A-Z][A-Z0-9_]+`/g) ?? []).map((name) => name.slice(1, -1)),
        ),
    );
    const read = new Set(configVariables());
    expect([...read].filter((name) => !listed.has(name)).sort()).toEqual([]);
    expect([...listed].filter((name) => !read.has(name)).sort()).toEqual([]);
  });
});
