import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { JOB_NAMES, type JobName } from './jobs/types.js';
import { defaultMediaSettings, type MediaSettings } from './ports/media.js';

/** An edit volume: a directory the server host mounts (SMB, NFS, SAN). */
export interface VolumeConfig {
  id: string;
  name: string;
  path: string;
  displayPath: string;
  groups: string[];
}

export interface S3Connection {
  endpoint?: string;
  region: string;
  forcePathStyle: boolean;
  accessKeyId?: string;
  secretAccessKey?: string;
}

/** Sign-in through an OpenID Connect provider, beside (or instead of) passwords. */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  /** The callback URL registered with the provider; derived from the request when unset. */
  redirectUri?: string;
  /** Shown on the sign-in button. */
  name: string;
  scopes: string;
  /** The claim whose values become group memberships (only groups that exist here count). */
  groupsClaim: string;
  /** The claim that becomes the username (falls back to email, then the subject). */
  usernameClaim: string;
  /** Provider group → Dailies group; values not mapped keep their own name. */
  groupMap: Record<string, string>;
  /** Allow an http:// issuer (tests, a provider on localhost). */
  allowInsecure: boolean;
}

export type SignUpMode = 'open' | 'approve' | 'off';

/**
 * Failures allowed within a sliding window before further tries wait: per account from one
 * client address, per client address over every account, and wrong second-factor codes per
 * account (a code is only asked once the password was right).
 */
export interface SignInLimits {
  perAccountAddress: number;
  perAddress: number;
  codesPerAccount: number;
  windowMinutes: number;
}

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** `postgres://…` selects PostgreSQL; otherwise SQLite at `sqliteFile`. */
  databaseUrl?: string;
  sqliteFile: string;
  /** A directory or `s3://bucket/prefix`. */
  lake: string;
  derived: string;
  s3: S3Connection;
  adminPassword?: string;
  volumes: VolumeConfig[];
  /**
   * Signs download URLs, OIDC cookies and other server-minted tokens and seals the secrets saved
   * in the catalog (`DAILIES_SECRET`, or the file `DAILIES_SECRET_FILE` names). Every process of
   * a deployment must share it; generated into the data dir when unset (one process only).
   */
  secret: string;
  /** The secret before a rotation: still accepted for verifying and opening, never for signing. */
  secretPrevious: string;
  /** A bearer token S3 event notifications carry to `POST /api/lake/events`; the endpoint is off (404) without it. */
  lakeEventsToken?: string;
  /** Seconds a signed download URL stays valid. */
  downloadUrlTtl: number;
  /** Seconds between periodic reconciles of the lake (0: off). */
  reconcileInterval: number;
  /** Seconds between drift scans of the edit volumes (0: off). */
  volumeScanInterval: number;
  /** Watch an fs lake for changes made by other tools. */
  watchLake: boolean;
  /** Run job workers inside the server process (`false`: only `dailies worker` processes run jobs). */
  inProcessWorkers: boolean;
  /** Proxy, thumbnail, filmstrip and waveform settings, tool time limits and niceness. */
  media: MediaSettings;
  /** Where workers keep temporary files (downloads from S3, derivatives before upload). */
  workDir: string;
  /** Workers per job name in each process, e.g. `{"asset.proxy": 2}`; others get one. */
  jobConcurrency: Partial<Record<JobName, number>>;
  /** Seconds a running job holds its lease; a job whose worker died runs again after it. */
  jobLeaseSeconds: number;
  /** Hours an unfinished upload is kept before its staging data is removed. */
  uploadExpiryHours: number;
  logLevel: string;
  /** Where the built web app is; served at `/` when present. */
  webDir: string;
  /**
   * Self sign-up: `open` (new accounts join `editors` at once, as MAPS does), `approve` (they
   * wait, unable to sign in, until an admin approves them) or `off`.
   */
  signUp: SignUpMode;
  /** A session ends after this many days unused. */
  sessionDays: number;
  /** Failed sign-ins allowed within the window: see {@link SignInLimits}. */
  signInLimit: SignInLimits;
  /**
   * Which proxies may set X-Forwarded-For/-Proto (Fastify `trustProxy`): the client address
   * in the audit log and the Secure flag on the session cookie come from them.
   */
  trustProxy: boolean | string;
  oidc?: OidcConfig;
  /** A bearer token a Prometheus scraper sends to read /metrics (admins may always). */
  metricsToken?: string;
  /** The largest upload accepted, in bytes (tus answers 413 past it). */
  uploadMaxBytes: number;
  /** Event streams one user may hold open at once (browser tabs, scripts). */
  eventStreamsPerUser: number;
}

