import { stat } from 'node:fs/promises';
import {
  defaultMediaSettings,
  MediaError,
  type MediaProbe,
  type MediaSettings,
  type TechnicalMetadata,
} from '../../ports/media.js';
import { runFfprobe } from './ffprobe.js';
import { runMediainfo } from './mediainfo.js';
import { normalise } from './normalise.js';

/** Probes with ffprobe and mediainfo side by side and merges their answers. */
export class ToolsMediaProbe implements MediaProbe {
  constructor(
    private readonly settings: Pick<MediaSettings, 'probeTimeoutMs' | 'niceness'> = defaultMediaSettings,
  ) {}

  async probe(localFile: string, signal?: AbortSignal): Promise<TechnicalMetadata> {
    const info = await stat(localFile).catch((error: NodeJS.ErrnoException) => {
      throw new MediaError(
        error.code === 'ENOENT' ? 'The file does not exist.' : `The file cannot be read: ${error.code}`,
      );
    });
    // A FIFO or device would block the tools (and any reader) until something writes to it.
    if (!info.isFile()) throw new MediaError('Not a regular file, so it cannot be probed.');
    // When one tool fails the other is stopped rather than left running to its own time limit.
    const both = new AbortController();
    const options = {
      timeoutMs: this.settings.probeTimeoutMs,
      niceness: this.settings.niceness,
      signal: signal ? AbortSignal.any([signal, both.signal]) : both.signal,
    };
    try {
      const [ffprobe, mediainfo] = await Promise.all([
        runFfprobe(localFile, options),
        runMediainfo(localFile, options),
      ]);
      return normalise(ffprobe, mediainfo, info.size);
    } finally {
      both.abort();
    }
  }
}
