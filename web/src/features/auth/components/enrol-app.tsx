import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../components/toasts';

export interface EnrolmentView {
  secret: string;
  qrCodeSvg: string;
}

/** Scan the QR code (or type the key), then the app's first code proves it holds the secret. */
export function EnrolApp({
  enrolment,
  onConfirm,
  submitLabel = 'Turn on two-factor sign-in',
}: {
  enrolment: EnrolmentView;
  onConfirm: (code: string) => Promise<unknown>;
  submitLabel?: string;
}) {
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // An <img> shows the server's SVG without ever running it as part of the page.
  const qrSource = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolment.qrCodeSvg)}`;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onConfirm(code.trim());
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <form className="form enrol" onSubmit={submit}>
      <p className="enrol__step">
        <span className="enrol__number">1</span> Scan this code with an authenticator app (1Password, Google
        Authenticator, Microsoft Authenticator, Authy…).
      </p>
      <img
        className="enrol__qr"
        src={qrSource}
        alt="QR code for your authenticator app"
        width={180}
        height={180}
      />
      <details className="enrol__manual">
        <summary>Cannot scan? Type this key instead</summary>
        <p className="secret mono" data-testid="totp-secret">
          {enrolment.secret.match(/.{1,4}/g)?.join(' ')}
        </p>
      </details>
      <p className="enrol__step">
        <span className="enrol__number">2</span> Enter the 6-digit code the app shows.
      </p>
      <TextField
        label="Code from the app"
        value={code}
        onChange={setCode}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="[0-9 ]{6,7}"
        maxLength={7}
        required
        autoFocus
      />
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy} aria-busy={busy}>
        {busy ? 'Checking…' : submitLabel}
      </button>
    </form>
  );
}
