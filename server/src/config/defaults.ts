import { resolve } from 'node:path';
import { defaultMediaSettings } from '../ports/media.js';

/** What each setting is when neither the environment nor the config file sets it. */
export function configDefaults(dataDir: string): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: 8080,
    dataDir,
    sqliteFile: resolve(dataDir, 'dailies.sqlite'),
    lake: resolve(dataDir, 'lake'),
    derived: resolve(dataDir, 'derived'),
    s3: { region: 'us-east-1', forcePathStyle: false },
    volumes: [],
    // Empty: generated into the data dir at the first start (wiring.ts).
    secret: '',
    secretPrevious: '',
    downloadUrlTtl: 3600,
    reconcileInterval: 900,
    sequenceQuietSeconds: 10,
    volumeScanInterval: 600,
    watchLake: true,
    inProcessWorkers: true,
    media: { ...defaultMediaSettings },
    workDir: resolve(dataDir, 'work'),
    workDirBudgetMb: 20480,
    jobConcurrency: {},
    jobLeaseSeconds: 60,
    uploadExpiryHours: 24,
    uploadMaxBytes: 2 * 1024 ** 4,
    // One web-app chunk: a server-side copy of less takes about as long as a PATCH does.
    uploadBackgroundPublishBytes: 64 * 1024 ** 2,
    eventStreamsPerUser: 8,
    logLevel: 'info',
    webDir: resolve(import.meta.dirname, '../../../web/dist'),
    signUp: 'approve',
    sessionDays: 14,
    signInLimit: { perAccountAddress: 5, perAddress: 30, codesPerAccount: 10, windowMinutes: 15 },
    trustProxy: 'loopback',
  };
}

/** Filled in when a provider is configured (`oidc.issuer`); no sign-on otherwise. */
export const OIDC_DEFAULTS = {
  name: 'single sign-on',
  scopes: 'openid profile email groups',
  groupsClaim: 'groups',
  usernameClaim: 'preferred_username',
  groupMap: {},
  allowInsecure: false,
};
