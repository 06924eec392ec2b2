/** Stands for this server's origin while a return path is parsed; never sent anywhere. */
const HERE = 'https://dailies.invalid';

/**
 * Where to land after single sign-on: only a path on this server, never another site. A browser
 * drops tabs and newlines from a URL and reads `\` as `/`, so `/\t/evil.example` and
 * `/\evil.example` would become `//evil.example` (another host): anything holding control
 * characters, whitespace or a backslash is refused outright. What is left is parsed as a URL
 * against this origin, and its own re-serialised path is what is kept, so what the browser
 * follows is exactly what was checked.
 */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  // C0 controls, space, DEL, C1 controls and every other Unicode space or separator.
  if ([...value].some(unsafeCharacter)) return '/';
  if (!value.startsWith('/') || value.startsWith('//')) return '/';
  let url: URL;
  try {
    url = new URL(value, `${HERE}/`);
  } catch {
    return '/';
  }
  if (url.origin !== HERE) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith('/') || path.startsWith('//') || path.includes('\\')) return '/';
  return path;
}

/** C0 controls, space, DEL, C1 controls, backslash, and Unicode spaces and invisible marks. */
function unsafeCharacter(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return (
    code <= 0x20 || (code >= 0x7f && code <= 0x9f) || char === '\\' || /[\s\u200b-\u200f\ufeff]/u.test(char)
  );
}
