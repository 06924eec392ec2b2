import { ProgressBar } from '../../../components/feedback';
import { IconClose } from '../../../components/icons';
import { formatBytes } from '../../../lib/format';
import { cancelUpload, type UploadItem, useUploads } from '../api/upload-queue';

/** The uploads on their way into `folder` (queued, sending, or waiting on a taken name). */
export function useIncomingUploads(folder: string): UploadItem[] {
  return useUploads().filter(
    (i) =>
      i.folder === folder && (i.state === 'queued' || i.state === 'uploading' || i.state === 'duplicate'),
  );
}

/**
 * A row per file on its way into the folder shown, with its progress, above the folder's
 * content: the folder is visibly filling, never "empty", while uploads run. The row goes when
 * the file is an asset (its real row arrives with the live update).
 */
export function UploadPlaceholders({ items }: { items: UploadItem[] }) {
  if (items.length === 0) return null;
  return (
    <ul className="upload-placeholders" aria-label="Uploads into this folder">
      {items.map((item) => {
        const share = item.sent / Math.max(1, item.size);
        const state =
          item.state === 'uploading'
            ? `${Math.floor(share * 100)}%`
            : item.state === 'duplicate'
              ? 'Name taken: waiting for your choice'
              : 'Waiting';
        return (
          <li key={item.id} className="upload-placeholder" data-testid="upload-placeholder">
            <span className="upload-placeholder__name" title={item.name}>
              {item.name}
            </span>
            <span className="upload-placeholder__size muted">{formatBytes(item.size)}</span>
            <ProgressBar value={share} label={`Upload of ${item.name}`} />
            <span className="upload-placeholder__state">{state}</span>
            <button
              type="button"
              className="icon-button"
              aria-label={`Stop uploading ${item.name}`}
              onClick={() => cancelUpload(item.id)}
            >
              <IconClose />
            </button>
          </li>
        );
      })}
    </ul>
  );
}
