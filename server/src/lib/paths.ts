import { Invalid } from './errors.js';

/**
 * Names and folder paths as people see them: a folder path is `/` or `/Day 03/Cam A`;
 * the lake key of an asset is the path without the leading slash plus its name.
 * Names must be holdable by every lake and every edit volume (POSIX, S3, SMB/NTFS).
 */
const WINDOWS_RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
const SMB_FORBIDDEN = /[<>:"|?*]/;
// C0 controls and DEL.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const MAX_NAME_BYTES = 255;
/** Prefix in the lake that holds Dailies' own data (trash, staging); never listed. */
export const RESERVED_PREFIX = '.dailies-';

/** Returns the name unchanged, or throws Invalid naming the rule it breaks. */
export function validateName(name: string, what = 'name'): string {
  if (typeof name !== 'string' || name.length === 0) throw new Invalid(`The ${what} is empty.`);
  if (name === '.' || name === '..') throw new Invalid(`The ${what} cannot be "." or "..".`);
  if (name.includes('/') || name.includes('\\'))
    throw new Invalid(`The ${what} "${name}" cannot contain "/" or "\\".`);
  if (CONTROL.test(name))
    throw new Invalid(`The ${what} cannot contain control characters (such as NUL, tab or newline).`);
  if (name !== name.trim()) throw new Invalid(`The ${what} "${name}" cannot begin or end with a space.`);
  if (name.endsWith('.'))
    throw new Invalid(`The ${what} "${name}" cannot end with a dot (Windows and SMB cannot hold it).`);
  if (SMB_FORBIDDEN.test(name))
    throw new Invalid(
      `The ${what} "${name}" cannot contain any of < > : " | ? * (Windows and SMB cannot hold them).`,
    );
  if (WINDOWS_RESERVED.test(name))
    throw new Invalid(
      `The ${what} "${name}" is reserved on Windows and SMB (CON, PRN, AUX, NUL, COM1-9, LPT1-9).`,
    );
  if (Buffer.byteLength(name, 'utf8') > MAX_NAME_BYTES)
    throw new Invalid(`The ${what} is longer than ${MAX_NAME_BYTES} bytes.`);
  if (name.startsWith(RESERVED_PREFIX))
    throw new Invalid(`The ${what} cannot begin with "${RESERVED_PREFIX}" (reserved for Dailies).`);
  return name;
}

/** Normalises `/A/B/`, `A/B` to `/A/B`; validates every segment. `/` is the root. */
export function normalizeFolderPath(path: string): string {
  if (typeof path !== 'string') throw new Invalid('The folder path is missing.');
  if (path === '' || path === '/') return '/';
  if (path.includes('\\'))
    throw new Invalid(`The folder path "${path}" cannot contain "\\"; separate folders with "/".`);
  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  for (const segment of segments) validateName(segment, 'folder name');
  return `/${segments.join('/')}`;
}

export function folderSegments(path: string): string[] {
  return path === '/' ? [] : path.slice(1).split('/');
}

export function parentPath(path: string): string | null {
  if (path === '/') return null;
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function joinFolder(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

/** Lake key of a folder: no leading slash, '' for the root. */
export function folderKey(path: string): string {
  return path === '/' ? '' : path.slice(1);
}

/** Lake key of an asset named `name` in folder `path`. */
export function assetKey(folderPath: string, name: string): string {
  return folderPath === '/' ? name : `${folderPath.slice(1)}/${name}`;
}

/** Splits a lake key into folder path and name. */
export function splitKey(key: string): { folderPath: string; name: string } {
  const i = key.lastIndexOf('/');
  return i < 0
    ? { folderPath: '/', name: key }
    : { folderPath: `/${key.slice(0, i)}`, name: key.slice(i + 1) };
}

/** True when `path` equals `ancestor` or lies under it. */
export function isWithin(path: string, ancestor: string): boolean {
  return ancestor === '/' || path === ancestor || path.startsWith(`${ancestor}/`);
}

/** The extension in upper case (`MOV`), or '' when there is none. */
export function extensionOf(name: string): string {
  const i = name.lastIndexOf('.');
  return i > 0 ? name.slice(i + 1).toUpperCase() : '';
}
