/**
 * Memory of huge stills: the smallest address-space limit (`toolMemoryMb`, in 64 MiB steps)
 * under which the thumbnail and the proxy of a 12000×12000 PNG and JPEG are made, and how
 * long each takes, with the stall timer at one second (a decode prints no progress). Before
 * issue 14 the PNG needed more than 1 GiB (a frame per decoder and encoder thread).
 *
 *   npx tsx bench/huge-stills.ts
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FfmpegTranscoder } from '../server/src/adapters/media/ffmpeg-transcoder.js';
import { ToolsMediaProbe } from '../server/src/adapters/media/media-probe.js';
import { defaultMediaSettings } from '../server/src/ports/media.js';
import { shootFixture } from '../server/test/support/shoot-fixtures.js';

const dir = await mkdtemp(join(tmpdir(), 'dailies-bench-stills-'));
try {
  for (const name of ['hugePng', 'hugeJpeg'] as const) {
    const file = await shootFixture(name);
    const source = await new ToolsMediaProbe().probe(file);
    for (const derivative of ['thumbnail', 'proxy'] as const) {
      let found: { mb: number; ms: number } | null = null;
      // Down from 1024 MiB until it no longer fits: the last that did is the figure.
      for (let mb = 1024; mb >= 128; mb -= 64) {
        const transcoder = new FfmpegTranscoder({
          ...defaultMediaSettings,
          toolMemoryMb: mb,
          stallTimeoutMs: 1000,
        });
        const started = performance.now();
        const ok = await transcoder[derivative](file, join(dir, `${name}-${derivative}-${mb}.jpg`), {
          source,
        }).then(
          () => true,
          () => false,
        );
        if (!ok) break;
        found = { mb, ms: performance.now() - started };
      }
      console.log(
        `${name.padEnd(9)} ${derivative.padEnd(9)} fits in ${found ? `${found.mb} MiB` : 'no limit tried'}` +
          (found ? `, ${(found.ms / 1000).toFixed(1)} s at that limit` : ''),
      );
    }
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
