import type { JobName } from './jobs/types.js';
import type { MediaSettings } from './ports/media.js';

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
  /** Seconds an image sequence's frames must stay unchanged before its derivatives are made (again). */
  sequenceQuietSeconds: number;
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
  /** MiB of S3 originals the work dir keeps between an asset's jobs (0: each job downloads its own). */
  workDirBudgetMb: number;
  /**
   * Workers per job name in each process, e.g. `{"asset.proxy": 2}`; media jobs are otherwise
   * sized to the machine (`jobs/work-options.ts`), others get one.
   */
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
  /**
   * From this size, an upload to an S3 lake (whose publish is a server-side copy) is published
   * after its last PATCH has been answered; smaller ones are published before, and that answer
   * names the asset.
   */
  uploadBackgroundPublishBytes: number;
  /** Event streams one user may hold open at once (browser tabs, scripts). */
  eventStreamsPerUser: number;
}

/** Loads and validates the configuration: see config/settings.ts for the one schema of it. */
export { ConfigError, loadConfig } from './config/load.js';
