/**
 * Log a selection at once: only the fields given a value are sent, so what each asset already
 * holds elsewhere stays (a take per clip, one scene for all).
 */
import { useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import { TextField } from '../../../components/text-field';
import { plural } from '../../../lib/format';
import { type LogInput, useBulkLog } from '../api/update-log';
import './logging.css';

type Tri = 'keep' | 'yes' | 'no';

export function BulkLogDialog({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const bulk = useBulkLog();
  const [codes, setCodes] = useState({ camera: '', reel: '', scene: '', take: '' });
  const [circled, setCircled] = useState<Tri>('keep');
  const [rating, setRating] = useState('keep');
  const [description, setDescription] = useState('');
  const id = useId();
  const input: LogInput = {};
  for (const [code, value] of Object.entries(codes))
    if (value.trim() !== '') input[code as keyof typeof codes] = value;
  if (circled !== 'keep') input.circled = circled === 'yes';
  if (rating !== 'keep') input.rating = rating === '' ? null : Number(rating);
  if (description.trim() !== '') input.description = description;
  const empty = Object.keys(input).length === 0;
  return (
    <FormDialog
      title={`Log ${plural(ids.length, 'asset')}`}
      submitLabel="Apply"
      disabled={empty}
      onClose={onClose}
      onSubmit={() => bulk.mutateAsync({ ids, log: input })}
    >
      <p className="form__hint">Fields left empty keep each asset's own value.</p>
      <div className="log-panel__codes">
        {(['scene', 'take', 'camera', 'reel'] as const).map((code, i) => (
          <TextField
            key={code}
            label={code[0].toUpperCase() + code.slice(1)}
            value={codes[code]}
            maxLength={64}
            autoComplete="off"
            data-autofocus={i === 0 ? true : undefined}
            onChange={(value) => setCodes((c) => ({ ...c, [code]: value }))}
          />
        ))}
      </div>
      <fieldset className="log-tristate">
        <legend className="form__label">Circled</legend>
        {(
          [
            ['keep', 'Keep'],
            ['yes', 'Circled'],
            ['no', 'Not circled'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name={`${id}-circled`}
              value={value}
              checked={circled === value}
              onChange={() => setCircled(value)}
            />{' '}
            {label}
          </label>
        ))}
      </fieldset>
      <div className="form__row">
        <label htmlFor={`${id}-rating`} className="form__label">
          Rating
        </label>
        <select
          id={`${id}-rating`}
          className="input"
          value={rating}
          onChange={(e) => setRating(e.target.value)}
        >
          <option value="keep">Keep</option>
          <option value="">Not rated</option>
          {[0, 1, 2, 3, 4, 5].map((n) => (
            <option key={n} value={String(n)}>
              {'★'.repeat(n) + '☆'.repeat(5 - n)} ({n})
            </option>
          ))}
        </select>
      </div>
      <div className="form__row">
        <label htmlFor={`${id}-description`} className="form__label">
          Description
        </label>
        <textarea
          id={`${id}-description`}
          className="input log-panel__description"
          value={description}
          maxLength={4000}
          rows={2}
          onChange={(e) => setDescription(e.target.value)}
        />
      </div>
    </FormDialog>
  );
}
