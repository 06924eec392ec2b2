import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import { Argon2PasswordHasher } from './adapters/crypto/argon2-password-hasher.js';
import { resolveServerSecret } from './adapters/crypto/server-secret-file.js';
import { inProcessLock, PostgresAdvisoryLock } from './adapters/db/advisory-lock.js';
import { kyselyCatalog } from './adapters/db/catalog.js';
import { type CatalogConnection, connectCatalog } from './adapters/db/dialect.js';
import { KyselyLocationRepository } from './adapters/db/location.repository.js';
import { KyselyMhlRepository } from './adapters/db/mhl.repository.js';
import { migrateToLatest } from './adapters/db/migrate.js';
import { PgUploadLocks } from './adapters/db/pg-upload-locks.js';
import { lockDataDir } from './adapters/db/process-lock.js';
import { KyselySearchRepository } from './adapters/db/search.repository.js';
import { KyselyStorageRepository } from './adapters/db/storage.repository.js';
import { MemoryEventBus } from './adapters/events/memory-event-bus.js';
import { PgEventBus } from './adapters/events/pg-event-bus.js';
import { FsWorkDirs } from './adapters/fs/work-dirs.js';
import { createPino, pinoLogger } from './adapters/logging/pino-logger.js';
import { FfmpegTranscoder } from './adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from './adapters/media/media-probe.js';
import { reapOrphanedTools } from './adapters/media/tool-reaper.js';
import { LocalJobQueue } from './adapters/queue/local-job-queue.js';
import { PgBossJobQueue } from './adapters/queue/pgboss-job-queue.js';
import { createObjectStore, parseStoreUrl } from './adapters/storage/create-object-store.js';
import type { S3ConnectionOptions } from './adapters/storage/s3-client.js';
import { s3Connection, settingsStorage } from './adapters/storage/settings-storage.js';
import { SwitchableObjectStore } from './adapters/storage/switchable-object-store.js';
import { createUploadStore } from './adapters/uploads/create-upload-store.js';
import { UploadLockTable } from './adapters/uploads/upload-locks.js';
import { fileSystemSpace } from './adapters/volume/volume-space.js';
import type { Config } from './config.js';
import { AccessPolicy } from './features/access/access.policy.js';
import { SYSTEM_ACTOR } from './features/access/actor.js';
import { AssetsService } from './features/assets/assets.service.js';
import { AuditService } from './features/audit/audit.service.js';
import { AuthService } from './features/auth/auth.service.js';
import { OidcService } from './features/auth/oidc.service.js';
import { SignInThrottle } from './features/auth/sign-in-throttle.js';
import { TokensService } from './features/auth/tokens.service.js';
import { TwoFactorService } from './features/auth/two-factor.service.js';
import { BinsService } from './features/bins/bins.service.js';
import { DownloadService } from './features/downloads/download.service.js';
import { DOWNLOAD_PATH } from './features/downloads/downloads.routes.js';
import { EventsService } from './features/events/events.service.js';
import { ensureRoot } from './features/folders/folder-tree.js';
import { FoldersService } from './features/folders/folders.service.js';
import { ImportService } from './features/imports/import.service.js';
import { IndexingService } from './features/indexing/indexing.service.js';
import { LakeIntents } from './features/indexing/lake-intents.js';
import { forwardJobProgress } from './features/jobs/job-progress.js';
import { LogImport } from './features/logging/log-import.js';
import { LoggingService } from './features/logging/logging.service.js';
import { LooksService } from './features/looks/looks.service.js';
import { MhlService } from './features/mhl/mhl.service.js';
import { NotesService } from './features/notes/notes.service.js';
import { PrepareService } from './features/prepare/prepare.service.js';
import { ProcessingService } from './features/processing/processing.service.js';
import { SearchService } from './features/search/search.service.js';
import { SequenceIndex } from './features/sequences/sequence-index.js';
import { AssetObjects } from './features/sequences/sequence-objects.js';
import { SequenceSettler } from './features/sequences/sequence-settler.js';
import { SequencesService } from './features/sequences/sequences.service.js';
import { readEffectiveSettings } from './features/settings/saved-settings.js';
import {
  agreeOnSecret,
  SECRET_DIFFERS_MESSAGE,
  type SecretAgreement,
} from './features/settings/secret-fingerprint.js';
import { SettingsService } from './features/settings/settings.service.js';
import { StorageService } from './features/storage/storage.service.js';
import { StorageCleanup } from './features/storage/storage-cleanup.js';
import { registerStorageGauges } from './features/storage/storage-metrics.js';
import { oncePerPeriod } from './features/system/periodic-work.js';
import { Scheduler } from './features/system/scheduler.js';
import { TrashService } from './features/trash/trash.service.js';
import { StagedLake } from './features/uploads/staged-lake.js';
import { registerUploadGauges } from './features/uploads/upload-metrics.js';
import { UploadsService } from './features/uploads/uploads.service.js';
import { UsersService } from './features/users/users.service.js';
import { VolumesService } from './features/volumes/volumes.service.js';
import { loggedHandlers } from './jobs/job-log.js';
import { jobHandlers } from './jobs/registry.js';
import { workOptions } from './jobs/work-options.js';
import { IncomingWrites } from './lib/incoming-writes.js';
import type { Catalog } from './ports/catalog.js';
import { type Clock, systemClock } from './ports/clock.js';
import type { ClusterLock } from './ports/cluster-lock.js';
import type { EventBus } from './ports/events.js';
import type { JobHandlers, JobQueue } from './ports/job-queue.js';
import { type Logger, reportTo } from './ports/logger.js';
import type { ObjectStore } from './ports/object-store.js';
import type { PasswordHasher } from './ports/password-hasher.js';
import type { DeploymentSettings, LakeSettings } from './ports/settings.js';
import type { UploadStore } from './ports/upload-store.js';