type Env = Record<string, string | undefined>;

/**
 * Environment variables win over the optional JSON config file (`DAILIES_CONFIG`, or
 * `<data dir>/config.json`), which wins over the defaults.
 */
export function loadConfig(env: Env = process.env, overrides: Partial<Config> = {}): Config {
  const dataDir = resolve(env.DAILIES_DATA_DIR ?? overrides.dataDir ?? './data');
  const filePath = env.DAILIES_CONFIG ?? resolve(dataDir, 'config.json');
  const file: Partial<Config> = existsSync(filePath) ? JSON.parse(readFileSync(filePath, 'utf8')) : {};
  const pick = <K extends keyof Config>(
    key: K,
    envValue: string | undefined,
    parse: (v: string) => Config[K],
    fallback: Config[K],
  ): Config[K] =>
    overrides[key] ?? (envValue !== undefined && envValue !== '' ? parse(envValue) : (file[key] ?? fallback));

  const config: Config = {
    host: pick('host', env.DAILIES_HOST, String, '127.0.0.1'),
    port: pick('port', env.DAILIES_PORT, parsePort, 8080),
    dataDir,
    databaseUrl: pick('databaseUrl', env.DATABASE_URL, String, undefined),
    sqliteFile: pick('sqliteFile', env.DAILIES_SQLITE_FILE, String, resolve(dataDir, 'dailies.sqlite')),
    lake: pick('lake', env.DAILIES_LAKE, (v) => v.trim(), resolve(dataDir, 'lake')),
    derived: pick('derived', env.DAILIES_DERIVED, (v) => v.trim(), resolve(dataDir, 'derived')),
    s3: overrides.s3 ?? {
      endpoint: env.S3_ENDPOINT || file.s3?.endpoint,
      region: env.S3_REGION || env.AWS_REGION || file.s3?.region || 'us-east-1',
      forcePathStyle: env.S3_FORCE_PATH_STYLE
        ? env.S3_FORCE_PATH_STYLE === 'true'
        : (file.s3?.forcePathStyle ?? false),
      accessKeyId: env.AWS_ACCESS_KEY_ID || file.s3?.accessKeyId,
      secretAccessKey: env.AWS_SECRET_ACCESS_KEY || file.s3?.secretAccessKey,
    },
    adminPassword: pick('adminPassword', env.DAILIES_ADMIN_PASSWORD, String, undefined),
    volumes: pick('volumes', env.DAILIES_VOLUMES, parseVolumes, []),
    secret: pick(
      'secret',
      env.DAILIES_SECRET || secretFromFile('DAILIES_SECRET_FILE', env.DAILIES_SECRET_FILE),
      String,
      '',
    ),
    secretPrevious: pick(
      'secretPrevious',
      env.DAILIES_SECRET_PREVIOUS ||
        secretFromFile('DAILIES_SECRET_PREVIOUS_FILE', env.DAILIES_SECRET_PREVIOUS_FILE),
      String,
      '',
    ),
    lakeEventsToken: pick('lakeEventsToken', env.DAILIES_LAKE_EVENTS_TOKEN, String, undefined),
    downloadUrlTtl: pick('downloadUrlTtl', env.DAILIES_DOWNLOAD_TTL, Number, 3600),
    reconcileInterval: pick('reconcileInterval', env.DAILIES_RECONCILE_INTERVAL, Number, 900),
    volumeScanInterval: pick('volumeScanInterval', env.DAILIES_VOLUME_SCAN_INTERVAL, Number, 600),
    watchLake: pick('watchLake', env.DAILIES_WATCH_LAKE, (v) => v !== 'false', true),
    media: mediaSettings(env, overrides.media ?? file.media),
    workDir: pick('workDir', env.DAILIES_WORK_DIR, String, resolve(dataDir, 'work')),
    jobConcurrency: pick('jobConcurrency', env.DAILIES_JOB_CONCURRENCY, parseConcurrency, {}),
    inProcessWorkers: pick('inProcessWorkers', env.DAILIES_IN_PROCESS_WORKERS, (v) => v !== 'false', true),
    jobLeaseSeconds: pick('jobLeaseSeconds', env.DAILIES_JOB_LEASE_SECONDS, Number, 60),
    uploadExpiryHours: pick('uploadExpiryHours', env.DAILIES_UPLOAD_EXPIRY_HOURS, Number, 24),
    uploadMaxBytes: pick(
      'uploadMaxBytes',
      env.DAILIES_UPLOAD_MAX_BYTES,
      wholeNumber('DAILIES_UPLOAD_MAX_BYTES'),
      2 * 1024 ** 4,
    ),
    eventStreamsPerUser: pick(
      'eventStreamsPerUser',
      env.DAILIES_EVENT_STREAMS_PER_USER,
      wholeNumber('DAILIES_EVENT_STREAMS_PER_USER'),
      8,
    ),
    metricsToken: pick('metricsToken', env.DAILIES_METRICS_TOKEN, String, undefined),
    logLevel: pick('logLevel', env.DAILIES_LOG_LEVEL, String, 'info'),
    webDir: pick('webDir', env.DAILIES_WEB_DIR, String, resolve(import.meta.dirname, '../../web/dist')),
    signUp: overrides.signUp ?? parseSignUp(env.DAILIES_SIGNUP || (file.signUp as unknown) || 'approve'),
    sessionDays: pick('sessionDays', env.DAILIES_SESSION_DAYS, Number, 14),
    signInLimit: overrides.signInLimit ?? {
      perAccountAddress: limit(
        'DAILIES_SIGNIN_LIMIT_PER_ACCOUNT',
        env.DAILIES_SIGNIN_LIMIT_PER_ACCOUNT ?? file.signInLimit?.perAccountAddress,
        5,
      ),
      perAddress: limit(
        'DAILIES_SIGNIN_LIMIT_PER_ADDRESS',
        env.DAILIES_SIGNIN_LIMIT_PER_ADDRESS ?? file.signInLimit?.perAddress,
        30,
      ),
      codesPerAccount: limit(
        'DAILIES_SIGNIN_LIMIT_CODES',
        env.DAILIES_SIGNIN_LIMIT_CODES ?? file.signInLimit?.codesPerAccount,
        10,
      ),
      windowMinutes: limit(
        'DAILIES_SIGNIN_LIMIT_WINDOW_MINUTES',
        env.DAILIES_SIGNIN_LIMIT_WINDOW_MINUTES ?? file.signInLimit?.windowMinutes,
        15,
      ),
    },
    trustProxy: pick('trustProxy', env.DAILIES_TRUST_PROXY, parseTrustProxy, 'loopback'),
    oidc: overrides.oidc ?? parseOidc(env, file.oidc),
  };
  return config;
}

