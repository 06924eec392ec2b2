/** Export a folder or a selection as a bin for the edit software: ALE, FCPXML or CSV. */
import { useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { IconDownload } from '../../../components/icons';
import { type BinFormat, type BinSource, exportBin } from '../api/export-bin';

const FORMATS: Array<{ value: BinFormat; label: string; hint: string }> = [
  { value: 'ale', label: 'ALE', hint: 'Avid Media Composer' },
  { value: 'fcpxml', label: 'FCPXML', hint: 'Final Cut Pro, Premiere Pro, DaVinci Resolve' },
  { value: 'csv', label: 'CSV', hint: 'Spreadsheets' },
];

interface Props {
  /** A folder path, or the chosen assets. */
  source: { folder: string } | { ids: string[] };
  onClose: () => void;
}

export function BinExportDialog({ source, onClose }: Props) {
  const [format, setFormat] = useState<BinFormat>('ale');
  const [recursive, setRecursive] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const what = 'folder' in source ? `the folder ${source.folder}` : `${source.ids.length} selected assets`;
  const run = async () => {
    setBusy(true);
    setError(null);
    try {
      const full: BinSource = 'folder' in source ? { folder: source.folder, recursive } : source;
      await exportBin(full, format);
      onClose();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      title="Export bin"
      onClose={onClose}
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button button--primary" disabled={busy} onClick={run}>
            <IconDownload /> {busy ? 'Exporting…' : 'Export'}
          </button>
        </>
      }
    >
      <p className="form__hint">A bin of {what}: the clips you can see, with their timecodes and notes.</p>
      <fieldset className="checklist">
        <legend className="form__label">Format</legend>
        {FORMATS.map((f) => (
          <label key={f.value} className="checklist__item">
            <input
              type="radio"
              name="bin-format"
              value={f.value}
              checked={format === f.value}
              onChange={() => setFormat(f.value)}
            />
            <span>{f.label}</span>
            <span className="muted"> · {f.hint}</span>
          </label>
        ))}
      </fieldset>
      {'folder' in source && (
        <label className="checklist__item">
          <input
            type="checkbox"
            checked={recursive}
            onChange={(e) => setRecursive(e.currentTarget.checked)}
          />
          <span>Include the folders inside it</span>
        </label>
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </Dialog>
  );
}