/** Everything a running Dailies holds: adapters built from config, handed to services. Plain code, no container. */
export interface Dailies {
  config: Config;
  connection: CatalogConnection;
  catalog: Catalog;
  /** The lake in use; the settings page can swap it while the server runs. */
  lake: SwitchableObjectStore;
  derived: ObjectStore;
  events: EventBus;
  /** Events as each connected actor may see them (SSE). */
  liveEvents: EventsService;
  jobs: JobQueue;
  clock: Clock;
  /** The process's log; adapters and services get children of it. */
  logger: Logger;
  metrics: Registry;
  access: AccessPolicy;
  audit: AuditService;
  indexing: IndexingService;
  /** Image sequences: queues a sequence's processing once its frames are quiet. */
  sequenceSettler: SequenceSettler;
  /** An image sequence's range, frames and frame rate (API). */
  sequences: SequencesService;
  /** Steps between the lake and the catalog under way, settled at start after a crash. */
  intents: LakeIntents;
  folders: FoldersService;
  /** Dailies looks (LUT, burn-in) per folder. */
  looks: LooksService;
  assets: AssetsService;
  trash: TrashService;
  downloads: DownloadService;
  imports: ImportService;
  users: UsersService;
  auth: AuthService;
  twoFactor: TwoFactorService;
  tokens: TokensService;
  /** Sign-in through OpenID Connect; null when no provider is configured. */
  oidc: OidcService | null;
  uploads: UploadsService;
  volumes: VolumesService;
  /** ASC MHL: cards verified against their histories, generations on the edit volumes, MHL downloads. */
  mhl: MhlService;
  settings: SettingsService;
  search: SearchService;
  /** Logging fields (camera, reel, scene, take, circled, …) and the script supervisor's CSV. */
  logging: LoggingService;
  logImport: LogImport;
  processing: ProcessingService;
  /** Notes on assets, at a timecode or not. */
  notes: NotesService;
  /** ALE, FCPXML and CSV bins for the edit software. */
  bins: BinsService;
  /** "Prepare for edit": a folder copied to a volume with its ASC MHL generation and bins. */
  prepare: PrepareService;
  storage: StorageService;
  cleanup: StorageCleanup;
  handlers: JobHandlers;
  /** Named locks across every process on the catalog (PostgreSQL advisory locks; in-process on SQLite). */
  clusterLock: ClusterLock;
  /** Whether this process signs with the secret the others on the catalog use (doctor tells). */
  secretAgreement: SecretAgreement;
  close(): Promise<void>;
}

