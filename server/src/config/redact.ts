import type { Config } from '../config.js';
import { SETTINGS } from './settings.js';

/**
 * The configuration as it may be shown (doctor) or logged: each secret setting says only
 * whether it is set; a database URL keeps everything but its password.
 */
export function redactedConfig(config: Config): Record<string, unknown> {
  const shown = structuredClone(config) as unknown as Record<string, Record<string, unknown> | unknown>;
  for (const setting of SETTINGS.filter((s) => s.secret)) {
    const [group, child] = setting.key.split('.');
    const holder = (child === undefined ? shown : shown[group]) as Record<string, unknown> | undefined;
    const key = child ?? group;
    if (!holder || holder[key] === undefined) continue;
    holder[key] = holder[key] === '' ? '' : '(set)';
  }
  if (config.databaseUrl) shown.databaseUrl = config.databaseUrl.replace(/\/\/([^:@/]+):[^@]*@/, '//$1:***@');
  if (!config.secret) shown.secret = '(generated in the data dir)';
  return shown as Record<string, unknown>;
}
