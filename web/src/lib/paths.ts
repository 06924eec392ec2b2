/** Folder paths as the API writes them: `/` for the root, `/Day 01/Cam A` below it. */

export function joinPath(folder: string, name: string): string {
  return folder === '/' ? `/${name}` : `${folder}/${name}`;
}

export function parentOf(path: string): string | null {
  if (path === '/') return null;
  const index = path.lastIndexOf('/');
  return index <= 0 ? '/' : path.slice(0, index);
}

export function baseName(path: string): string {
  return path === '/' ? '' : path.slice(path.lastIndexOf('/') + 1);
}

/** `/A/B` → [`/`, `/A`, `/A/B`]. */
export function ancestry(path: string): string[] {
  const out = ['/'];
  let current = '';
  for (const segment of path.split('/').filter(Boolean)) {
    current += `/${segment}`;
    out.push(current);
  }
  return out;
}

export function isWithin(path: string, folder: string): boolean {
  return folder === '/' || path === folder || path.startsWith(`${folder}/`);
}

/**
 * Why a name typed for a folder or an asset cannot be used, in words, or null when it can. A
 * `/` would make a path ("Cam A/B roll" reads as "B roll" inside "Cam A"), which the server then
 * reports as a missing folder: say what is wrong instead.
 */
export function nameProblem(name: string, what: 'folder' | 'asset'): string | null {
  const trimmed = name.trim();
  if (trimmed === '') return `Type a name for the ${what}.`;
  if (name.includes('/'))
    return `${what === 'asset' ? 'An' : 'A'} ${what} name cannot contain “/”. Use another character, such as “-” (“Cam A-B roll”).`;
  if (trimmed === '.' || trimmed === '..') return `“${trimmed}” cannot be a ${what} name.`;
  return null;
}
