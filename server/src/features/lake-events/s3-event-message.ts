import { AppError, Invalid, Unprocessable } from '../../lib/errors.js';

/** What one record of an S3 event message asks of the lake. */
export type LakeChange = 'created' | 'removed' | 'other';

export interface LakeEventRecord {
  /** As sent: `ObjectCreated:Put`, MinIO's `s3:ObjectCreated:Put`, … */
  eventName: string;
  change: LakeChange;
  bucket: string;
  /** The object key, decoded (S3 sends it URL-encoded, spaces as `+`). */
  key: string;
}

/** Records one message may carry; S3, MinIO and Ceph send one each, so more is not a store talking. */
export const MAX_RECORDS = 100;

/**
 * The records of an S3 event notification, in the shapes the stores send: AWS S3's
 * (`Records[].eventName` `ObjectCreated:Put`, possibly inside an SNS `Notification` envelope
 * whose `Message` is the S3 message as text), MinIO's (`EventName`, `Key` beside `Records`,
 * names prefixed `s3:`) and Ceph RGW's. The sizes and ETags they carry are not used: the lake is
 * asked, so a stale or forged record changes nothing the lake does not say.
 */
export function parseS3EventMessage(body: unknown): LakeEventRecord[] {
  let message = typeof body === 'string' || Buffer.isBuffer(body) ? parseJson(body.toString()) : body;
  if (!isObject(message)) throw new Invalid('An S3 event message is a JSON object with "Records".');
  if (message.Type === 'SubscriptionConfirmation')
    throw new Unprocessable(
      'This is an SNS subscription confirmation: confirm it by opening its SubscribeURL once yourself; ' +
        'Dailies does not fetch URLs it is sent.',
    );
  if (message.Type === 'Notification' && typeof message.Message === 'string')
    message = parseJson(message.Message);
  if (!isObject(message)) throw new Invalid('The SNS notification does not carry an S3 event message.');
  // The message S3 sends when notifications are set up: nothing to index.
  if (message.Event === 's3:TestEvent' && message.Records === undefined) return [];
  const records = message.Records;
  if (!Array.isArray(records)) throw new Invalid('An S3 event message has a "Records" list.');
  if (records.length > MAX_RECORDS)
    throw new AppError(
      413,
      'too_many_records',
      `An event message may name at most ${MAX_RECORDS} objects; this one names ${records.length}.`,
    );
  return records.map((record, index) => parseRecord(record, index));
}

function parseRecord(record: unknown, index: number): LakeEventRecord {
  const where = `Record ${index + 1}`;
  if (!isObject(record)) throw new Invalid(`${where} is not an object.`);
  const { eventName } = record;
  const s3 = isObject(record.s3) ? record.s3 : null;
  const bucket = s3 && isObject(s3.bucket) ? s3.bucket.name : undefined;
  const key = s3 && isObject(s3.object) ? s3.object.key : undefined;
  if (typeof eventName !== 'string' || !eventName) throw new Invalid(`${where} has no "eventName".`);
  if (typeof bucket !== 'string' || !bucket) throw new Invalid(`${where} has no "s3.bucket.name".`);
  if (typeof key !== 'string' || !key) throw new Invalid(`${where} has no "s3.object.key".`);
  return { eventName, change: changeOf(eventName), bucket, key: decodeKey(key, where) };
}

/** S3 encodes keys as in a query string: `+` is a space, `%2B` a plus. */
function decodeKey(key: string, where: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    throw new Invalid(`${where}: the key "${key.slice(0, 200)}" is not URL-encoded as S3 sends keys.`);
  }
}

function changeOf(eventName: string): LakeChange {
  const name = eventName.replace(/^s3:/, '');
  if (name.startsWith('ObjectCreated:')) return 'created';
  // A delete marker hides the object as a delete does; lifecycle expiry deletes it.
  if (name.startsWith('ObjectRemoved:') || name.startsWith('LifecycleExpiration:')) return 'removed';
  return 'other';
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid('The body is not JSON; an S3 event message is.');
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
