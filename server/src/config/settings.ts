import { type TSchema, Type } from 'typebox';
import { JOB_NAMES } from '../jobs/types.js';

/**
 * One setting of the configuration: where it sits in the config (and in the config file), the
 * environment variables that set it, and the schema its value must meet. This table is the one
 * schema of the configuration: the environment, the config file and the overrides of tests are
 * all held to it, doctor redacts by it, and a test checks the README's table against it.
 */
export interface Setting {
  /** Its path in the config and in the config file: `port`, `s3.region`, `media.proxyHeight`. */
  key: string;
  /** Environment variables that set it; the first one set wins. None: config file only. */
  env: readonly string[];
  schema: TSchema;
  /** What a valid value is, in words, for the message that stops the start. */
  expects: string;
  /** Text from the environment to a value (before the schema checks it). */
  fromText: (text: string) => unknown;
  /** May be left unset (no default). */
  optional?: boolean;
  /** Never shown (doctor) nor logged. */
  secret?: boolean;
}

/** A value that is not what the setting expects: handed to the schema, which rejects it. */
const asText = (text: string) => text;
const asTrimmed = (text: string) => text.trim();
const asNumber = (text: string): unknown => {
  const trimmed = text.trim();
  // Number() also reads '', '0x1f' and 'Infinity': only plain decimal numbers are numbers here.
  return /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(trimmed) ? Number(trimmed) : text;
};
const asBoolean = (text: string): unknown => {
  const lower = text.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : text;
};
/** JSON text; text that is not JSON is reported as such by the loader. */
export const JSON_TEXT = Symbol('json');
const asJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch (error) {
    return { [JSON_TEXT]: (error as Error).message };
  }
};

const wholeNumber = (minimum: number, maximum?: number) =>
  Type.Integer({ minimum, ...(maximum === undefined ? {} : { maximum }) });
const above = (minimum: number) => Type.Number({ exclusiveMinimum: minimum });
const nonEmpty = Type.String({ minLength: 1 });
const oneOf = (values: readonly string[]) => Type.Union(values.map((value) => Type.Literal(value)));

const X264_PRESETS = [
  'ultrafast',
  'superfast',
  'veryfast',
  'faster',
  'fast',
  'medium',
  'slow',
  'slower',
  'veryslow',
] as const;
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const volume = Type.Object(
  {
    id: nonEmpty,
    name: Type.Optional(nonEmpty),
    path: nonEmpty,
    displayPath: Type.Optional(nonEmpty),
    groups: Type.Array(nonEmpty),
  },
  { additionalProperties: false },
);

const setting = (
  key: string,
  env: string | readonly string[],
  schema: TSchema,
  expects: string,
  fromText: (text: string) => unknown,
  extra: Pick<Setting, 'optional' | 'secret'> = {},
): Setting => ({ key, env: typeof env === 'string' ? [env] : env, schema, expects, fromText, ...extra });

const count = (key: string, env: string | readonly string[], minimum: number, what: string) =>
  setting(key, env, wholeNumber(minimum), `a whole number ≥ ${minimum} (${what})`, asNumber);

