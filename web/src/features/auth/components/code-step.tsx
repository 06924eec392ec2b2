import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../components/toasts';

/** The code from the authenticator app, or, when the phone is not at hand, a recovery code. */
export function CodeStep({
  onSubmit,
  onStartOver,
}: {
  onSubmit: (code: string) => Promise<unknown>;
  onStartOver: () => void;
}) {
  const [recovery, setRecovery] = useState(false);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit(code.trim());
    } catch (e) {
      setError(errorMessage(e));
      setCode('');
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      {recovery ? (
        <TextField
          key="recovery"
          label="Recovery code"
          value={code}
          onChange={setCode}
          autoComplete="off"
          spellCheck={false}
          placeholder="abcd-efgh-jkmn-pqrs"
          required
          autoFocus
          hint="Each recovery code works once."
        />
      ) : (
        <TextField
          key="app"
          label="Code from your authenticator app"
          value={code}
          onChange={setCode}
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxLength={7}
          required
          autoFocus
        />
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Checking…' : 'Verify'}
      </button>
      <p className="auth__switch">
        <button
          type="button"
          className="link-button"
          onClick={() => {
            setRecovery(!recovery);
            setCode('');
            setError(null);
          }}
        >
          {recovery ? 'Use the code from the app' : 'Use a recovery code'}
        </button>
        {' · '}
        <button type="button" className="link-button" onClick={onStartOver}>
          Start over
        </button>
      </p>
    </form>
  );
}
