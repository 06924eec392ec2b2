import { Invalid, PathTooLong } from './errors.js';

/**
 * Names and folder paths as people see them: a folder path is `/` or `/Day 03/Cam A`;
 * the lake key of an asset is the path without the leading slash plus its name.
 * Names must be holdable by every lake and every edit volume (POSIX, S3, SMB/NTFS).
 */
const WINDOWS_RESERVED = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³])(\..*)?$/i;
const SMB_FORBIDDEN = /[<>:"|?*]/;
// C0 controls, DEL and C1 controls.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Bidirectional embeddings, overrides, isolates and marks: they make a name read as another
// (`clip\u202Evom.exe` shows as `clipexe.mov`).
const BIDI = /[\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const MAX_NAME_BYTES = 255;
const MAX_FOLDER_PATH_BYTES = 3072;
/** Prefix in the lake that holds Dailies' own data (trash, staging); never listed. */
export const RESERVED_PREFIX = '.dailies-';

/**
 * The key two names are compared by when deciding whether one folder may hold both: Unicode
 * NFC, then case folded (upper then lower, so `ß` meets `SS` and final sigma meets sigma). The
 * editors' volumes (SMB/NTFS, APFS) treat names equal under it as one name. Assets keep it as
 * `sortName`.
 */
export function nameKey(name: string): string {
  return name.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** True when a name lies in Dailies' reserved space, in any case (a share may ignore case). */
export function isReservedName(name: string): boolean {
  return nameKey(name).startsWith(RESERVED_PREFIX);
}

/**
 * A name as it arrives for something new (create, upload, rename, move, import): checked, and
 * returned in Unicode NFC, so `é` typed composed or decomposed is one name.
 */
export function validateName(name: string, what = 'name'): string {
  checkName(name, what);
  return name.normalize('NFC');
}

/** Throws Invalid naming the rule the name breaks. Does not change the name (lookups stay exact). */
export function checkName(name: string, what = 'name'): void {
  if (typeof name !== 'string' || name.length === 0) throw new Invalid(`The ${what} is empty.`);
  if (name === '.' || name === '..') throw new Invalid(`The ${what} cannot be "." or "..".`);
  if (name.includes('/') || name.includes('\\'))
    throw new Invalid(`The ${what} "${name}" cannot contain "/" or "\\".`);
  if (CONTROL.test(name))
    throw new Invalid(`The ${what} cannot contain control characters (such as NUL, tab or newline).`);
  if (BIDI.test(name))
    throw new Invalid(
      `The ${what} cannot contain text-direction controls (U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): they make a name read as another.`,
    );
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
  if (isReservedName(name))
    throw new Invalid(
      `The ${what} cannot begin with "${RESERVED_PREFIX}" in any case (reserved for Dailies).`,
    );
}

/**
 * Normalises `/A/B/`, `A/B` to `/A/B`; validates every segment. `/` is the root. The names
 * are kept as given: this finds existing folders, which another tool may have written in any
 * Unicode form. A path for something new goes through `newFolderPath`.
 */
export function normalizeFolderPath(path: string): string {
  if (typeof path !== 'string') throw new Invalid('The folder path is missing.');
  if (path === '' || path === '/') return '/';
  if (path.includes('\\'))
    throw new Invalid(`The folder path "${path}" cannot contain "\\"; separate folders with "/".`);
  const segments = path.split('/').filter((s, i, all) => !(s === '' && (i === 0 || i === all.length - 1)));
  for (const segment of segments) checkName(segment, 'folder name');
  const normalized = `/${segments.join('/')}`;
  // Systems refuse paths past 4,096 bytes, and the lake's root and a file name come on top; the
  // lake's folder-by-folder writes would otherwise make folders no tool or volume can open.
  if (Buffer.byteLength(normalized, 'utf8') > MAX_FOLDER_PATH_BYTES)
    throw new PathTooLong(
      `The folder path is longer than ${MAX_FOLDER_PATH_BYTES.toLocaleString('en')} bytes; edit volumes and media tools could not open it.`,
    );
  return normalized;
}

/** A folder path for something Dailies makes: checked, every name in NFC. */
export function newFolderPath(path: string): string {
  return normalizeFolderPath(path).normalize('NFC');
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
