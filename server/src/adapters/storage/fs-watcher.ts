import chokidar from 'chokidar';

/**
 * Watches a directory tree and reports changed paths once their writes settle, so a file
 * copied in by another tool is reported when complete, not at its first byte.
 */
export function watchDirectory(
  root: string,
  onChange: (absolutePath: string, type: 'upsert' | 'delete' | 'folder') => void,
): () => Promise<void> {
  const watcher = chokidar.watch(root, {
    ignoreInitial: true,
    // A link is reported as itself (indexed as an unsupported object), never entered or read through.
    followSymlinks: false,
    awaitWriteFinish: { stabilityThreshold: 500, pollInterval: 100 },
    ignored: (path) => /[/\\]\.dailies-/.test(path),
  });
  watcher.on('add', (path) => onChange(path, 'upsert'));
  watcher.on('change', (path) => onChange(path, 'upsert'));
  watcher.on('unlink', (path) => onChange(path, 'delete'));
  watcher.on('addDir', (path) => onChange(path, 'folder'));
  watcher.on('unlinkDir', (path) => onChange(path, 'folder'));
  return () => watcher.close();
}
