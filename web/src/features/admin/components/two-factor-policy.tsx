import { useState } from 'react';
import { showToast } from '../../../components/toasts';
import { useTwoFactorPolicy } from '../api/get-two-factor-policy';
import { type TwoFactorPolicy, useSetTwoFactorPolicy } from '../api/set-two-factor-policy';

const CHOICES: Array<{ value: TwoFactorPolicy; label: string }> = [
  { value: 'off', label: 'Optional: each user chooses' },
  { value: 'admins', label: 'Required for admins' },
  { value: 'everyone', label: 'Required for everyone' },
];

/** Who must sign in with a code as well as the password. */
export function TwoFactorPolicyField() {
  const current = useTwoFactorPolicy();
  const save = useSetTwoFactorPolicy();
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="policy">
      <label className="form__label" htmlFor="two-factor-policy">
        Two-factor sign-in
      </label>
      <select
        id="two-factor-policy"
        className="input policy__select"
        value={current.data?.policy ?? 'off'}
        disabled={!current.data || save.isPending}
        onChange={async (event) => {
          setError(null);
          try {
            await save.mutateAsync(event.target.value as TwoFactorPolicy);
            showToast('success', 'Saved: who must use two-factor sign-in');
          } catch (e) {
            setError((e as Error).message);
          }
        }}
      >
        {CHOICES.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
      <span className="form__hint policy__hint">
        Those who must and have none set it up at their next sign-in; their current sessions end.
      </span>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
