import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningServer, startServer, tusUpload } from '../uploads/support.js';

// Real: Fastify on loopback, tus-js-client over HTTP, SQLite, an fs lake.
describe('an upload whose twin arrived while its bytes came', () => {
  let s: RunningServer;
  afterEach(() => s?.stop());

  it('is refused when it completes, and only the first one is kept', async () => {
    s = await startServer();
    const data = randomBytes(1024 * 1024);
    // Both begin while the name is free.
    const first = await tusUpload(s.url, data, {
      metadata: { filename: 'clip.mov', folder: '/Day' },
      chunkSize: 128 * 1024,
      abortAt: 1,
    });
    const twin = await tusUpload(s.url, data, { metadata: { filename: 'CLIP.mov', folder: '/Day' } });
    expect(twin.assetId).toBeTruthy();
    await expect(
      tusUpload(s.url, data, { metadata: { filename: 'clip.mov', folder: '/Day' }, uploadUrl: first.url }),
    ).rejects.toThrow(/409|only in case/);
    expect(await readdir(join(s.config.dataDir, 'lake', 'Day'))).toEqual(['CLIP.mov']);
  });
});
