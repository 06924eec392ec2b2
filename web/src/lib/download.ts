import { ApiError } from './api-client';

/** Starts a browser download of a signed URL without leaving the page. */
export function triggerDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
}

/**
 * Saves a file the server answered (a POST, or a GET whose errors must show as messages rather
 * than as a failed download) under the name the server gave it.
 */
export async function saveResponse(response: Response, fallbackName: string): Promise<void> {
  if (!response.ok) {
    const body = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new ApiError(
      response.status,
      body.error ?? 'http_error',
      body.message ?? `The server answered ${response.status}.`,
    );
  }
  const name = fileNameOf(response.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(await response.blob());
  triggerDownload(url, name);
  // The click has handed the blob to the download; free it once the browser has it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function fileNameOf(disposition: string | null): string | null {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/)?.[1];
  if (encoded) {
    try {
      return decodeURIComponent(encoded);
    } catch {
      return null;
    }
  }
  return disposition?.match(/filename="([^"]+)"/)?.[1] ?? null;
}
