import { type DragEvent, useEffect, useRef, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { IconFile, IconFolder, IconUpload } from '../../../components/icons';
import { formatBytes, plural } from '../../../lib/format';
import { filesFromDataTransfer, filesFromInput } from '../api/files-from-drop';
import {
  enqueueUploads,
  type FileWithPath,
  forgetInterruptedUpload,
  type InterruptedUpload,
  interruptedUploads,
} from '../api/upload-queue';
import './uploads.css';

/** "Create New": choose files or a whole folder (or drop them), then Upload. */
export function UploadDialog({ folder, onClose }: { folder: string; onClose: () => void }) {
  const [files, setFiles] = useState<FileWithPath[]>([]);
  const [over, setOver] = useState(false);
  const [interrupted, setInterrupted] = useState<InterruptedUpload[]>([]);
  const fileInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    void interruptedUploads().then(setInterrupted);
  }, []);
  useEffect(() => {
    folderInput.current?.setAttribute('webkitdirectory', '');
  }, []);

  const add = (more: FileWithPath[]) =>
    setFiles((current) => {
      const seen = new Set(current.map((f) => f.relativePath));
      return [...current, ...more.filter((f) => !seen.has(f.relativePath))];
    });
  const total = files.reduce((sum, f) => sum + f.file.size, 0);

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    event.stopPropagation();
    setOver(false);
    add(await filesFromDataTransfer(event.dataTransfer));
  };

  return (
    <Dialog
      title="Upload media"
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={files.length === 0}
            onClick={() => {
              enqueueUploads(files, folder);
              onClose();
            }}
          >
            <IconUpload /> Upload {files.length > 0 ? plural(files.length, 'file') : ''}
          </button>
        </>
      }
    >
      <p className="form__hint">
        Into <strong className="mono">{folder}</strong>. Folders keep their structure; large files resume if
        the connection drops.
      </p>
      <section
        className={`dropzone ${over ? 'is-over' : ''}`}
        aria-label="Drop files or folders here"
        onDragOver={(event) => {
          event.preventDefault();
          event.stopPropagation();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <IconUpload size={28} />
        <div>Drop files or folders here</div>
        <div className="dropzone__buttons">
          <button type="button" className="button" onClick={() => fileInput.current?.click()}>
            <IconFile /> Choose files…
          </button>
          <button type="button" className="button" onClick={() => folderInput.current?.click()}>
            <IconFolder /> Choose a folder…
          </button>
        </div>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          aria-label="Files to upload"
          data-testid="upload-files-input"
          onChange={(event) => {
            add(filesFromInput(event.target.files));
            event.target.value = '';
          }}
        />
        <input
          ref={folderInput}
          type="file"
          multiple
          hidden
          aria-label="Folder to upload"
          data-testid="upload-folder-input"
          onChange={(event) => {
            add(filesFromInput(event.target.files));
            event.target.value = '';
          }}
        />
      </section>
      {files.length > 0 && (
        <section className="upload-list" aria-label="Files to upload">
          <div className="upload-list__summary">
            {plural(files.length, 'file')} · {formatBytes(total)}
            <button type="button" className="link-button" onClick={() => setFiles([])}>
              Clear
            </button>
          </div>
          <ul>
            {files.slice(0, 200).map((f) => (
              <li key={f.relativePath} className="upload-list__item">
                <span className="upload-list__name" title={f.relativePath}>
                  {f.relativePath}
                </span>
                <span className="muted">{formatBytes(f.file.size)}</span>
              </li>
            ))}
            {files.length > 200 && <li className="muted">…and {files.length - 200} more</li>}
          </ul>
        </section>
      )}
      {interrupted.length > 0 && (
        <div className="notice" role="note">
          <strong>{plural(interrupted.length, 'upload')} did not finish.</strong> Choose the same file again
          to resume where it stopped:
          <ul>
            {interrupted.slice(0, 10).map((u) => (
              <li key={u.key}>
                <span className="mono">
                  {u.folder === '/' ? '' : u.folder}/{u.name}
                </span>{' '}
                {u.size !== null && <span className="muted">({formatBytes(u.size)})</span>}{' '}
                <button
                  type="button"
                  className="link-button"
                  onClick={async () => {
                    await forgetInterruptedUpload(u.key);
                    setInterrupted(await interruptedUploads());
                  }}
                >
                  Forget
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Dialog>
  );
}
