/**
 * `Content-Disposition: attachment` for a download name. Browsers that know RFC 5987 use
 * `filename*` (UTF-8, any character); the plain `filename` is an ASCII stand-in for the rest.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}

/**
 * The headers of every download, whichever lake holds the file: Dailies sends them for an fs
 * lake, and a presigned S3 URL asks the bucket for the same through its `response-*` overrides.
 */
export function downloadHeaders(name: string): {
  'content-type': string;
  'content-disposition': string;
  'cache-control': string;
} {
  return {
    // The original's bytes, never rendered in the browser whatever they hold.
    'content-type': 'application/octet-stream',
    'content-disposition': attachmentDisposition(name),
    // A signed link is personal and expires: no shared cache may keep it.
    'cache-control': 'private, no-store',
  };
}

/** Percent-encodes all but RFC 5987 attr-chars, so the value survives any header parser. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}