/**
 * A secret kept in a file (a Docker or systemd credential): its text without the final newline.
 * A named file that cannot be read or is empty stops the start, rather than letting this process
 * fall back to a secret of its own that no other process shares.
 */
function secretFromFile(name: string, path: string | undefined): string {
  if (!path) return '';
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new Error(`${name} "${path}" cannot be read: ${(error as Error).message}`);
  }
  if (!text) throw new Error(`${name} "${path}" is empty.`);
  return text;
}

/** `open`, `approve` or `off`; the old true/false still mean open/off. */
function parseSignUp(value: unknown): SignUpMode {
  const text = String(value).trim().toLowerCase();
  if (text === 'true') return 'open';
  if (text === 'false') return 'off';
  if (text === 'open' || text === 'approve' || text === 'off') return text;
  throw new Error(`DAILIES_SIGNUP "${String(value)}" is not one of open, approve, off.`);
}

function limit(name: string, value: string | number | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new Error(`${name} "${value}" is not a whole number above 0.`);
  return number;
}

function parseTrustProxy(value: string): boolean | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return value;
}

function parseOidc(env: Env, file: Partial<OidcConfig> | undefined): OidcConfig | undefined {
  const issuer = env.DAILIES_OIDC_ISSUER || file?.issuer;
  if (!issuer) return undefined;
  const clientId = env.DAILIES_OIDC_CLIENT_ID || file?.clientId;
  if (!clientId) throw new Error('DAILIES_OIDC_ISSUER is set but DAILIES_OIDC_CLIENT_ID is not.');
  let groupMap = file?.groupMap ?? {};
  if (env.DAILIES_OIDC_GROUP_MAP) {
    try {
      groupMap = JSON.parse(env.DAILIES_OIDC_GROUP_MAP);
    } catch (error) {
      throw new Error(`DAILIES_OIDC_GROUP_MAP is not valid JSON: ${(error as Error).message}`);
    }
  }
  return {
    issuer,
    clientId,
    clientSecret: env.DAILIES_OIDC_CLIENT_SECRET || file?.clientSecret,
    redirectUri: env.DAILIES_OIDC_REDIRECT_URI || file?.redirectUri,
    name: env.DAILIES_OIDC_NAME || file?.name || 'single sign-on',
    scopes: env.DAILIES_OIDC_SCOPES || file?.scopes || 'openid profile email groups',
    groupsClaim: env.DAILIES_OIDC_GROUPS_CLAIM || file?.groupsClaim || 'groups',
    usernameClaim: env.DAILIES_OIDC_USERNAME_CLAIM || file?.usernameClaim || 'preferred_username',
    groupMap,
    allowInsecure: (env.DAILIES_OIDC_ALLOW_INSECURE ?? String(file?.allowInsecure ?? false)) === 'true',
  };
}

