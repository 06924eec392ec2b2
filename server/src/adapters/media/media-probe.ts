import { stat } from 'node:fs/promises';
import {
  defaultMediaSettings,
  MediaError,
  type MediaProbe,
  type MediaSettings,
  type TechnicalMetadata,
} from '../../ports/media.js';
import { readExifOrientation, withExifTurn } from './exif-orientation.js';
import { runFfprobe } from './ffprobe.js';
import { runMediainfo } from './mediainfo.js';
import { normalise } from './normalise.js';
import { sandboxWanted } from './tool-sandbox.js';

/** Probes with ffprobe and mediainfo side by side and merges their answers. */
export class ToolsMediaProbe implements MediaProbe {
  constructor(
    private readonly settings: Pick<MediaSettings, 'probeTimeoutMs' | 'niceness'> &
      Partial<Pick<MediaSettings, 'toolMemoryMb' | 'toolSandbox'>> = defaultMediaSettings,
  ) {}

  async probe(localFile: string, signal?: AbortSignal): Promise<TechnicalMetadata> {
    const info = await stat(localFile).catch((error: NodeJS.ErrnoException) => {
      throw new MediaError(
        error.code === 'ENOENT' ? 'The file does not exist.' : `The file cannot be read: ${error.code}`,
      );
    });
    // A FIFO or device would block the tools (and any reader) until something writes to it.
    if (!info.isFile())
      throw new MediaError('Not a regular file, so it cannot be probed.', { deterministic: true });
    // When one tool fails the other is stopped rather than left running to its own time limit.
    const both = new AbortController();
    const s = this.settings;
    const options = {
      timeoutMs: s.probeTimeoutMs,
      niceness: s.niceness,
      signal: signal ? AbortSignal.any([signal, both.signal]) : both.signal,
      memoryMb: s.toolMemoryMb ?? defaultMediaSettings.toolMemoryMb,
      // A probe reads headers and a few frames: twice its time limit in CPU is plenty.
      cpuSeconds: (2 * s.probeTimeoutMs) / 1000,
      sandboxed: sandboxWanted(s.toolSandbox ?? defaultMediaSettings.toolSandbox),
    };
    try {
      const [ffprobe, mediainfo] = await Promise.all([
        runFfprobe(localFile, options),
        runMediainfo(localFile, options),
      ]);
      if (!ffprobe.ok && ffprobe.refused)
        throw new MediaError(`Not processed: ${ffprobe.reason}`, {
          tool: 'ffprobe',
          deterministic: true,
          refused: true,
        });
      // A still's EXIF turn, which neither tool reports for the stream (`exif-orientation.ts`).
      return withExifTurn(normalise(ffprobe, mediainfo, info.size), await readExifOrientation(localFile));
    } finally {
      both.abort();
    }
  }
}
