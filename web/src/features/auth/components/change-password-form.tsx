import { type FormEvent, useState } from 'react';
import { TextField } from '../../../components/text-field';
import { errorMessage } from '../../../components/toasts';
import { useChangePassword } from '../api/change-password';
import { useAuthConfig } from '../api/get-auth-config';

/** Current password, then the new one twice. */
export function ChangePasswordForm({
  onDone,
  submitLabel = 'Change password',
}: {
  onDone?: () => void;
  submitLabel?: string;
}) {
  const change = useChangePassword();
  const config = useAuthConfig();
  const minLength = config.data?.passwordMinLength ?? 8;
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    if (next !== repeat) return setError('The two new passwords differ.');
    if (next === current) return setError('Choose a password different from the current one.');
    try {
      await change.mutateAsync({ currentPassword: current, newPassword: next });
      onDone?.();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form className="form" onSubmit={submit}>
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        required
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        minLength={minLength}
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
        hint={<>At least {minLength} characters. Your other sessions will be signed out.</>}
      />
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
