import { type InputHTMLAttributes, type ReactNode, useId } from 'react';

interface TextFieldProps
  extends Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange' | 'className'> {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Shown under the input: what the field takes. */
  hint?: ReactNode;
  /** The server's message for this field, announced and tied to the input. */
  error?: string;
}

/** One labelled input as every form lays it out: label, input, then its hint and its error. */
export function TextField({ label, value, onChange, hint, error, id, ...input }: TextFieldProps) {
  const ownId = useId();
  const inputId = id ?? ownId;
  const errorId = `${inputId}-error`;
  return (
    <div className="form__row">
      <label className="form__label" htmlFor={inputId}>
        {label}
      </label>
      <input
        {...input}
        id={inputId}
        className="input"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? errorId : undefined}
      />
      {hint && <p className="form__hint">{hint}</p>}
      {error && (
        <p id={errorId} className="form__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