export interface WiringOptions {
  clock?: Clock;
  /** Lease of a running job; short in tests that kill workers. */
  jobLeaseMs?: number;
  jobBackoffMs?: number;
  /** Tests use a cheaper (still argon2id) hasher. */
  passwordHasher?: PasswordHasher;
  /**
   * Receives the generated password of the first admin, once. Default: printed to stdout
   * (never to the log).
   */
  onFirstAdminPassword?: (password: string) => void;
  /**
   * The process's log: adapters report there what they cannot throw (a lost LISTEN connection,
   * a failed NOTIFY), job runs are logged there. Default: JSON lines on standard error.
   */
  logger?: Logger;
  /**
   * The command this process runs (`serve`, `worker`, `reconcile`, `import`): on SQLite it takes
   * the data dir's process lock, and a second such process refuses to start. In-process tests
   * that open one data dir twice leave it out.
   */
  processRole?: string;
}

export async function createDailies(config: Config, options: WiringOptions = {}): Promise<Dailies> {
  mkdirSync(config.dataDir, { recursive: true });
  const clock = options.clock ?? systemClock;
  const releaseDataDir =
    options.processRole && !config.databaseUrl ? lockDataDir(config.dataDir, options.processRole) : () => {};
  const connection = connectCatalog({ databaseUrl: config.databaseUrl, sqliteFile: config.sqliteFile });
  // Several processes starting at once on one PostgreSQL take turns to migrate and create the
  // queues (pg-boss's queue creation deadlocks when run side by side).
  const clusterLock: ClusterLock = connection.postgresPool
    ? new PostgresAdvisoryLock(connection.postgresPool)
    : inProcessLock;
  const catalog = kyselyCatalog(connection.db);
  await clusterLock.run('start', async () => {
    await migrateToLatest(connection.db);
    await ensureRoot(catalog, clock.now());
  });

  const secret = resolveServerSecret(config);
  const secretAgreement = await agreeOnSecret(catalog.settings, secret, clock.now());
  if (secretAgreement === 'differs') console.error(`warning: ${SECRET_DIFFERS_MESSAGE}`);
  // Settings saved on the settings page win over the config file and environment.
  const base = baseSettings(config);
  const effective = await readEffectiveSettings(catalog.settings, base, secret);
  const storage = settingsStorage();
  // The config's lake keeps every connection option the config gives (retries, timeouts).
  const lake = new SwitchableObjectStore(
    effective.saved.lake
      ? storage.openLake(effective.lake)
      : createObjectStore(config.lake, { s3: config.s3 }),
  );
  const derived = createObjectStore(config.derived, { s3: config.s3 });
  // A local directory is made now; a remote store may be down and is checked when used.
  for (const store of [lake, derived]) if (store.kind === 'fs') await store.check();
  const logger =
    options.logger ??
    pinoLogger(createPino({ level: config.logLevel, human: false, destination: process.stderr }));
  const log = reportTo(logger);
  // PostgreSQL: pg-boss jobs and events that reach every server; SQLite: both in this process.
  const pool = connection.postgresPool;
  const events: EventBus =
    pool && config.databaseUrl
      ? await PgEventBus.create(pool, config.databaseUrl, {
          onError: (e) => logger.error('event bus failed', { component: 'events', err: e }),
        })
      : new MemoryEventBus();
  const queueOptions = {
    leaseMs: options.jobLeaseMs ?? config.jobLeaseSeconds * 1000,
    backoffBaseMs: options.jobBackoffMs,
  };
  const jobs: JobQueue = pool
    ? await clusterLock.run('start', () =>
        PgBossJobQueue.create(pool, {
          ...queueOptions,
          onError: (e) => logger.error('job queue failed', { component: 'jobs', err: e }),
        }),
      )
    : new LocalJobQueue(connection.db, clock, queueOptions);
  forwardJobProgress(jobs, events);

  const access = new AccessPolicy(catalog.folders);
  const liveEvents = new EventsService({ events, access });
  const audit = new AuditService(catalog.audit, clock);
  const notes = new NotesService({ catalog, access, audit, events, clock });
  const bins = new BinsService({ catalog, notes: catalog.notes, access, audit });
  const processing = new ProcessingService({
    catalog,
    lake,
    derived,
    jobs,
    events,
    clock,
    access,
    audit,
    probe: new ToolsMediaProbe(config.media),
    transcoder: new FfmpegTranscoder(config.media),
    workDirs: new FsWorkDirs(config.workDir, { budgetBytes: config.workDirBudgetMb * 1024 * 1024 }),
  });
  const intents = new LakeIntents({ catalog, clock });
  // Indexed assets also reach the MHL service (a card's history, a file of a verified card);
  // it exists once indexing does. A failure there never fails the indexing.
  let mhl: MhlService | null = null;
  const sequences = new SequenceIndex({ catalog, clock, events, processing });
  const sequenceSettler = new SequenceSettler({
    catalog,
    clock,
    processing,
    quietMs: config.sequenceQuietSeconds * 1000,
  });
  const indexing = new IndexingService({
    catalog,
    lake,
    clock,
    events,
    processing: {
      assetsIngested: async (ingested) => {
        await processing.assetsIngested(ingested);
        await mhl?.assetsIngested(ingested).catch((e) => log('ASC MHL verification could not be queued', e));
      },
      assetsRemoved: (ids) => processing.assetsRemoved(ids),
    },
    intents,
    lock: clusterLock,
    sequences,
    log,
  });
  const logging = new LoggingService({ catalog, access, audit, events, clock });
  const logImport = new LogImport({ catalog, access, audit, events, clock });
  const locations = new KyselyLocationRepository(connection.db);
  // Assets show where else they are; the volumes service answers once it exists.
  let volumes: VolumesService | null = null;
  const objects = new AssetObjects({ catalog, lake });
  const incomingWrites = new IncomingWrites();
  const assets = new AssetsService({
    catalog,
    lake,
    access,
    audit,
    events,
    clock,
    jobs,
    intents,
    objects,
    locations: (ids) => volumes?.locationsOf(ids) ?? Promise.resolve(new Map()),
    derivatives: (ids) => processing.derivativeKinds(ids),
    logs: (ids) => logging.views(ids),
    writesArriving: () => incomingWrites.count > 0,
  });
  const trash = new TrashService({
    catalog,
    lake,
    objects,
    access,
    audit,
    events,
    clock,
    processing,
    assets,
    intents,
  });
  const hasher = options.passwordHasher ?? new Argon2PasswordHasher();
  const users = new UsersService({ catalog, hasher, audit, clock });
  const throttle = new SignInThrottle({ catalog, clock, limits: config.signInLimit });
  const twoFactor = new TwoFactorService({
    catalog,
    clock,
    audit,
    hasher,
    throttle,
    serverSecret: secret,
    issuer: 'Dailies',
  });
  const auth = new AuthService({
    catalog,
    hasher,
    audit,
    clock,
    throttle,
    twoFactor,
    settings: { signUp: config.signUp, sessionDays: config.sessionDays, signInLimit: config.signInLimit },
  });
  const tokens = new TokensService({ catalog, audit, clock, twoFactor });
  const oidc = config.oidc
    ? new OidcService({ config: config.oidc, catalog, auth, audit, clock, secret })
    : null;
  const firstRun = await clusterLock.run('start', () => users.ensureDefaults(config.adminPassword));
  if (firstRun?.generatedPassword)
    (options.onFirstAdminPassword ?? printFirstAdminPassword)(firstRun.generatedPassword);
  const looks = new LooksService({ catalog, access, audit, clock, remaker: processing });
  const folders = new FoldersService({
    catalog,
    lake,
    access,
    audit,
    events,
    clock,
    jobs,
    trash,
    intents,
    groupExists: (names) => users.existingGroups(names),
  });
  const downloads = new DownloadService({
    catalog,
    lake,
    access,
    audit,
    clock,
    secret,
    ttlSeconds: config.downloadUrlTtl,
    servePath: DOWNLOAD_PATH,
    actorOf: (id) => users.actorById(id),
  });
  const sequencesService = new SequencesService({
    catalog,
    access,
    audit,
    clock,
    events,
    processing,
    downloads,
  });
  const imports = new ImportService({ catalog, lake, folders, indexing, audit, access, intents });
  // Upload staging lives inside the lake, so it follows a swap of the lake.
  const stagingFor = (store: ObjectStore, s3: S3ConnectionOptions | undefined): UploadStore =>
    createUploadStore(store, { expiryMs: config.uploadExpiryHours * 3_600_000, s3 });
  const s3Of = (settings: LakeSettings) => (settings.kind === 's3' ? s3Connection(settings) : undefined);
  const stagedLake = new StagedLake(
    lake,
    (store, settings) => stagingFor(store, s3Of(settings)),
    stagingFor(lake.current, effective.saved.lake ? s3Of(effective.lake) : config.s3),
  );
  // Which request writes an upload, and which server finishes it, is decided where every server sees it.
  const uploadLocks = config.databaseUrl ? new PgUploadLocks(config.databaseUrl) : new UploadLockTable(null);
  const uploads = new UploadsService({
    store: () => stagedLake.staging,
    locks: uploadLocks,
    catalog,
    lake,
    folders,
    indexing,
    audit,
    access,
    intents,
    clock,
    backgroundPublishBytes: config.uploadBackgroundPublishBytes,
    incoming: incomingWrites,
    log,
  });
  volumes = new VolumesService({
    volumes: effective.volumes.map((v) => ({ config: v, volume: storage.openVolume(v) })),
    locations,
    catalog,
    lake,
    access,
    audit,
    events,
    clock,
    jobs,
    imports,
    actorOf: (id) => users.actorById(id),
    copied: (volumeId, asset) => mhl?.copied(volumeId, asset) ?? Promise.resolve(),
  });
  const openedVolumes = volumes;
  mhl = new MhlService({
    catalog,
    lake,
    mhl: new KyselyMhlRepository(connection.db),
    locations,
    clock,
    lock: clusterLock,
    audit,
    access,
    jobs,
    index: (object) => indexing.indexObject(object),
    volumes: {
      usable: (actor, id) => openedVolumes.opened(actor, id),
      configured: (id) => openedVolumes.opened(null, id),
    },
  });
  // Where each volume is mounted, for the storage page's free space (follows the settings page).
  let volumeRoots = new Map(effective.volumes.map((v) => [v.id, v.path]));
  const settings = new SettingsService({
    catalog,
    storage,
    lake: stagedLake,
    replaceVolumes: (list) => {
      openedVolumes.replace(list);
      volumeRoots = new Map(list.map((v) => [v.config.id, v.config.path]));
    },
    reconcile: () => indexing.reconcileAfresh(),
    groupExists: (names) => users.existingGroups(names),
    audit,
    events,
    clock,
    base,
    s3Defaults: {
      kind: 's3',
      region: config.s3.region,
      endpoint: config.s3.endpoint,
      forcePathStyle: config.s3.forcePathStyle,
      accessKeyId: config.s3.accessKeyId,
      secretAccessKey: config.s3.secretAccessKey,
    },
    serverSecret: secret,
    reserved: [
      ...(config.databaseUrl ? [] : [{ path: config.sqliteFile, what: 'the catalog file' }]),
      { path: join(config.dataDir, 'secret'), what: "the server's secret" },
      { path: config.workDir, what: 'the work directory', inside: true },
      ...(derived.kind === 'fs'
        ? [{ path: derived.describe(), what: 'the derivative store', inside: true }]
        : []),
    ],
    initial: effective,
    log,
  });
  const storageRepository = new KyselyStorageRepository(connection.db, connection.dialect);
  const storageVolumes = {
    list: (actor: Parameters<VolumesService['list']>[0]) => openedVolumes.list(actor),
    space: async (id: string) => {
      const root = volumeRoots.get(id);
      return root ? fileSystemSpace(root) : null;
    },
    requestRemove: (actor: Parameters<VolumesService['list']>[0], volumeId: string, ids: string[]) =>
      openedVolumes.requestRemove(actor, volumeId, ids),
  };
  const storageService = new StorageService({
    storage: storageRepository,
    catalog,
    access,
    audit,
    clock,
    volumes: storageVolumes,
  });
  const cleanup = new StorageCleanup({
    storage: storageRepository,
    catalog,
    access,
    audit,
    clock,
    jobs,
    trash,
    volumes: storageVolumes,
    actorOf: (id) => users.actorById(id),
  });
  const metrics = new Registry();
  registerStorageGauges(metrics, storageService);
  registerUploadGauges(metrics, incomingWrites);
  const prepare = new PrepareService({
    catalog,
    access,
    audit,
    events,
    jobs,
    volumes,
    mhl,
    bins,
    clock,
    actorOf: (id) => users.actorById(id),
    lock: clusterLock,
  });
  const handlers = loggedHandlers(
    jobHandlers({ assets, folders, volumes, processing, cleanup, mhl, prepare }),
    logger.child({ component: 'jobs' }),
  );
  const search = new SearchService({
    search: new KyselySearchRepository(connection.db, connection.dialect),
    access,
    logs: (ids) => logging.views(ids),
    logFields: () => catalog.logs.fields(),
  });

  return {
    config,
    clusterLock,
    secretAgreement,
    connection,
    catalog,
    lake,
    derived,
    events,
    liveEvents,
    jobs,
    clock,
    logger,
    metrics,
    access,
    audit,
    indexing,
    sequenceSettler,
    sequences: sequencesService,
    intents,
    folders,
    looks,
    assets,
    trash,
    downloads,
    imports,
    users,
    auth,
    twoFactor,
    tokens,
    oidc,
    uploads,
    volumes,
    mhl,
    settings,
    search,
    logging,
    logImport,
    processing,
    notes,
    bins,
    prepare,
    storage: storageService,
    cleanup,
    handlers,
    close: async () => {
      await (jobs.close ? jobs.close() : jobs.stop());
      // A publish running after its PATCH was answered ends first; the catalog is still open.
      await uploads.drain();
      await uploadLocks.close();
      await events.close?.();
      await connection.close();
      releaseDataDir();
    },
  };
}

