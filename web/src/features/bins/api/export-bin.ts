import { buildUrl, requestHeaders } from '../../../lib/api-client';
import { saveResponse as save } from '../../../lib/download';

export type BinFormat = 'ale' | 'fcpxml' | 'csv';
export type BinSource = { folder: string; recursive: boolean } | { ids: string[] };

/**
 * Downloads a bin. A folder's is a plain link (the browser saves it as the server names it); a
 * selection's is a POST (its ids may not fit in a URL), saved from the answer.
 */
export async function exportBin(source: BinSource, format: BinFormat): Promise<void> {
  if ('folder' in source) {
    const url = buildUrl('/api/bins', undefined, {
      folder: source.folder,
      recursive: source.recursive,
      format,
    });
    // A HEAD-like check first would cost the export twice; the link's errors show as a download
    // failure, so ask with fetch and save what comes back.
    return save(await fetch(url, { credentials: 'same-origin' }), `bin.${format}`);
  }
  const response = await fetch('/api/bins', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...requestHeaders() },
    body: JSON.stringify({ ids: source.ids, format }),
  });
  return save(response, `Selection.${format}`);
}
