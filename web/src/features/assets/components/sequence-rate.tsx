/**
 * An image sequence's frames and the rate it plays at. Frames carry no rate of their own, so a
 * person chooses it (24 until then); the server makes the proxy again at the new rate.
 */
import { useId } from 'react';
import { ApiError } from '../../../lib/api-client';
import { formatFrameRate } from '../../../lib/format';
import { useSequence, useSetSequenceRate } from '../api/sequence';
import './sequence-rate.css';

/** The rates a production shoots and delivers at, as the server spells them. */
export const SEQUENCE_RATES: Array<{ value: string; label: string }> = [
  { value: '24000/1001', label: '23.976' },
  { value: '24/1', label: '24' },
  { value: '25/1', label: '25' },
  { value: '30000/1001', label: '29.97' },
  { value: '30/1', label: '30' },
  { value: '48/1', label: '48' },
  { value: '50/1', label: '50' },
  { value: '60000/1001', label: '59.94' },
  { value: '60/1', label: '60' },
];
const DEFAULT = '';

export function SequenceRate({ assetId }: { assetId: string }) {
  const id = useId();
  const { data: sequence, error: loadError } = useSequence(assetId, true);
  const setRate = useSetSequenceRate(assetId);
  if (loadError) return null;
  if (!sequence) return null;
  const chosen = sequence.chosenFrameRate ?? DEFAULT;
  const known = chosen === DEFAULT || SEQUENCE_RATES.some((r) => r.value === chosen);
  const gaps = sequence.missing.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ');
  const error = setRate.error
    ? setRate.error instanceof ApiError
      ? setRate.error.message
      : 'The frame rate could not be saved; try again.'
    : null;
  return (
    <section className="sequence-rate" aria-label="Image sequence" data-testid="sequence-rate">
      <p className="sequence-rate__frames">
        Frames {sequence.first}–{sequence.last} · {sequence.frameCount} present
        {gaps ? ` · missing ${gaps}` : ''}
      </p>
      <label className="sequence-rate__label" htmlFor={id}>
        Plays at
      </label>
      <select
        id={id}
        className="select--compact sequence-rate__select"
        value={chosen}
        disabled={setRate.isPending}
        onChange={(event) => {
          const value = event.currentTarget.value;
          setRate.mutate(value === DEFAULT ? null : value);
        }}
      >
        <option value={DEFAULT}>24 fps (default)</option>
        {SEQUENCE_RATES.map((rate) => (
          <option key={rate.value} value={rate.value}>
            {rate.label} fps
          </option>
        ))}
        {!known && <option value={chosen}>{formatFrameRate(chosen)}</option>}
      </select>
      {setRate.isPending && <span className="sequence-rate__saving">Saving…</span>}
      {setRate.isSuccess && !setRate.isPending && (
        <span className="sequence-rate__saved" role="status">
          Saved: the proxy is being made again at {formatFrameRate(sequence.frameRate)}.
        </span>
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
