import { Conflict, Unprocessable } from '../../lib/errors.js';
import { isReservedName } from '../../lib/paths.js';
import type { ObjectStore } from '../../ports/object-store.js';
import type { LakeSettings } from '../../ports/settings.js';
import type { IndexingService } from '../indexing/indexing.service.js';
import type { LakeIntents } from '../indexing/lake-intents.js';
import type { LakeEventRecord } from './s3-event-message.js';

interface Deps {
  indexing: IndexingService;
  lake: ObjectStore;
  /** The lake in effect (the settings page may change it while the server runs). */
  currentLake: () => LakeSettings;
  intents: LakeIntents;
}

export interface LakeEventsReport {
  records: number;
  /** Keys whose asset now matches the lake (made, refreshed or unchanged). */
  indexed: number;
  /** Keys the lake no longer has, whose asset was dropped (or had none). */
  removed: number;
  /** Keys a Dailies step under way is changing: that step records them. */
  deferred: number;
  /** Records that name nothing of this lake, with why. */
  ignored: Array<{ key: string; reason: string }>;
}

/**
 * S3 event notifications: each named key is judged at once as reconcile would judge it, by
 * asking the lake, so files another tool writes into the bucket appear within a second instead
 * of at the next re-index. A record is a hint, never a fact: a created key no longer there is
 * dropped, a removed key still there is kept.
 */
export class LakeEventsService {
  constructor(private readonly deps: Deps) {}

  async apply(records: LakeEventRecord[]): Promise<LakeEventsReport> {
    const lake = this.deps.currentLake();
    if (lake.kind !== 's3')
      throw new Conflict('The lake is a directory, not an S3 bucket: it has no S3 events to follow.');
    const report: LakeEventsReport = {
      records: records.length,
      indexed: 0,
      removed: 0,
      deferred: 0,
      ignored: [],
    };
    const wanted: Array<{ record: LakeEventRecord; key: string }> = [];
    const unsafe: Array<{ key: string; reason: string }> = [];
    for (const record of records) {
      const judged = judge(record, lake);
      if ('key' in judged) wanted.push({ record, key: judged.key });
      else if (judged.unsafe) unsafe.push({ key: record.key, reason: judged.reason });
      // The caller's own key, shortened: an answer stays small whatever was sent.
      else report.ignored.push({ key: record.key.slice(0, 1024), reason: judged.reason });
    }
    // A key no honest store sends for this lake: nothing of the message is acted on.
    if (unsafe.length > 0)
      throw new Unprocessable(
        `The message names keys Dailies never indexes: ${unsafe.map((u) => `${JSON.stringify(u.key.slice(0, 200))} (${u.reason})`).join(', ')}.`,
        { refused: unsafe },
      );
    const busy = wanted.length > 0 ? await this.deps.intents.cover() : () => false;
    for (const { record, key } of wanted) {
      if (busy(key)) {
        report.deferred++;
        continue;
      }
      if (await this.follow(record.change, key)) report.indexed++;
      else report.removed++;
    }
    return report;
  }

  /** Brings the catalog to what the lake holds at `key`; true when the lake has it. */
  private async follow(change: LakeEventRecord['change'], key: string): Promise<boolean> {
    const { indexing, lake } = this.deps;
    if (key.endsWith('/')) {
      const path = `/${key.slice(0, -1)}`;
      await indexing.folderChanged(path);
      return change === 'created';
    }
    const object = change === 'created' ? await lake.head(key) : null;
    if (object) {
      await indexing.indexObject(object);
      return true;
    }
    await indexing.forgetKey(key);
    return false;
  }
}

type Judgement = { key: string } | { reason: string; unsafe: boolean };

/** Where a record's key falls: a lake key to follow, another bucket's or prefix's, or refused. */
function judge(record: LakeEventRecord, lake: Extract<LakeSettings, { kind: 's3' }>): Judgement {
  if (record.change === 'other')
    return { reason: `${record.eventName} is not a change Dailies follows`, unsafe: false };
  if (record.bucket !== lake.bucket) return { reason: 'another bucket', unsafe: false };
  const root = lake.prefix ? `${lake.prefix}/` : '';
  if (!record.key.startsWith(root) || record.key === root)
    return { reason: "outside the lake's prefix", unsafe: false };
  const key = record.key.slice(root.length);
  if (key.includes('\0')) return { reason: 'a NUL character', unsafe: true };
  if (key.startsWith('/')) return { reason: 'an absolute path', unsafe: true };
  const segments = (key.endsWith('/') ? key.slice(0, -1) : key).split('/');
  if (segments.some((s) => s === '.' || s === '..')) return { reason: 'a "." or ".." segment', unsafe: true };
  if (segments.some((s) => s === '')) return { reason: 'an empty name', unsafe: true };
  // Trash, upload staging: Dailies' own data, which it changes itself.
  if (segments.some((s) => isReservedName(s))) return { reason: "Dailies' own data", unsafe: false };
  return { key };
}
