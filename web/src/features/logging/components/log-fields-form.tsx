/**
 * The log's fields as one form part: slate codes, rating, description and the deployment's
 * custom fields. The asset's log panel and the dialog that logs a selection both lay it out;
 * the circled flag differs between them (a checkbox saved at once; keep / yes / no) and stays
 * with each.
 */
import type { ReactNode } from 'react';
import type { LogField } from '../api/log-fields';

export const LOG_CODES = [
  ['camera', 'Camera'],
  ['reel', 'Reel'],
  ['scene', 'Scene'],
  ['take', 'Take'],
] as const;
export type LogCode = (typeof LOG_CODES)[number][0];

/** What the form holds, as typed: every value a string until it is sent. */
export interface LogFormValues {
  camera: string;
  reel: string;
  scene: string;
  take: string;
  /** `''` not rated, `'0'`–`'5'`, or `'keep'` in a selection's form. */
  rating: string;
  description: string;
  custom: Record<string, string>;
}

type TextKey = Exclude<keyof LogFormValues, 'custom'>;

export function LogFieldsForm(props: {
  id: string;
  values: LogFormValues;
  onChange: (key: TextKey, value: string) => void;
  onCustomChange?: (key: string, value: string) => void;
  customFields?: LogField[];
  /** A selection's form: rating may be kept as each asset has it. */
  keep?: boolean;
  /** The codes in the order typed; the first takes the focus when `autoFocus`. */
  codes?: readonly LogCode[];
  autoFocus?: boolean;
  /** Said beside a code, such as where its value came from. */
  codeNote?: (code: LogCode) => ReactNode;
  descriptionRows: number;
  /** Laid out after the codes (a selection's circled choice). */
  children?: ReactNode;
}) {
  const { id, values, onChange, codes = LOG_CODES.map(([code]) => code) } = props;
  const labelOf = (code: LogCode) => LOG_CODES.find(([c]) => c === code)![1];
  return (
    <>
      <div className="log-panel__codes">
        {codes.map((code, i) => (
          <div key={code} className="log-panel__code">
            <label htmlFor={`${id}-${code}`} className="form__label">
              {labelOf(code)}
            </label>
            <input
              id={`${id}-${code}`}
              className="input mono"
              value={values[code]}
              maxLength={64}
              autoComplete="off"
              data-autofocus={props.autoFocus && i === 0 ? true : undefined}
              onChange={(event) => onChange(code, event.target.value)}
            />
            {props.codeNote?.(code)}
          </div>
        ))}
      </div>
      {props.children}
      <div className="form__row">
        <label htmlFor={`${id}-rating`} className="form__label">
          Rating
        </label>
        <select
          id={`${id}-rating`}
          className="input"
          value={values.rating}
          onChange={(event) => onChange('rating', event.target.value)}
        >
          {props.keep && <option value="keep">Keep</option>}
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
          value={values.description}
          maxLength={4000}
          rows={props.descriptionRows}
          onChange={(event) => onChange('description', event.target.value)}
        />
      </div>
      {props.customFields?.map((field) => (
        <CustomField
          key={field.id}
          field={field}
          id={`${id}-custom-${field.key}`}
          value={values.custom[field.key] ?? ''}
          onChange={(value) => props.onCustomChange?.(field.key, value)}
        />
      ))}
    </>
  );
}

function CustomField(props: {
  field: LogField;
  id: string;
  value: string;
  onChange: (value: string) => void;
}) {
  const { field, id, value, onChange } = props;
  return (
    <div className="form__row">
      <label htmlFor={id} className="form__label">
        {field.label}
      </label>
      {field.kind === 'choice' ? (
        <select id={id} className="input" value={value} onChange={(event) => onChange(event.target.value)}>
          <option value="">—</option>
          {field.choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input
          id={id}
          className="input"
          inputMode={field.kind === 'number' ? 'decimal' : undefined}
          value={value}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </div>
  );
}
