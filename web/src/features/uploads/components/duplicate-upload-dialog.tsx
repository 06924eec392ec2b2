import { Dialog } from '../../../components/dialog';
import { plural } from '../../../lib/format';
import { answerDuplicate, useUploads } from '../api/upload-queue';

/**
 * A file's name is taken in its folder: keep both (Dailies names the new one `name (2).ext`),
 * skip it, or cancel the upload. Asked once per batch; the answer holds for the batch's other
 * files, now and later. Closing the dialog without an answer is "cancel" (nothing is left
 * half-decided).
 */
export function DuplicateUploadDialog() {
  const items = useUploads();
  const waiting = items.filter((i) => i.state === 'duplicate');
  if (waiting.length === 0) return null;
  const first = waiting[0];
  const sameBatch = waiting.filter((i) => i.batch === first.batch);
  const others = items.filter(
    (i) => i.batch === first.batch && i.id !== first.id && (i.state === 'queued' || i.state === 'uploading'),
  ).length;
  const where = first.folder === '/' ? 'All media' : first.folder;
  const answer = (choice: 'keep-both' | 'skip' | 'cancel') => answerDuplicate(first.batch, choice);
  return (
    <Dialog
      key={first.id}
      title="A file with this name is already there"
      onClose={() => answer('cancel')}
      footer={
        <>
          <button type="button" className="button" onClick={() => answer('cancel')}>
            Cancel upload
          </button>
          <button type="button" className="button" onClick={() => answer('skip')}>
            Skip
          </button>
          <button type="button" className="button button--primary" onClick={() => answer('keep-both')}>
            Keep both
          </button>
        </>
      }
    >
      <p>
        <strong className="mono">{first.name}</strong> already exists in <strong>{where}</strong>.
      </p>
      <p className="form__hint">
        Keep both uploads it beside the other as <span className="mono">{keepBothExample(first.name)}</span>.
        Skip leaves the existing file alone. Cancel upload stops this batch.
      </p>
      {(sameBatch.length > 1 || others > 0) && (
        <p className="form__hint">
          Your choice also applies to the rest of this batch
          {sameBatch.length > 1
            ? ` (${plural(sameBatch.length - 1, 'other file')} with a taken name so far)`
            : ''}
          .
        </p>
      )}
    </Dialog>
  );
}

/** What the server will most likely call it; the server has the last word. */
function keepBothExample(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)} (2)${name.slice(dot)}` : `${name} (2)`;
}