/** A parser for a setting that must be a whole number above zero. */
function wholeNumber(name: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (!Number.isSafeInteger(number) || number < 1)
      throw new Error(`${name} "${value}" is not a whole number above 0.`);
    return number;
  };
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`DAILIES_PORT "${value}" is not a port number.`);
  return port;
}

/** Defaults, then the config file's `media` object, then the environment. */
function mediaSettings(env: Env, fromFile: Partial<MediaSettings> | undefined): MediaSettings {
  const settings: MediaSettings = { ...defaultMediaSettings, ...fromFile };
  const numbers: Array<[keyof MediaSettings, string]> = [
    ['proxyHeight', 'DAILIES_PROXY_HEIGHT'],
    ['proxyCrf', 'DAILIES_PROXY_CRF'],
    ['thumbnailWidth', 'DAILIES_THUMBNAIL_WIDTH'],
    ['filmstripIntervalSeconds', 'DAILIES_FILMSTRIP_INTERVAL'],
    ['niceness', 'DAILIES_MEDIA_NICENESS'],
    ['toolTimeoutMs', 'DAILIES_TOOL_TIMEOUT_MS'],
    ['toolMemoryMb', 'DAILIES_TOOL_MEMORY_MB'],
    ['toolCpuSeconds', 'DAILIES_TOOL_CPU_SECONDS'],
  ];
  for (const [key, name] of numbers) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const number = Number(value);
    if (!Number.isFinite(number) || number < 0) throw new Error(`${name} "${value}" is not a number.`);
    (settings as unknown as Record<string, number>)[key] = number;
  }
  if (env.DAILIES_PROXY_PRESET) settings.proxyPreset = env.DAILIES_PROXY_PRESET;
  const sandbox = env.DAILIES_TOOL_SANDBOX;
  if (sandbox !== undefined && sandbox !== '') {
    if (sandbox !== 'auto' && sandbox !== 'off')
      throw new Error(`DAILIES_TOOL_SANDBOX "${sandbox}" must be auto or off.`);
    settings.toolSandbox = sandbox;
  }
  return settings;
}

function parseConcurrency(value: string): Partial<Record<JobName, number>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`DAILIES_JOB_CONCURRENCY is not valid JSON: ${(error as Error).message}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new Error('DAILIES_JOB_CONCURRENCY must be a JSON object such as {"asset.proxy": 2}.');
  for (const [name, count] of Object.entries(parsed)) {
    if (!JOB_NAMES.includes(name as JobName))
      throw new Error(
        `DAILIES_JOB_CONCURRENCY names "${name}", which is not a job (${JOB_NAMES.join(', ')}).`,
      );
    if (!Number.isInteger(count) || (count as number) < 0)
      throw new Error(`DAILIES_JOB_CONCURRENCY["${name}"] must be a whole number of workers.`);
  }
  return parsed as Partial<Record<JobName, number>>;
}

function parseVolumes(value: string): VolumeConfig[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (error) {
    throw new Error(`DAILIES_VOLUMES is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new Error('DAILIES_VOLUMES must be a JSON array of volumes.');
  return parsed.map((v, i) => {
    if (!v || typeof v.id !== 'string' || typeof v.path !== 'string') {
      throw new Error(`DAILIES_VOLUMES[${i}] needs at least "id" and "path".`);
    }
    return {
      id: v.id,
      name: v.name ?? v.id,
      path: v.path,
      displayPath: v.displayPath ?? v.path,
      groups: v.groups ?? ['editors'],
    };
  });
}
