/**
 * The asset's logging fields beside the preview: slate codes, the circled flag (saved as it
 * is ticked, the commonest change), rating, description and the deployment's custom fields.
 * Values the media gave say so until a person types over them.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Asset } from '../../../lib/api-client';
import { type LogField, useLogFields } from '../api/log-fields';
import { type LogInput, useUpdateLog } from '../api/update-log';
import { LOG_CODES, LogFieldsForm, type LogFormValues } from './log-fields-form';
import './logging.css';

type Log = Asset['log'];

function formOf(log: Log): LogFormValues {
  return {
    camera: log.camera ?? '',
    reel: log.reel ?? '',
    scene: log.scene ?? '',
    take: log.take ?? '',
    rating: log.rating === null ? '' : String(log.rating),
    description: log.description ?? '',
    custom: Object.fromEntries(Object.entries(log.custom).map(([k, v]) => [k, String(v)])) as Record<
      string,
      string
    >,
  };
}

/** What changed between the saved log and the form, as the API takes it. */
function changes(log: Log, form: LogFormValues, fields: LogField[]): LogInput {
  const out: LogInput = {};
  for (const [code] of LOG_CODES)
    if (form[code].trim().toUpperCase() !== (log[code] ?? '')) out[code] = form[code];
  const rating = form.rating === '' ? null : Number(form.rating);
  if (rating !== log.rating) out.rating = rating;
  if (form.description.trim() !== (log.description ?? '')) out.description = form.description;
  const custom: Record<string, string | number | null> = {};
  for (const field of fields) {
    const text = form.custom[field.key] ?? '';
    const saved = log.custom[field.key];
    if (text === (saved === undefined ? '' : String(saved))) continue;
    custom[field.key] = text.trim() === '' ? null : field.kind === 'number' ? Number(text) : text;
  }
  if (Object.keys(custom).length > 0) out.custom = custom;
  return out;
}

export function LogPanel({ asset }: { asset: Asset }) {
  const fields = useLogFields().data ?? [];
  const update = useUpdateLog();
  const [form, setForm] = useState(() => formOf(asset.log));
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  // Shown at once when ticked (and put back if the server refuses), so the click feels done.
  const [circled, setCircled] = useState(asset.log.circled);
  useEffect(() => setCircled(asset.log.circled), [asset.log.circled]);
  const id = useId();
  const pending = changes(asset.log, form, fields);
  const dirty = Object.keys(pending).length > 0;
  // A change from elsewhere (another editor, a CSV import, a fresher copy of a cached asset)
  // shows when this form holds nothing typed. "Typed" is judged against the log the form was
  // filled from: judged against the new log, the old values looked like typing and stayed.
  const filledFrom = useRef(asset.log);
  // biome-ignore lint/correctness/useExhaustiveDependencies: follow the server's log only, not the form
  useEffect(() => {
    if (Object.keys(changes(filledFrom.current, form, fields)).length === 0) setForm(formOf(asset.log));
    filledFrom.current = asset.log;
  }, [asset.log]);

  const save = async (input: LogInput) => {
    setError(null);
    setSaved(false);
    try {
      const log = (await update.mutateAsync({ id: asset.id, log: input })) as Log;
      // The circle alone leaves unsaved typing in the form as it is.
      if (!('circled' in input && Object.keys(input).length === 1)) {
        filledFrom.current = log;
        setForm(formOf(log));
      }
      setCircled(log.circled);
      setSaved(true);
    } catch (e) {
      setCircled(asset.log.circled);
      setError((e as Error).message);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (dirty) void save(pending);
  };
  const set = (key: Exclude<keyof LogFormValues, 'custom'>, value: string) => {
    setSaved(false);
    setForm((f) => ({ ...f, [key]: value }));
  };

  return (
    <form className="log-panel" aria-label="Log" onSubmit={submit}>
      <div className="log-panel__head">
        <h3 className="log-panel__title">Log</h3>
        <label className={`circle-toggle${circled ? ' circle-toggle--on' : ''}`}>
          <input
            type="checkbox"
            checked={circled}
            onChange={(event) => {
              setCircled(event.target.checked);
              void save({ circled: event.target.checked });
            }}
          />
          {circled ? 'Circled take' : 'Circle take'}
        </label>
      </div>
      <LogFieldsForm
        id={id}
        values={form}
        onChange={set}
        customFields={fields}
        onCustomChange={(key, value) => {
          setSaved(false);
          setForm((f) => ({ ...f, custom: { ...f.custom, [key]: value } }));
        }}
        codeNote={(code) =>
          asset.log.automatic.includes(code) &&
          form[code].toUpperCase() === asset.log[code] && (
            <span className="log-panel__auto" title="Read from the file's name or metadata">
              from the file
            </span>
          )
        }
        descriptionRows={3}
      />
      <div className="log-panel__actions">
        <button type="submit" className="button button--primary" disabled={!dirty || update.isPending}>
          Save log
        </button>
        <span className="log-panel__status" role="status">
          {update.isPending ? 'Saving…' : saved && !dirty ? 'Saved' : ''}
        </span>
      </div>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
