import { useState } from 'react';
import { ProgressBar } from '../../../components/feedback';
import { IconChevronDown, IconChevronRight, IconClose, IconRetry } from '../../../components/icons';
import { formatBytes, plural } from '../../../lib/format';
import {
  cancelAllUploads,
  cancelUpload,
  clearFinishedUploads,
  retryUpload,
  useUploads,
} from '../api/upload-queue';
import { DuplicateUploadDialog } from './duplicate-upload-dialog';
import './uploads.css';

/** The uploads dock: overall progress, then one bar per file with cancel. Stays until cleared. */
export function UploadPanel() {
  const items = useUploads();
  const [collapsed, setCollapsed] = useState(false);
  if (items.length === 0) return null;
  const active = items.filter(
    (i) => i.state === 'queued' || i.state === 'uploading' || i.state === 'duplicate',
  );
  const live = items.filter((i) => i.state !== 'cancelled' && i.state !== 'skipped');
  const total = live.reduce((sum, i) => sum + i.size, 0);
  const sent = live.reduce((sum, i) => sum + (i.state === 'done' ? i.size : i.sent), 0);
  const failed = items.filter((i) => i.state === 'failed').length;
  const done = items.filter((i) => i.state === 'done').length;
  const title =
    active.length > 0
      ? `Uploading ${plural(active.length, 'file')}`
      : failed > 0
        ? `${plural(failed, 'upload')} failed`
        : `${plural(done, 'upload')} complete`;
  return (
    <section className="upload-panel" aria-label="Uploads">
      <DuplicateUploadDialog />
      <header className="upload-panel__header">
        <button
          type="button"
          className="icon-button"
          aria-label={collapsed ? 'Show uploads' : 'Hide uploads'}
          aria-expanded={!collapsed}
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? <IconChevronRight /> : <IconChevronDown />}
        </button>
        <div className="upload-panel__title">
          <div>{title}</div>
          <div className="muted">
            {formatBytes(sent)} of {formatBytes(total)}
          </div>
        </div>
        {active.length > 0 ? (
          <button type="button" className="button button--small" onClick={cancelAllUploads}>
            Cancel all
          </button>
        ) : (
          <button
            type="button"
            className="icon-button"
            aria-label="Close uploads"
            onClick={clearFinishedUploads}
          >
            <IconClose />
          </button>
        )}
      </header>
      <ProgressBar value={total ? sent / total : 0} label="Overall upload progress" />
      {!collapsed && (
        <ul className="upload-panel__list">
          {items.map((item) => (
            <li key={item.id} className={`upload-item upload-item--${item.state}`} data-testid="upload-item">
              <div className="upload-item__row">
                <span className="upload-item__name" title={`${item.folder}/${item.name}`}>
                  {item.name}
                </span>
                <span
                  className="upload-item__state"
                  title={
                    item.publishing
                      ? 'Every byte is in; the clip appears in its folder once the lake has copied it into place.'
                      : undefined
                  }
                >
                  {item.state === 'uploading'
                    ? `${Math.floor((item.sent / Math.max(1, item.size)) * 100)}%`
                    : item.state === 'queued'
                      ? 'Waiting'
                      : item.state === 'done'
                        ? 'Done'
                        : item.state === 'failed'
                          ? 'Failed'
                          : item.state === 'duplicate'
                            ? 'Name taken'
                            : item.state === 'skipped'
                              ? 'Skipped'
                              : 'Cancelled'}
                </span>
                {item.state === 'failed' && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Retry ${item.name}`}
                    onClick={() => retryUpload(item.id)}
                  >
                    <IconRetry />
                  </button>
                )}
                {(item.state === 'uploading' || item.state === 'queued' || item.state === 'duplicate') && (
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={`Cancel ${item.name}`}
                    onClick={() => cancelUpload(item.id)}
                  >
                    <IconClose />
                  </button>
                )}
              </div>
              {(item.state === 'uploading' || item.state === 'queued') && (
                <ProgressBar value={item.sent / Math.max(1, item.size)} label={`Upload of ${item.name}`} />
              )}
              {item.error && <div className="upload-item__error">{item.error}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
