import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Value } from 'typebox/value';
import type { Config } from '../config.js';
import { configDefaults, OIDC_DEFAULTS } from './defaults.js';
import {
  CONFIG_FILE_VARIABLE,
  JSON_TEXT,
  SECRET_FILE_VARIABLES,
  SETTINGS,
  type Setting,
} from './settings.js';

/** A configuration that cannot run: each line names the variable (or file key) and what it expects. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? `Invalid configuration: ${problems[0]}`
        : `Invalid configuration:\n  ${problems.join('\n  ')}`,
    );
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;
type Source =
  | { kind: 'env'; name: string; text: string }
  | { kind: 'file'; path: string }
  | { kind: 'override' };

/** Objects in the config whose keys are settings of their own (`media.proxyHeight`). */
const GROUPS = new Set(SETTINGS.filter((s) => s.key.includes('.')).map((s) => s.key.split('.')[0]));
const BY_KEY = new Map(SETTINGS.map((s) => [s.key, s]));

/**
 * Defaults, then the optional JSON config file (`DAILIES_CONFIG`, or `<data dir>/config.json`),
 * then the environment, then `overrides` (tests, benches): each later one wins. Every value,
 * wherever it came from, is held to its setting's schema; a wrong one throws a ConfigError
 * naming it, before anything starts.
 */
export function loadConfig(given: Env = process.env, overrides: Partial<Config> = {}): Config {
  const problems: string[] = [];
  const env = withSecretFiles(given, problems);
  const set = (name: string) => (env[name] !== undefined && env[name] !== '' ? env[name] : undefined);
  const dataDir = resolve(overrides.dataDir ?? set('DAILIES_DATA_DIR') ?? './data');
  const config = configDefaults(dataDir);
  const sources = new Map<string, Source>();
  const put = (key: string, value: unknown, source: Source) => {
    const [group, child] = key.split('.');
    if (child === undefined) config[key] = value;
    else config[group] = { ...(config[group] as object | undefined), [child]: value };
    sources.set(key, source);
  };

  const filePath = set(CONFIG_FILE_VARIABLE) ?? resolve(dataDir, 'config.json');
  if (set(CONFIG_FILE_VARIABLE) && !existsSync(filePath))
    problems.push(`${CONFIG_FILE_VARIABLE} "${filePath}": no such file.`);
  else if (existsSync(filePath)) {
    for (const [key, value] of fileEntries(filePath, problems))
      put(key, value, { kind: 'file', path: filePath });
  }

  for (const setting of SETTINGS) {
    if (setting.key === 'dataDir') continue;
    const name = setting.env.find((n) => set(n) !== undefined);
    if (name)
      put(setting.key, setting.fromText(env[name] as string), {
        kind: 'env',
        name,
        text: env[name] as string,
      });
  }

  for (const [key, value] of Object.entries(overrides)) {
    // The data dir is settled above (resolved), before the file it may hold is read.
    if (value === undefined || key === 'dataDir') continue;
    if (GROUPS.has(key) && value !== null && typeof value === 'object') {
      for (const [child, childValue] of Object.entries(value))
        if (childValue !== undefined) put(`${key}.${child}`, childValue, { kind: 'override' });
    } else put(key, value, { kind: 'override' });
  }

  // A provider is configured by its issuer; the rest then has defaults.
  const oidc = config.oidc as Record<string, unknown> | undefined;
  if (oidc) {
    if (oidc.issuer === undefined) {
      const given = [...sources.keys()].filter((key) => key.startsWith('oidc.'));
      problems.push(
        `${given.map((key) => nameOf(key, sources)).join(', ')} set, but DAILIES_OIDC_ISSUER is not.`,
      );
    } else if (oidc.clientId === undefined) {
      problems.push('DAILIES_OIDC_ISSUER is set but DAILIES_OIDC_CLIENT_ID is not.');
    }
    config.oidc = { ...OIDC_DEFAULTS, ...oidc };
  }

  for (const setting of SETTINGS) {
    const [group, child] = setting.key.split('.');
    if (child !== undefined && group === 'oidc' && !config.oidc) continue;
    const value =
      child === undefined ? config[group] : (config[group] as Record<string, unknown> | undefined)?.[child];
    if (value === undefined && setting.optional) continue;
    const problem = check(setting, value);
    if (problem !== null) problems.push(describe(setting, value, sources.get(setting.key), problem));
  }
  if (Array.isArray(config.volumes) && problems.length === 0) {
    const ids = (config.volumes as Array<{ id: string }>).map((v) => v.id);
    const twice = ids.find((id, i) => ids.indexOf(id) !== i);
    if (twice !== undefined)
      problems.push(`${nameOf('volumes', sources)}: two volumes have the id "${twice}"; each needs its own.`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  config.volumes = (config.volumes as Array<Record<string, unknown>>).map((v) => ({
    ...v,
    name: v.name ?? v.id,
    displayPath: v.displayPath ?? v.path,
  }));
  return config as unknown as Config;
}

/**
 * The environment with each secret file read into the variable it stands for (the variable itself
 * wins). A named file that cannot be read or is empty is a problem: falling back to a secret of
 * this process's own would split it from every other process of the deployment.
 */
function withSecretFiles(env: Env, problems: string[]): Env {
  const out = { ...env };
  for (const [fileVariable, variable] of Object.entries(SECRET_FILE_VARIABLES)) {
    const path = env[fileVariable];
    if (!path || env[variable]) continue;
    let text = '';
    try {
      text = readFileSync(path, 'utf8').trim();
    } catch (error) {
      problems.push(`${fileVariable} "${path}" cannot be read: ${(error as Error).message}`);
      continue;
    }
    if (!text) problems.push(`${fileVariable} "${path}" is empty.`);
    else out[variable] = text;
  }
  return out;
}

/** The settings a config file sets, as [key, value]; unknown keys and bad JSON are problems. */
function fileEntries(path: string, problems: string[]): Array<[string, unknown]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`config file ${path} is not valid JSON: ${(error as Error).message}`);
    return [];
  }
  if (!isObject(parsed)) {
    problems.push(`config file ${path} must hold a JSON object such as {"port": 8080}.`);
    return [];
  }
  const entries: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(parsed)) {
    if (key === 'dataDir')
      problems.push(`config file ${path}: the data dir is set by DAILIES_DATA_DIR only.`);
    else if (BY_KEY.has(key)) entries.push([key, value]);
    else if (GROUPS.has(key) && isObject(value)) {
      for (const [child, childValue] of Object.entries(value)) {
        if (BY_KEY.has(`${key}.${child}`)) entries.push([`${key}.${child}`, childValue]);
        else problems.push(`config file ${path}: "${key}.${child}" is not a setting.`);
      }
    } else if (GROUPS.has(key)) problems.push(`config file ${path}: "${key}" must be an object.`);
    else problems.push(`config file ${path}: "${key}" is not a setting.`);
  }
  return entries;
}

