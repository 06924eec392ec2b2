import { buildUrl, requestHeaders } from '../../../lib/api-client';
import { saveResponse } from '../../../lib/download';

/**
 * Downloads an ASC MHL file of a folder (and everything below it one may see) or of chosen
 * assets: the checksums an editor or a lab checks the files against with any MHL tool.
 */
export async function downloadMhl(source: { folder: string } | { ids: string[] }): Promise<void> {
  if ('folder' in source) {
    const url = buildUrl('/api/mhl/folder', undefined, { folder: source.folder });
    return saveResponse(await fetch(url, { credentials: 'same-origin' }), 'checksums.mhl');
  }
  // A POST: ten thousand ids do not fit in a URL.
  const response = await fetch('/api/mhl/selection', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'content-type': 'application/json', ...requestHeaders() },
    body: JSON.stringify({ assetIds: source.ids }),
  });
  return saveResponse(response, 'Selection.mhl');
}
