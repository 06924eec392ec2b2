import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../components/toasts';
import { useChangePassword } from '../api/change-password';
import { useAuthConfig } from '../api/get-auth-config';
import { forgetSignInPassword } from '../sign-in-password';
import { firstUnmet, PasswordRules, passwordRules } from './password-rules';

/**
 * Current password, then the new one twice, with its rules ticked off as they are met.
 * `knownCurrent` is the password of the sign-in just made (the forced change): the field is
 * then not asked for, unless the server turns it down.
 */
export function ChangePasswordForm({
  onDone,
  submitLabel = 'Change password',
  knownCurrent,
}: {
  onDone?: () => void;
  submitLabel?: string;
  knownCurrent?: string;
}) {
  const change = useChangePassword();
  const config = useAuthConfig();
  const minLength = config.data?.passwordMinLength ?? 8;
  const [current, setCurrent] = useState(knownCurrent ?? '');
  const [askCurrent, setAskCurrent] = useState(knownCurrent === undefined);
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    const unmet = firstUnmet(rules);
    if (unmet) return setError(unmet);
    try {
      await change.mutateAsync({ currentPassword: current, newPassword: next });
      forgetSignInPassword();
      onDone?.();
    } catch (e) {
      setError(errorMessage(e));
      // The remembered password was turned down (changed meanwhile?): ask for it.
      if (!askCurrent) {
        setAskCurrent(true);
        setCurrent('');
      }
    }
  };
  const rules = passwordRules(next, { minLength, repeat, current });
  return (
    <form className="form" onSubmit={submit} noValidate>
      {askCurrent && (
        <TextField
          label="Current password"
          type="password"
          autoComplete="current-password"
          value={current}
          onChange={setCurrent}
          required
        />
      )}
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        required
      />
      <TextField
        label="Repeat the new password"
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={setRepeat}
        required
        hint="Your other sessions will be signed out."
      />
      <PasswordRules rules={rules} />
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      <button
        type="submit"
        className="button button--primary"
        disabled={change.isPending}
        aria-busy={change.isPending}
      >
        {change.isPending ? 'Saving…' : submitLabel}
      </button>
    </form>
  );
}
