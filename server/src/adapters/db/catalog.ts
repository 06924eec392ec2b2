import type { Kysely } from 'kysely';
import type { Catalog } from '../../ports/catalog.js';
import { KyselyAssetRepository } from './asset.repository.js';
import { KyselyAssetLogRepository } from './asset-log.repository.js';
import { KyselyAuditRepository } from './audit.repository.js';
import type { Database } from './database.js';
import { KyselyFolderRepository } from './folder.repository.js';
import { KyselyFolderLookRepository } from './folder-look.repository.js';
import { KyselyGroupRepository } from './group.repository.js';
import { KyselyLakeIntentRepository } from './lake-intent.repository.js';
import { KyselyNoteRepository } from './note.repository.js';
import { KyselyProcessingRepository } from './processing.repository.js';
import { KyselySequenceRepository } from './sequence.repository.js';
import {
  KyselyApiTokenRepository,
  KyselyRecoveryCodeRepository,
  KyselySessionRepository,
  KyselySignInAttemptRepository,
  KyselySignInChallengeRepository,
} from './session.repository.js';
import { KyselySettingsRepository } from './settings.repository.js';
import { KyselyUserRepository } from './user.repository.js';

/** The catalog over one Kysely instance (or transaction): the same repositories on SQLite and PostgreSQL. */
export function kyselyCatalog(db: Kysely<Database>): Catalog {
  return {
    folders: new KyselyFolderRepository(db),
    assets: new KyselyAssetRepository(db),
    audit: new KyselyAuditRepository(db),
    settings: new KyselySettingsRepository(db),
    users: new KyselyUserRepository(db),
    groups: new KyselyGroupRepository(db),
    sessions: new KyselySessionRepository(db),
    apiTokens: new KyselyApiTokenRepository(db),
    signInAttempts: new KyselySignInAttemptRepository(db),
    signInChallenges: new KyselySignInChallengeRepository(db),
    recoveryCodes: new KyselyRecoveryCodeRepository(db),
    processing: new KyselyProcessingRepository(db),
    intents: new KyselyLakeIntentRepository(db),
    logs: new KyselyAssetLogRepository(db),
    notes: new KyselyNoteRepository(db),
    sequences: new KyselySequenceRepository(db),
    looks: new KyselyFolderLookRepository(db),
    // Already inside a transaction: join it rather than nest.
    transaction: (work) =>
      db.isTransaction
        ? work(kyselyCatalog(db))
        : db.transaction().execute((trx) => work(kyselyCatalog(trx))),
  };
}
