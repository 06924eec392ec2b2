import type { SavedHashes } from './checksum-lanes.js';

/**
 * The running hashes of an upload as stored beside its staged bytes: small JSON, so a state
 * written by one version of the server is read (or refused) plainly by another.
 */
const VERSION = 1;
/** hash-wasm's states are about 160 bytes; anything much larger is not one. */
const MAX_STATE_BYTES = 4096;

/** `upload` binds the state to its upload: one copied beside another upload's bytes is refused. */
export function encodeSavedHashes(state: SavedHashes, upload: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      v: VERSION,
      upload,
      bytes: state.bytes,
      md5: Buffer.from(state.md5).toString('base64'),
      xxh64: Buffer.from(state.xxh64).toString('base64'),
    }),
  );
}

/** The state in `raw`, or null when it is not one this server wrote (torn, foreign, another version). */
export function decodeSavedHashes(raw: Uint8Array, upload: string): SavedHashes | null {
  if (raw.length > MAX_STATE_BYTES * 3) return null;
  try {
    const value = JSON.parse(Buffer.from(raw).toString('utf8')) as Record<string, unknown>;
    if (value.v !== VERSION || value.upload !== upload) return null;
    const { bytes, md5, xxh64 } = value;
    if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 0) return null;
    if (typeof md5 !== 'string' || typeof xxh64 !== 'string') return null;
    const state = { bytes, md5: Buffer.from(md5, 'base64'), xxh64: Buffer.from(xxh64, 'base64') };
    if (!state.md5.length || !state.xxh64.length) return null;
    if (state.md5.length > MAX_STATE_BYTES || state.xxh64.length > MAX_STATE_BYTES) return null;
    return state;
  } catch {
    return null;
  }
}