/**
 * What runs beside the HTTP server: job workers, the fs lake watcher and the periodic
 * reconcile. Returns a function that stops them all.
 */
export async function startBackground(
  dailies: Dailies,
  options: { log?: (message: string, error?: unknown) => void } = {},
): Promise<() => Promise<void>> {
  const { config, jobs, indexing, handlers, uploads } = dailies;
  const log = options.log ?? reportTo(dailies.logger);
  const stops: Array<() => Promise<void>> = [];
  // Steps a crash cut short between the lake and the catalog are settled before anything looks
  // at the lake (the watcher, reconcile, the upload sweep), so none of them judges a half step.
  await dailies.intents.recover(log);
  // Writes cut short by a crash leave temporaries in the lake's staging. On SQLite this process
  // owns the data dir, so all of them are debris; other servers on PostgreSQL may be writing.
  const sweepTemporaries = (olderThanMs: number) =>
    dailies.lake.sweepTemporaries(olderThanMs).catch((error) => log('temporaries sweep failed', error));
  await sweepTemporaries(config.databaseUrl ? TEMPORARY_STALE_MS : 0);
  // What copies killed with the server left on the volumes goes before workers copy again.
  await dailies.volumes.sweepAll(log);
  await dailies.derived.sweepTemporaries?.().catch((error) => log('sweep of staging files failed', error));
  if (config.inProcessWorkers) {
    await dailies.processing.cleanWorkDir();
    await reapOrphanedTools();
    await jobs.work(handlers, workOptions(config.jobConcurrency));
    stops.push(() => jobs.stop());
  }
  // The watcher follows the lake across swaps; it watches only while the lake is a directory.
  if (config.watchLake) stops.push(indexing.watch());
  const reconcile = () => indexing.reconcile().catch((error) => log('reconcile failed', error));
  // Periodic work runs in one process of the deployment per interval.
  const period = { lock: dailies.clusterLock, settings: dailies.catalog.settings, now: () => Date.now() };
  const reconcileMs = config.reconcileInterval * 1000;
  // The lake may have changed while the server was down. On PostgreSQL, unless another server
  // re-indexed it within the interval (it was up meanwhile).
  if (config.databaseUrl && reconcileMs > 0)
    void oncePerPeriod(period, 'reconcile', reconcileMs, reconcile)().catch((error) =>
      log('reconcile failed', error),
    );
  else void reconcile();
  // Uploads that had every byte when the server stopped become assets before clients come back.
  const sweepUploads = () =>
    Promise.all([
      uploads.sweep(log).catch((error) => log('upload sweep failed', error)),
      sweepTemporaries(TEMPORARY_STALE_MS),
    ]) as Promise<unknown>;
  await sweepUploads();
  const scheduler = new Scheduler(log);
  stops.push(async () => scheduler.stop());
  // Each task runs once per interval across the deployment: the process that claims the period.
  const every = (name: string, intervalMs: number, work: () => Promise<unknown>) =>
    scheduler.every(name, intervalMs, oncePerPeriod(period, name, intervalMs, work));
  every('upload-sweep', uploadSweepInterval(config.uploadExpiryHours), sweepUploads);
  // Volumes may be added on the settings page later, so the timer runs with none configured.
  every('volume-scan', config.volumeScanInterval * 1000, () => dailies.volumes.scanAll(SYSTEM_ACTOR, log));
  every('reconcile', reconcileMs, reconcile);
  // Storage sums fold in each process (reads are exact anyway; folding keeps them short); the
  // trash retention purge and the day's figure are deployment-wide, the first at start.
  scheduler.every('storage fold', STORAGE_FOLD_MS, () => dailies.storage.fold());
  // Every process looks for quiet sequences; the catalog's mark lets one of them queue each.
  scheduler.every('sequence settle', SEQUENCE_SETTLE_MS, () => dailies.sequenceSettler.settleQuiet());
  for (const [name, work] of [
    ['trash-retention', () => dailies.cleanup.purgeExpired()],
    ['storage-day', () => dailies.storage.recordDay()],
  ] as const) {
    every(name, HOUR_MS, work);
    void oncePerPeriod(period, name, HOUR_MS, work)().catch((error) => log(`${name} failed`, error));
  }
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

const STORAGE_FOLD_MS = 10_000;
const SEQUENCE_SETTLE_MS = 1_000;
const HOUR_MS = 3_600_000;

/** A staging temporary untouched this long belongs to no write still running. */
const TEMPORARY_STALE_MS = 10 * 60_000;

/** The lake and volumes the config file and environment name, under any saved settings. */
function baseSettings(config: Config): DeploymentSettings {
  const location = parseStoreUrl(config.lake);
  const lake: LakeSettings =
    location.kind === 'fs'
      ? { kind: 'fs', path: location.root }
      : {
          kind: 's3',
          bucket: location.bucket,
          prefix: location.prefix,
          region: config.s3.region,
          endpoint: config.s3.endpoint,
          forcePathStyle: config.s3.forcePathStyle,
          accessKeyId: config.s3.accessKeyId,
          secretAccessKey: config.s3.secretAccessKey,
        };
  return { lake, volumes: config.volumes };
}

function printFirstAdminPassword(password: string): void {
  process.stdout.write(
    `\nDailies created the first admin account.\n  username: admin\n  password: ${password}\n` +
      'It is shown only this once; you will be asked to change it at first sign-in.\n\n',
  );
}

/** Often enough that an upload is gone soon after it expires; a short expiry (tests) sweeps every second. */
function uploadSweepInterval(expiryHours: number): number {
  return Math.min(Math.max((expiryHours * 3_600_000) / 4, 1000), 10 * 60_000);
}
