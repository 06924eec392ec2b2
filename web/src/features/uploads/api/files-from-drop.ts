import type { FileWithPath } from './upload-queue';

/**
 * The files of a drop, whole folders included: a dropped camera card keeps its structure
 * (`A001/CLIP/A001C001.mov`). Directory entries are read in batches, as the API hands them out.
 */
export async function filesFromDataTransfer(data: DataTransfer): Promise<FileWithPath[]> {
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter((entry): entry is FileSystemEntry => !!entry);
  if (entries.length === 0) return [...data.files].map((file) => ({ file, relativePath: file.name }));
  const out: FileWithPath[] = [];
  for (const entry of entries) await walk(entry, '', out);
  return out;
}

async function walk(entry: FileSystemEntry, prefix: string, out: FileWithPath[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) =>
      (entry as FileSystemFileEntry).file(resolve, reject),
    );
    if (!isJunk(file.name)) out.push({ file, relativePath: prefix + file.name });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    );
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

/** From an `<input type="file" webkitdirectory>`: each file knows its path inside the chosen folder. */
export function filesFromInput(list: FileList | null): FileWithPath[] {
  return [...(list ?? [])]
    .filter((file) => !isJunk(file.name))
    .map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}

/** Files an OS leaves in folders that nobody means to upload. */
function isJunk(name: string): boolean {
  return name === '.DS_Store' || name === 'Thumbs.db' || name === 'desktop.ini' || name.startsWith('._');
}
