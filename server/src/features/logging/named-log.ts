import type { AssetLog, LogValues } from '../../ports/asset-log.js';

/**
 * An asset's logging fields with its custom values named for the reader. The catalog keeps
 * custom values by field id; each reader names them its own way: the API
 * by the field's key (`lens`), a bin by its label (an editor reads "Lens"). A value of a field
 * the naming does not know (deleted meanwhile) is left out.
 */
export function namedLog(log: AssetLog, nameOf: ReadonlyMap<string, string>): LogValues {
  const custom: Record<string, string | number> = {};
  for (const [fieldId, value] of Object.entries(log.custom)) {
    const name = nameOf.get(fieldId);
    if (name) custom[name] = value;
  }
  const { camera, reel, scene, take, circled, rating, description } = log;
  return { camera, reel, scene, take, circled, rating, description, custom };
}
