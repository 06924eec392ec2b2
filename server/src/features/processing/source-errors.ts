import { MediaError } from '../../ports/media.js';

/**
 * Errors reading an original that another attempt would meet again (the lake's file is not
 * readable to Dailies, or is not a file): the probe fails once with a reason a person can act
 * on, instead of three attempts over minutes. A vanished file (ENOENT) is not one of them:
 * the watcher or reconcile drops the asset, or the file comes back.
 */
const LASTING: Record<string, string> = {
  EACCES: 'Dailies is not allowed to read it (permission denied)',
  EPERM: 'Dailies is not allowed to read it (operation not permitted)',
  EISDIR: 'it is a folder, not a file',
  ELOOP: 'it is a symbolic link, which Dailies does not follow',
  ENXIO: 'it is a device or socket, not a file',
  ENODEV: 'it is a device, not a file',
  EINVAL: 'the storage refused to read it',
};

/** The MediaError to fail with when `error` is a lasting read failure; else `error` unchanged. */
export function asSourceFailure(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (error instanceof MediaError || typeof code !== 'string' || !Object.hasOwn(LASTING, code)) return error;
  return new MediaError(`The file cannot be read: ${LASTING[code]}.`, { deterministic: true });
}
