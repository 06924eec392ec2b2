/**
 * Log a selection at once: only the fields given a value are sent, so what each asset already
 * holds elsewhere stays (a take per clip, one scene for all).
 */
import { useId, useState } from 'react';
import { FormDialog } from '../../../components/dialog';
import { plural } from '../../../lib/format';
import { type LogInput, useBulkLog } from '../api/update-log';
import { LOG_CODES, LogFieldsForm, type LogFormValues } from './log-fields-form';
import './logging.css';

type Tri = 'keep' | 'yes' | 'no';

export function BulkLogDialog({ ids, onClose }: { ids: string[]; onClose: () => void }) {
  const bulk = useBulkLog();
  const [form, setForm] = useState<LogFormValues>({
    camera: '',
    reel: '',
    scene: '',
    take: '',
    rating: 'keep',
    description: '',
    custom: {},
  });
  const [circled, setCircled] = useState<Tri>('keep');
  const id = useId();
  const input: LogInput = {};
  for (const [code] of LOG_CODES) if (form[code].trim() !== '') input[code] = form[code];
  if (circled !== 'keep') input.circled = circled === 'yes';
  if (form.rating !== 'keep') input.rating = form.rating === '' ? null : Number(form.rating);
  if (form.description.trim() !== '') input.description = form.description;
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
      <LogFieldsForm
        id={id}
        values={form}
        onChange={(key, value) => setForm((f) => ({ ...f, [key]: value }))}
        codes={['scene', 'take', 'camera', 'reel']}
        autoFocus
        keep
        descriptionRows={2}
      >
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
      </LogFieldsForm>
    </FormDialog>
  );
}
