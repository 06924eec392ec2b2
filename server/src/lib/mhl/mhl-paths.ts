/**
 * Paths inside an MHL file are relative to the history's root folder, `/`-separated. They are
 * text another tool wrote, so each is checked before it is compared with anything: Dailies
 * only ever looks paths up among the assets of the card, but a path that climbs out (`..`),
 * starts at a root, or holds a NUL or a control character is reported and never used.
 */
export function mhlPathProblem(path: string): string | null {
  if (path.length === 0) return 'an empty path';
  if (path.length > 4096) return 'a path longer than 4096 characters';
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (/[\u0000-\u001f\u007f-\u009f]/.test(path)) return 'a path holding a NUL or control character';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.includes('\\'))
    return 'an absolute path or one with backslashes';
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.' || segment === '..')
      return 'a path with an empty, "." or ".." segment';
  }
  return null;
}

/** A generation or chain file name inside `ascmhl/`: one plain name. */
export function mhlFileNameProblem(name: string): string | null {
  const problem = mhlPathProblem(name);
  if (problem) return problem;
  if (name.includes('/')) return 'a generation outside the ascmhl folder';
  return null;
}

/** The name of the folder that holds a history, beside the files it lists. */
export const HISTORY_FOLDER = 'ascmhl';
export const CHAIN_FILE = 'ascmhl_chain.xml';

/**
 * A generation's file name: `0003_A002R2EC_2026-12-03_092501Z.mhl` (sequence, the history
 * root's folder name, the UTC time it was made), as the standard names them.
 */
export function generationFileName(sequence: number, folderName: string, at: Date): string {
  const iso = at.toISOString(); // 2026-12-03T09:25:01.123Z
  const stamp = `${iso.slice(0, 10)}_${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  // The folder's name as a file name: Dailies' names are already safe on every volume, but a
  // root (no name) needs one.
  const name = folderName.length > 0 ? folderName : 'root';
  return `${String(sequence).padStart(4, '0')}_${name}_${stamp}.mhl`;
}
