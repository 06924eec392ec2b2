import { ApiError, type ResponseOf, requestHeaders } from '../../../lib/api-client';

export type ImportPreview = ResponseOf<'/api/log-import/preview', 'post'>;

/** The CSV goes as it is (text/csv), which `api()` (JSON only) does not send. */
export async function sendLogCsv(
  step: 'preview' | 'apply',
  folder: string,
  file: Blob,
): Promise<ImportPreview> {
  const response = await fetch(`/api/log-import/${step}?folder=${encodeURIComponent(folder)}`, {
    method: 'POST',
    headers: { accept: 'application/json', 'content-type': 'text/csv', ...requestHeaders() },
    body: file,
    credentials: 'same-origin',
  });
  const text = await response.text();
  let body: { message?: string; error?: string } & Partial<ImportPreview> = {};
  try {
    body = JSON.parse(text);
  } catch {
    body = { message: text.slice(0, 200) };
  }
  if (!response.ok)
    throw new ApiError(
      response.status,
      body.error ?? 'http_error',
      response.status === 413
        ? 'The file is far too large for a CSV log (at most 4 MiB).'
        : (body.message ?? `The server answered ${response.status}.`),
    );
  return body as ImportPreview;
}