/** Why the value does not meet the setting, or null when it does. */
function check(setting: Setting, value: unknown): string | null {
  if (value === undefined) return 'it is required';
  if (isObject(value) && JSON_TEXT in value) return `not valid JSON: ${String(value[JSON_TEXT])}`;
  if (Value.Check(setting.schema, value)) return null;
  // Within a JSON value, say where (`/0/groups`); a plain value is simply wrong.
  const [first] = Value.Errors(setting.schema, value);
  if (!first?.instancePath) return '';
  return `at ${first.instancePath}: ${first.message === 'schema is false' ? 'not an allowed key' : first.message}`;
}

function describe(setting: Setting, value: unknown, source: Source | undefined, problem: string): string {
  const shown = setting.secret
    ? '(value hidden)'
    : JSON.stringify(source?.kind === 'env' ? source.text : value)?.slice(0, 120);
  const why = problem ? ` (${problem})` : '';
  const expected = `expected ${setting.expects}`;
  if (source?.kind === 'env') return `${source.name} ${shown}: ${expected}${why}.`;
  const variable = setting.env.length ? ` (${setting.env[0]})` : '';
  if (source?.kind === 'file')
    return `"${setting.key}"${variable} in ${source.path} is ${shown}: ${expected}${why}.`;
  if (value === undefined) return `${setting.env[0] ?? setting.key} is not set: ${expected}.`;
  return `"${setting.key}"${variable} is ${shown}: ${expected}${why}.`;
}

function nameOf(key: string, sources: Map<string, Source>): string {
  const source = sources.get(key);
  if (source?.kind === 'env') return source.name;
  const variable = BY_KEY.get(key)?.env[0];
  return source?.kind === 'file' ? `"${key}" in ${source.path}` : (variable ?? key);
}

function isObject(value: unknown): value is Record<string | symbol, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
