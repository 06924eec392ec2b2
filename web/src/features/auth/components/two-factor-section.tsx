import { type FormEvent, type ReactNode, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage, showToast } from '../../../components/toasts';
import { formatDate } from '../../../lib/format';
import { useDisableTwoFactor } from '../api/disable-two-factor';
import { useEnableTwoFactor } from '../api/enable-two-factor';
import { useTwoFactor } from '../api/get-two-factor';
import { useNewRecoveryCodes } from '../api/new-recovery-codes';
import { type Enrolment, useSetUpTwoFactor } from '../api/set-up-two-factor';
import { EnrolApp } from './enrol-app';
import { RecoveryCodes } from './recovery-codes';

type Flow =
  | { step: 'idle' }
  | { step: 'password' }
  | { step: 'scan'; enrolment: Enrolment }
  | { step: 'codes'; codes: string[] }
  | { step: 'turn-off' }
  | { step: 'new-codes' };

/** Two-factor sign-in for one's own account: set up with a QR code, recovery codes, turn off. */
export function TwoFactorSection({ username }: { username: string }) {
  const status = useTwoFactor();
  const setUp = useSetUpTwoFactor();
  const enable = useEnableTwoFactor();
  const disable = useDisableTwoFactor();
  const renew = useNewRecoveryCodes();
  const [flow, setFlow] = useState<Flow>({ step: 'idle' });
  const data = status.data;

  let body: ReactNode;
  if (flow.step === 'password')
    body = (
      <CredentialsForm
        intro="Enter your password to set up an authenticator app."
        submitLabel="Continue"
        onCancel={() => setFlow({ step: 'idle' })}
        onSubmit={async ({ password }) =>
          setFlow({ step: 'scan', enrolment: await setUp.mutateAsync(password) })
        }
      />
    );
  else if (flow.step === 'scan')
    body = (
      <EnrolApp
        enrolment={flow.enrolment}
        onConfirm={async (code) => {
          const { recoveryCodes } = await enable.mutateAsync(code);
          setFlow({ step: 'codes', codes: recoveryCodes });
          showToast('success', 'Two-factor sign-in is on; your other sessions were signed out');
        }}
      />
    );
  else if (flow.step === 'codes')
    body = <RecoveryCodes codes={flow.codes} username={username} onDone={() => setFlow({ step: 'idle' })} />;
  else if (flow.step === 'turn-off')
    body = (
      <CredentialsForm
        intro="Your password and a code from the app (or a recovery code) turn two-factor sign-in off."
        withCode
        danger
        submitLabel="Turn off"
        onCancel={() => setFlow({ step: 'idle' })}
        onSubmit={async (input) => {
          await disable.mutateAsync(input);
          setFlow({ step: 'idle' });
          showToast('success', 'Two-factor sign-in is off');
        }}
      />
    );
  else if (flow.step === 'new-codes')
    body = (
      <CredentialsForm
        intro="New recovery codes replace the old ones, which stop working."
        withCode
        submitLabel="Make new codes"
        onCancel={() => setFlow({ step: 'idle' })}
        onSubmit={async (input) =>
          setFlow({ step: 'codes', codes: (await renew.mutateAsync(input)).recoveryCodes })
        }
      />
    );
  else if (!data) body = <p className="form__hint">Loading…</p>;
  else if (data.enabled)
    body = (
      <>
        <p className="security__state">
          <span className="badge badge--ok">On</span> since {formatDate(data.enabledAt)} ·{' '}
          {data.recoveryCodesLeft} recovery code{data.recoveryCodesLeft === 1 ? '' : 's'} left
        </p>
        {data.recoveryCodesLeft <= 3 && (
          <p className="form__hint">Few recovery codes are left: make new ones and keep them safe.</p>
        )}
        <div className="security__actions">
          <button type="button" className="button" onClick={() => setFlow({ step: 'new-codes' })}>
            New recovery codes…
          </button>
          {data.required ? (
            <span className="form__hint">Required by your admin.</span>
          ) : (
            <button type="button" className="button" onClick={() => setFlow({ step: 'turn-off' })}>
              Turn off…
            </button>
          )}
        </div>
      </>
    );
  else
    body = (
      <>
        <p className="security__state">
          <span className="badge">Off</span> A code from an authenticator app on your phone, asked after the
          password, keeps your account safe even if the password leaks.
        </p>
        <div className="security__actions">
          <button
            type="button"
            className="button button--primary"
            onClick={() => setFlow({ step: 'password' })}
          >
            Set up two-factor sign-in…
          </button>
        </div>
      </>
    );

  return (
    <section className="security__section" aria-labelledby="two-factor-title">
      <h3 id="two-factor-title" className="security__title">
        Two-factor sign-in
      </h3>
      {body}
    </section>
  );
}

/** The password again, and a code when asked: what a sensitive change needs. */
export function CredentialsForm({
  intro,
  withCode,
  submitLabel,
  danger,
  onSubmit,
  onCancel,
}: {
  intro: string;
  withCode?: boolean;
  submitLabel: string;
  danger?: boolean;
  onSubmit: (input: { password: string; code: string }) => Promise<unknown>;
  onCancel: () => void;
}) {
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onSubmit({ password, code: code.trim() });
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      <p className="form__hint">{intro}</p>
      <TextField
        label="Your password"
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={setPassword}
        required
        autoFocus
      />
      {withCode && (
        <TextField
          label="Code from the app, or a recovery code"
          value={code}
          onChange={setCode}
          autoComplete="one-time-code"
          required
        />
      )}
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <div className="security__actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="submit"
          className={`button ${danger ? 'button--danger' : 'button--primary'}`}
          disabled={busy}
          aria-busy={busy}
        >
          {busy ? `${submitLabel}…` : submitLabel}
        </button>
      </div>
    </form>
  );
}
