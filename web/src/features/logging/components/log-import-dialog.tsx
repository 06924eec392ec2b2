/**
 * The script supervisor's CSV onto a folder: choose the file, see what it matches (rows with
 * their clips, rows that match nothing, clips no row names), then apply.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { Dialog } from '../../../components/dialog';
import { plural } from '../../../lib/format';
import { type ImportPreview, sendLogCsv } from '../api/log-import';
import './logging.css';

export function LogImportDialog({ folder, onClose }: { folder: string; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [applied, setApplied] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();

  const run = async (step: 'preview' | 'apply', chosen: File) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await sendLogCsv(step, folder, chosen);
      setPreview(answer);
      if (step === 'apply') {
        setApplied(answer.updated ?? 0);
        await queryClient.invalidateQueries({ queryKey: ['assets'] });
      }
    } catch (e) {
      setError((e as Error).message);
      if (step === 'preview') setPreview(null);
    } finally {
      setBusy(false);
    }
  };

  const usable = preview?.matched.filter((m) => Object.keys(m.values).length > 0).length ?? 0;
  return (
    <Dialog
      title="Import log from CSV"
      onClose={onClose}
      wide
      footer={
        <>
          <button type="button" className="button" onClick={onClose}>
            {applied === null ? 'Cancel' : 'Close'}
          </button>
          {applied === null && (
            <button
              type="button"
              className="button button--primary"
              disabled={!file || !preview || usable === 0 || busy}
              aria-busy={busy}
              onClick={() => file && void run('apply', file)}
            >
              {`Apply to ${plural(usable, 'row')}`}
            </button>
          )}
        </>
      }
    >
      <div className="form">
        <div className="form__row">
          <label className="form__label" htmlFor={`${id}-file`}>
            CSV file
          </label>
          <input
            id={`${id}-file`}
            type="file"
            accept=".csv,text/csv"
            data-autofocus
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              setFile(chosen);
              setApplied(null);
              if (chosen) void run('preview', chosen);
            }}
          />
          <p className="form__hint">
            Onto {folder} and the folders in it. The first line names the columns: a clip (Clip, Clip Name,
            File Name) and any of Scene, Take, Circled, Notes, Camera, Reel, Rating. UTF-8, up to 4 MiB.
          </p>
        </div>
        {busy && <p role="status">Reading the file…</p>}
        {error && (
          <p className="form__error" role="alert">
            {error}
          </p>
        )}
        {applied !== null && (
          <p role="status" className="log-import__done">
            Logged {plural(applied, 'asset')}.
          </p>
        )}
        {preview && <PreviewTables preview={preview} />}
      </div>
    </Dialog>
  );
}

function PreviewTables({ preview }: { preview: ImportPreview }) {
  return (
    <>
      <div className="log-import__summary">
        <span>{plural(preview.matched.length, 'row')} matched</span>
        <span>{plural(preview.unmatched.length, 'row')} without a clip here</span>
        <span>{plural(preview.assetsWithoutRow.length, 'asset')} without a row</span>
      </div>
      <div className="log-import__scroll">
        <table className="log-import__table" aria-label="Rows that match">
          <thead>
            <tr>
              <th>Row</th>
              <th>Clip</th>
              <th>Assets</th>
              <th>Scene</th>
              <th>Take</th>
              <th>Circled</th>
              <th>Notes</th>
            </tr>
          </thead>
          <tbody>
            {preview.matched.map((m) => (
              <tr key={m.row}>
                <td>{m.row}</td>
                <td className="mono">{m.clip}</td>
                <td>{m.assets.map((a) => a.name).join(', ')}</td>
                <td>{m.values.scene ?? ''}</td>
                <td>{m.values.take ?? ''}</td>
                <td>{m.values.circled === undefined ? '' : m.values.circled ? 'Yes' : 'No'}</td>
                <td>
                  {m.values.description ?? ''}
                  {m.problems.map((p) => (
                    <div key={p} className="form__error">
                      {p}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.unmatched.length > 0 && (
        <p>
          <strong>No clip here for rows:</strong>{' '}
          {preview.unmatched.map((u) => `${u.row} (${u.clip || 'no clip'})`).join(', ')}
        </p>
      )}
      {preview.assetsWithoutRow.length > 0 && (
        <p>
          <strong>No row for:</strong> {preview.assetsWithoutRow.map((a) => a.name).join(', ')}
        </p>
      )}
    </>
  );
}