/** Every setting. Its defaults are in defaults.ts. */
export const SETTINGS: readonly Setting[] = [
  setting('host', 'DAILIES_HOST', nonEmpty, 'a host name or address', asTrimmed),
  setting('port', 'DAILIES_PORT', wholeNumber(0, 65535), 'a port number (0 to 65535)', asNumber),
  setting('dataDir', 'DAILIES_DATA_DIR', nonEmpty, 'a directory', asText),
  setting(
    'databaseUrl',
    'DATABASE_URL',
    Type.String({ pattern: '^postgres(ql)?://' }),
    'a postgres:// URL (unset: SQLite)',
    asTrimmed,
    { optional: true, secret: true },
  ),
  setting('sqliteFile', 'DAILIES_SQLITE_FILE', nonEmpty, 'a file path', asText),
  setting('lake', 'DAILIES_LAKE', nonEmpty, 'a directory or s3://bucket/prefix', asTrimmed),
  setting('derived', 'DAILIES_DERIVED', nonEmpty, 'a directory or s3://bucket/prefix', asTrimmed),
  setting(
    's3.endpoint',
    'S3_ENDPOINT',
    Type.String({ pattern: '^https?://' }),
    'an http(s):// URL',
    asTrimmed,
    {
      optional: true,
    },
  ),
  setting('s3.region', ['S3_REGION', 'AWS_REGION'], nonEmpty, 'a region name', asTrimmed),
  setting('s3.forcePathStyle', 'S3_FORCE_PATH_STYLE', Type.Boolean(), 'true or false', asBoolean),
  setting('s3.accessKeyId', 'AWS_ACCESS_KEY_ID', nonEmpty, 'an access key id', asTrimmed, { optional: true }),
  setting('s3.secretAccessKey', 'AWS_SECRET_ACCESS_KEY', nonEmpty, 'a secret key', asText, {
    optional: true,
    secret: true,
  }),
  setting('adminPassword', 'DAILIES_ADMIN_PASSWORD', nonEmpty, 'a password', asText, {
    optional: true,
    secret: true,
  }),
  setting(
    'volumes',
    'DAILIES_VOLUMES',
    Type.Array(volume),
    'a JSON array of volumes, each {"id", "path", "groups": [...]} with optional "name" and "displayPath"',
    asJson,
  ),
  setting('secret', 'DAILIES_SECRET', Type.String(), 'a long random string', asText, { secret: true }),
  setting(
    'secretPrevious',
    'DAILIES_SECRET_PREVIOUS',
    Type.String(),
    'the secret before a rotation',
    asText,
    {
      secret: true,
    },
  ),
  setting('lakeEventsToken', 'DAILIES_LAKE_EVENTS_TOKEN', nonEmpty, 'a token', asText, {
    optional: true,
    secret: true,
  }),
  count('downloadUrlTtl', 'DAILIES_DOWNLOAD_TTL', 1, 'seconds'),
  setting(
    'reconcileInterval',
    'DAILIES_RECONCILE_INTERVAL',
    Type.Number({ minimum: 0 }),
    'seconds (0: off)',
    asNumber,
  ),
  setting(
    'sequenceQuietSeconds',
    'DAILIES_SEQUENCE_QUIET_SECONDS',
    Type.Number({ minimum: 0, maximum: 86_400 }),
    'seconds',
    asNumber,
  ),
  setting(
    'volumeScanInterval',
    'DAILIES_VOLUME_SCAN_INTERVAL',
    Type.Number({ minimum: 0 }),
    'seconds (0: off)',
    asNumber,
  ),
  setting('watchLake', 'DAILIES_WATCH_LAKE', Type.Boolean(), 'true or false', asBoolean),
  setting('inProcessWorkers', 'DAILIES_IN_PROCESS_WORKERS', Type.Boolean(), 'true or false', asBoolean),
  count('media.proxyHeight', 'DAILIES_PROXY_HEIGHT', 16, 'pixels'),
  setting(
    'media.proxyCrf',
    'DAILIES_PROXY_CRF',
    Type.Number({ minimum: 0, maximum: 51 }),
    'a number from 0 to 51',
    asNumber,
  ),
  setting(
    'media.proxyPreset',
    'DAILIES_PROXY_PRESET',
    oneOf(X264_PRESETS),
    `one of ${X264_PRESETS.join(', ')}`,
    asTrimmed,
  ),
  count('media.proxyAudioBitrateKbps', [], 8, 'kbit/s'),
  count('media.imageProxyMaxSize', [], 16, 'pixels'),
  count('media.thumbnailWidth', 'DAILIES_THUMBNAIL_WIDTH', 16, 'pixels'),
  setting(
    'media.filmstripIntervalSeconds',
    'DAILIES_FILMSTRIP_INTERVAL',
    above(0),
    'seconds above 0',
    asNumber,
  ),
  count('media.filmstripTileWidth', [], 16, 'pixels'),
  count('media.filmstripColumns', [], 1, 'tiles'),
  count('media.filmstripMaxTiles', [], 1, 'tiles'),
  setting('media.waveformPeaksPerSecond', [], above(0), 'a number above 0', asNumber),
  count('media.waveformMaxPeaks', [], 1, 'peaks'),
  count('media.probeTimeoutMs', [], 1, 'milliseconds'),
  count('media.toolTimeoutMs', 'DAILIES_TOOL_TIMEOUT_MS', 1, 'milliseconds'),
  count('media.stallTimeoutMs', [], 1, 'milliseconds'),
  setting(
    'media.niceness',
    'DAILIES_MEDIA_NICENESS',
    wholeNumber(0, 19),
    'a whole number from 0 to 19',
    asNumber,
  ),
  count('media.toolMemoryMb', 'DAILIES_TOOL_MEMORY_MB', 0, 'MiB, 0: no limit'),
  count('media.toolCpuSeconds', 'DAILIES_TOOL_CPU_SECONDS', 0, 'seconds, 0: no limit'),
  setting('media.toolSandbox', 'DAILIES_TOOL_SANDBOX', oneOf(['auto', 'off']), 'auto or off', asTrimmed),
  setting('workDir', 'DAILIES_WORK_DIR', nonEmpty, 'a directory', asText),
  count('workDirBudgetMb', 'DAILIES_WORK_DIR_BUDGET_MB', 0, "MiB of originals kept between an asset's jobs"),
  setting(
    'jobConcurrency',
    'DAILIES_JOB_CONCURRENCY',
    Type.Object(Object.fromEntries(JOB_NAMES.map((name) => [name, Type.Optional(wholeNumber(0))])), {
      additionalProperties: false,
    }),
    `a JSON object of job names (${JOB_NAMES.join(', ')}) to whole numbers of workers ≥ 0, e.g. {"asset.proxy":2}`,
    asJson,
  ),
  setting('jobLeaseSeconds', 'DAILIES_JOB_LEASE_SECONDS', above(0), 'seconds above 0', asNumber),
  setting('uploadExpiryHours', 'DAILIES_UPLOAD_EXPIRY_HOURS', above(0), 'hours above 0', asNumber),
  count('uploadMaxBytes', 'DAILIES_UPLOAD_MAX_BYTES', 1, 'bytes'),
  count('uploadBackgroundPublishBytes', 'DAILIES_UPLOAD_BACKGROUND_PUBLISH_BYTES', 0, 'bytes'),
  count('eventStreamsPerUser', 'DAILIES_EVENT_STREAMS_PER_USER', 1, 'streams'),
  setting('metricsToken', 'DAILIES_METRICS_TOKEN', nonEmpty, 'a token', asText, {
    optional: true,
    secret: true,
  }),
  setting('logLevel', 'DAILIES_LOG_LEVEL', oneOf(LOG_LEVELS), `one of ${LOG_LEVELS.join(', ')}`, (text) =>
    text.trim().toLowerCase(),
  ),
  setting('webDir', 'DAILIES_WEB_DIR', nonEmpty, 'a directory', asText),
  setting(
    'signUp',
    'DAILIES_SIGNUP',
    oneOf(['open', 'approve', 'off']),
    'one of open, approve, off',
    // The old true/false still mean open/off.
    (text) => ({ true: 'open', false: 'off' })[text.trim().toLowerCase()] ?? text.trim().toLowerCase(),
  ),
  setting('sessionDays', 'DAILIES_SESSION_DAYS', above(0), 'days above 0', asNumber),
  count('signInLimit.perAccountAddress', 'DAILIES_SIGNIN_LIMIT_PER_ACCOUNT', 1, 'failed sign-ins'),
  count('signInLimit.perAddress', 'DAILIES_SIGNIN_LIMIT_PER_ADDRESS', 1, 'failed sign-ins'),
  count('signInLimit.codesPerAccount', 'DAILIES_SIGNIN_LIMIT_CODES', 1, 'wrong codes'),
  setting(
    'signInLimit.windowMinutes',
    'DAILIES_SIGNIN_LIMIT_WINDOW_MINUTES',
    above(0),
    'minutes above 0',
    asNumber,
  ),
  setting(
    'trustProxy',
    'DAILIES_TRUST_PROXY',
    Type.Union([Type.Boolean(), Type.String({ pattern: '^[0-9A-Za-z.:/_, -]+$' })]),
    'true, false, or addresses and CIDRs such as loopback,10.0.0.0/8',
    (text) => asBoolean(text.trim()),
  ),
  setting(
    'oidc.issuer',
    'DAILIES_OIDC_ISSUER',
    Type.String({ pattern: '^https?://' }),
    'an http(s):// URL',
    asTrimmed,
    {
      optional: true,
    },
  ),
  setting('oidc.clientId', 'DAILIES_OIDC_CLIENT_ID', nonEmpty, 'a client id', asTrimmed, { optional: true }),
  setting('oidc.clientSecret', 'DAILIES_OIDC_CLIENT_SECRET', nonEmpty, 'a client secret', asText, {
    optional: true,
    secret: true,
  }),
  setting(
    'oidc.redirectUri',
    'DAILIES_OIDC_REDIRECT_URI',
    Type.String({ pattern: '^https?://' }),
    'an http(s):// URL',
    asTrimmed,
    { optional: true },
  ),
  setting('oidc.name', 'DAILIES_OIDC_NAME', nonEmpty, 'a name for the sign-in button', asTrimmed),
  setting('oidc.scopes', 'DAILIES_OIDC_SCOPES', nonEmpty, 'space-separated scopes', asTrimmed),
  setting('oidc.groupsClaim', 'DAILIES_OIDC_GROUPS_CLAIM', nonEmpty, 'a claim name', asTrimmed),
  setting('oidc.usernameClaim', 'DAILIES_OIDC_USERNAME_CLAIM', nonEmpty, 'a claim name', asTrimmed),
  setting(
    'oidc.groupMap',
    'DAILIES_OIDC_GROUP_MAP',
    Type.Record(Type.String(), nonEmpty),
    'a JSON object of provider group to Dailies group, e.g. {"vfx-artists":"editors"}',
    asJson,
  ),
  setting('oidc.allowInsecure', 'DAILIES_OIDC_ALLOW_INSECURE', Type.Boolean(), 'true or false', asBoolean),
];

/**
 * Read by the loader itself, not settings of the config: where the config file is (it cannot
 * name itself).
 */
export const CONFIG_FILE_VARIABLE = 'DAILIES_CONFIG';

/** Every environment variable the configuration reads. */
/**
 * Variables naming a file that holds a secret (a Docker or systemd credential), and the variable
 * whose value the file's text stands for when that one is not set.
 */
export const SECRET_FILE_VARIABLES: Readonly<Record<string, string>> = {
  DAILIES_SECRET_FILE: 'DAILIES_SECRET',
  DAILIES_SECRET_PREVIOUS_FILE: 'DAILIES_SECRET_PREVIOUS',
};

export function configVariables(): string[] {
  return [CONFIG_FILE_VARIABLE, ...Object.keys(SECRET_FILE_VARIABLES), ...SETTINGS.flatMap((s) => s.env)];
}
