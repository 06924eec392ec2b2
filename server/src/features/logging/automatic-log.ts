import { normaliseCode } from '../../lib/log-values.js';
import type { AutomaticField, LogSource } from '../../ports/asset-log.js';
import type { TechnicalMetadata } from '../../ports/media.js';
import { parseCameraName } from './camera-names.js';

export type AutomaticValues = Partial<
  Record<AutomaticField, { value: string; source: Exclude<LogSource, 'person'> }>
>;

/**
 * What the media says about camera and reel: the file name (ARRI, RED, Sony, Canon,
 * Blackmagic schemes) and, once probed, the reel or tape name the file records, which wins
 * over the name (a renamed file keeps its metadata). The catalog writes them only where no
 * person typed the field.
 */
export function automaticLog(fileName: string, record?: Pick<TechnicalMetadata, 'general'>): AutomaticValues {
  const values: AutomaticValues = {};
  const named = parseCameraName(fileName);
  if (named) {
    values.camera = { value: named.camera, source: 'name' };
    values.reel = { value: named.reel, source: 'name' };
  }
  let recorded: string | null = null;
  try {
    recorded = normaliseCode(record?.general.reelName ?? null, 'reel');
  } catch {
    // A reel name with line breaks or past 64 characters is not one a person could type.
  }
  if (recorded) values.reel = { value: recorded, source: 'metadata' };
  return values;
}
