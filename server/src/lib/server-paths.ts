import { sep } from 'node:path';

/**
 * Takes this server's own directories (data dir, fs lake, derivative store, volumes) out of a
 * message before it is answered: where Dailies keeps things on disk is no caller's business, and
 * it is what an `file://` playlist or a symlink attack would need. The longest root is replaced
 * first so a lake inside the data dir still reads as the lake.
 */
export function hideServerPaths(
  message: string,
  roots: ReadonlyArray<{ path: string; name: string }>,
): string {
  let text = message;
  const sorted = roots
    .filter((root) => root.path.startsWith('/') && root.path.length > 1)
    .map((root) => ({ ...root, path: root.path.endsWith(sep) ? root.path.slice(0, -1) : root.path }))
    .sort((a, b) => b.path.length - a.path.length);
  // Most answers name no directory: a scan that allocates nothing (a 1 MB folder page is
  // otherwise split and joined again for every root on every request). A root that begins with
  // another (the lake inside the data dir) can only be in the text where that one is, so only
  // the outermost are looked for first: one or two scans of a big page instead of six.
  const outermost = sorted.filter(
    (root) =>
      !sorted.some((other) => other.path.length < root.path.length && root.path.startsWith(other.path)),
  );
  if (!outermost.some((root) => text.includes(root.path))) return text;
  for (const root of sorted)
    if (text.includes(root.path)) text = text.split(root.path).join(`<${root.name}>`);
  return text;
}

/** Whether an error, or one it was caused by, is the system refusing a name or path as too long. */
export function isNameTooLong(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if ((current as { code?: unknown }).code === 'ENAMETOOLONG') return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
